"""Inception Score from class probabilities."""

import numpy as np


def inception_score(probabilities, splits=10, epsilon=1e-12):
    """`exp(E_x KL(p(y|x) || p(y)))`, averaged over `splits` parts.

    Args:
        probabilities: `(n, classes)` softmax outputs of a classifier.
        splits: number of parts (10 in the paper's protocol).

    Returns:
        `(mean, std)` over the splits. Uniform one-hot predictions over K
        classes give K; identical predictions give 1.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", 2016.
    """
    p = np.asarray(probabilities, np.float64)
    if p.ndim != 2 or len(p) < splits:
        raise ValueError(f"Need (n, classes) probabilities with n >= splits={splits}. Received {p.shape}")
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError("Rows of `probabilities` must be distributions (softmax outputs, not logits).")
    scores = []
    for part in np.array_split(p, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = np.sum(part * (np.log(part + epsilon) - np.log(marginal + epsilon)), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))
