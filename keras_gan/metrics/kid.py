"""Kernel Inception Distance: unbiased MMD^2 with a cubic polynomial kernel."""

import numpy as np


def _polynomial_kernel(x, y):
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def kernel_distance(features1, features2, num_subsets=100, subset_size=1000, seed=0):
    """KID between two feature sets, averaged over random subsets.

    For each subset of `m = min(subset_size, n1, n2)` samples of each set,
    the unbiased MMD^2 estimate with `k(x, y) = (x . y / dim + 1)^3`.

    Returns:
        `(mean, std)` over the subsets.

    Reference:
        Bińkowski et al., "Demystifying MMD GANs", 2018.
        https://arxiv.org/abs/1801.01401
    """
    x = np.asarray(features1, np.float64)
    y = np.asarray(features2, np.float64)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"KID needs two (n, dim) feature sets of one dim. Received {x.shape}, {y.shape}")
    m = min(subset_size, len(x), len(y))
    if m < 2:
        raise ValueError("KID needs at least 2 samples in each set.")
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(num_subsets):
        a = x[rng.choice(len(x), m, replace=False)]
        b = y[rng.choice(len(y), m, replace=False)]
        kxx, kyy, kxy = _polynomial_kernel(a, a), _polynomial_kernel(b, b), _polynomial_kernel(a, b)
        mmd = ((kxx.sum() - np.trace(kxx)) + (kyy.sum() - np.trace(kyy))) / (m * (m - 1)) \
            - 2.0 * kxy.mean()
        values.append(mmd)
    return float(np.mean(values)), float(np.std(values))
