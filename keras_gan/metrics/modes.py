"""Mode coverage of samples from a known Gaussian mixture."""

import numpy as np


def mode_coverage(samples, centers, std, threshold=3.0, min_count=1):
    """Counts the mixture modes that generated samples cover.

    The PacGAN/VEEGAN protocol: a sample is *high quality* when it lies within
    `threshold` standard deviations of its nearest mode; a mode is *captured*
    when at least `min_count` high-quality samples are nearest to it.

    Args:
        samples: array `(n, dim)` of generated points.
        centers: array `(modes, dim)` of the mixture means.
        std: standard deviation of the mixture components.
        threshold: the distance, in standard deviations, of a high-quality sample.
        min_count: high-quality samples a mode needs to count as captured.

    Returns:
        A dict with `modes` (captured count), `high_quality` (fraction of
        samples), `reverse_kl` (KL divergence of the captured-mode histogram
        of high-quality samples from the uniform one; `inf` when there are no
        high-quality samples) and `counts` (high-quality samples per mode).

    Reference:
        Srivastava et al., "VEEGAN", 2017; Lin et al., "PacGAN", 2018.
    """
    samples = np.asarray(samples, dtype="float64")
    centers = np.asarray(centers, dtype="float64")
    if samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1]:
        raise ValueError(
            "mode_coverage expects samples (n, dim) and centers (modes, dim) of the same "
            f"dim. Received: samples {samples.shape}, centers {centers.shape}"
        )
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)
    nearest = distances.argmin(axis=1)
    good = distances[np.arange(len(samples)), nearest] <= threshold * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    total = counts.sum()
    if total == 0:
        reverse_kl = float("inf")
    else:
        p = counts / total
        nonzero = p > 0
        reverse_kl = float(np.sum(p[nonzero] * np.log(p[nonzero] * len(centers))))
    return {
        "modes": int((counts >= min_count).sum()),
        "high_quality": float(good.mean()) if len(samples) else 0.0,
        "reverse_kl": reverse_kl,
        "counts": counts,
    }
