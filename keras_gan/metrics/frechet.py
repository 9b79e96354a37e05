"""Fréchet distance between Gaussian fits of features (FID's math).

The math is separate from any feature extractor (as in TF-GAN): feed it
Inception pool features for FID, or anything else.
"""

import os

import numpy as np

from keras_gan._io import atomic_path


class FeatureStatistics:
    """Streaming mean and covariance of feature vectors, accumulated in float64.

    Large sample counts never sit in memory at once: `update` adds a batch to
    running sums, `mean`/`covariance` read the result (covariance with the
    N - 1 normalization of `np.cov`). With `keep_features=True` the feature
    vectors are kept too (KID and precision/recall need them).

    Example:

    >>> stats = FeatureStatistics()
    >>> for batch in batches:
    ...     stats.update(extractor(batch))
    >>> mu, sigma = stats.mean, stats.covariance
    """

    def __init__(self, dim=None, keep_features=False):
        self.count = 0
        self.keep_features = keep_features
        self._sum = None if dim is None else np.zeros(dim)
        self._outer = None if dim is None else np.zeros((dim, dim))
        self._kept = []

    def update(self, features):
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2:
            raise ValueError(f"Features must be (batch, dim). Received shape {features.shape}")
        if not np.all(np.isfinite(features)):
            raise ValueError(
                "Features contain NaN or infinite values; check the images (a diverged "
                "generator?) and the feature extractor.")
        if self._sum is None:
            self._sum = np.zeros(features.shape[1])
            self._outer = np.zeros((features.shape[1], features.shape[1]))
        if features.shape[1] != self._sum.shape[0]:
            raise ValueError(
                f"Feature dimension changed from {self._sum.shape[0]} to {features.shape[1]}.")
        self.count += features.shape[0]
        self._sum += features.sum(axis=0)
        self._outer += features.T @ features
        if self.keep_features:
            self._kept.append(features.astype(np.float32))
        return self

    @property
    def dim(self):
        return None if self._sum is None else self._sum.shape[0]

    @property
    def mean(self):
        self._check(1)
        return self._sum / self.count

    @property
    def covariance(self):
        self._check(2)
        mean = self.mean
        return (self._outer - self.count * np.outer(mean, mean)) / (self.count - 1)

    @property
    def features(self):
        """The kept feature vectors `(count, dim)` (needs `keep_features=True`)."""
        if not self.keep_features:
            raise ValueError("These statistics were accumulated without keep_features=True.")
        self._check(1)
        if len(self._kept) > 1:
            self._kept = [np.concatenate(self._kept)]
        return self._kept[0]

    def _check(self, minimum):
        if self.count < minimum:
            raise ValueError(f"FeatureStatistics needs at least {minimum} samples; it has {self.count}.")

    def save(self, path):
        """Writes `mean`, `covariance`, `count` (and the kept features) to a
        `.npz` file, atomically."""
        arrays = {"mean": self.mean, "covariance": self.covariance, "count": self.count}
        if self.keep_features:
            arrays["features"] = self.features
        with atomic_path(path) as temporary:
            np.savez(temporary, **arrays)
        return os.fspath(path)

    @classmethod
    def load(cls, path):
        """Reads statistics written by `save` (or any `.npz` with `mean`,
        `covariance` and `count`, e.g. `mu`/`sigma` files after renaming)."""
        with np.load(path) as data:
            missing = {"mean", "covariance", "count"} - set(data.files)
            if missing:
                raise ValueError(
                    f"{path} is not a statistics file: it lacks {sorted(missing)} "
                    f"(it has {data.files}).")
            mean, covariance, count = data["mean"], data["covariance"], int(data["count"])
            features = data["features"] if "features" in data.files else None
        stats = cls(keep_features=features is not None)
        stats.count = count
        stats._sum = mean * count
        stats._outer = covariance * (count - 1) + count * np.outer(mean, mean)
        if features is not None:
            stats._kept = [features]
        return stats


def frechet_distance(mean1, covariance1, mean2, covariance2):
    """`||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2))`.

    `S1 S2` is similar to the symmetric positive semi-definite
    `M = sqrt(S1) S2 sqrt(S1)`, so `tr(sqrt(S1 S2)) = sum(sqrt(eigvalsh(M)))`.
    Two symmetric eigen-decompositions in float64 (the idea of TF-GAN's
    symmetric form) are several times faster than `scipy.linalg.sqrtm` or a
    general complex eigen-decomposition (measured: benchmarks/frechet.py) and
    never produce spurious imaginary parts; tiny negative eigenvalues from
    rounding are clipped to 0.

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", 2017. https://arxiv.org/abs/1706.08500
    """
    mean1, mean2 = np.asarray(mean1, np.float64), np.asarray(mean2, np.float64)
    covariance1 = np.asarray(covariance1, np.float64)
    covariance2 = np.asarray(covariance2, np.float64)
    if mean1.shape != mean2.shape or covariance1.shape != covariance2.shape:
        raise ValueError(
            f"Statistics of different dimensions: means {mean1.shape} vs {mean2.shape}, "
            f"covariances {covariance1.shape} vs {covariance2.shape}.")
    w, v = np.linalg.eigh(covariance1)
    sqrt1 = (v * np.sqrt(np.maximum(w, 0.0))) @ v.T
    eigenvalues = np.linalg.eigvalsh(sqrt1 @ covariance2 @ sqrt1)
    trace_sqrt = np.sqrt(np.maximum(eigenvalues, 0.0)).sum()
    diff = mean1 - mean2
    value = diff @ diff + np.trace(covariance1) + np.trace(covariance2) - 2.0 * trace_sqrt
    return float(max(value, 0.0))


def frechet_distance_from_activations(features1, features2):
    """Fréchet distance between two sets of feature vectors `(n, dim)`."""
    s1 = FeatureStatistics().update(features1)
    s2 = FeatureStatistics().update(features2)
    return frechet_distance(s1.mean, s1.covariance, s2.mean, s2.covariance)
