"""Precision, recall, density and coverage from k-nearest-neighbour balls."""

import numpy as np


def _distances(a, b):
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.maximum(sq, 0.0))


def _radii(features, k):
    """Distance of each point to its k-th nearest neighbour (itself excluded)."""
    d = _distances(features, features)
    return np.partition(d, k, axis=1)[:, k]  # index 0 is the point itself


def precision_recall(real, fake, k=3):
    """Improved precision and recall (Kynkäänniemi et al. 2019).

    Precision: fraction of fake samples inside some real sample's k-NN ball;
    recall: fraction of real samples inside some fake sample's k-NN ball.

    Reference: https://arxiv.org/abs/1904.06991
    """
    real, fake = _check(real, fake, k)
    d = _distances(real, fake)  # (real, fake)
    precision = np.mean(np.any(d <= _radii(real, k)[:, None], axis=0))
    recall = np.mean(np.any(d <= _radii(fake, k)[None, :], axis=1))
    return {"precision": float(precision), "recall": float(recall)}


def density_coverage(real, fake, k=5):
    """Density and coverage (Naeem et al. 2020).

    Density: mean number of real k-NN balls containing each fake sample,
    divided by k; coverage: fraction of real balls containing a fake sample.

    Reference: https://arxiv.org/abs/2002.09797
    """
    real, fake = _check(real, fake, k)
    radii = _radii(real, k)[:, None]
    d = _distances(real, fake)
    density = (d <= radii).sum() / (k * fake.shape[0])
    coverage = np.mean(d.min(axis=1) <= radii[:, 0])
    return {"density": float(density), "coverage": float(coverage)}


def _check(real, fake, k):
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(f"Need (n, dim) real and fake features of one dim. Received {real.shape}, {fake.shape}")
    if int(k) != k or k < 1 or k >= min(len(real), len(fake)):
        raise ValueError(f"`k` must be in [1, min(n_real, n_fake)). Received: k={k}")
    return real, fake
