"""2D Gaussian mixtures of the mode-collapse literature."""

import numpy as np


def ring_centers(num_modes=8, radius=1.0):
    """`num_modes` centres evenly spaced on a circle.

    The angles are `2 * pi * k / num_modes` for `k < num_modes`; a
    `linspace(0, 2 * pi, num_modes)` (as in one popular notebook) repeats the
    first point and gives one mode fewer.
    """
    if int(num_modes) != num_modes or num_modes < 1:
        raise ValueError(f"`num_modes` must be a positive integer. Received: {num_modes}")
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1).astype("float32")


def grid_centers(size=5, spacing=2.0):
    """A `size x size` grid of centres, `spacing` apart, centred at the origin
    (the PacGAN grid: size 5, spacing 2, so coordinates -4..4)."""
    if int(size) != size or size < 1:
        raise ValueError(f"`size` must be a positive integer. Received: {size}")
    coords = (np.arange(size) - (size - 1) / 2.0) * spacing
    xx, yy = np.meshgrid(coords, coords, indexing="ij")
    return np.stack([xx.ravel(), yy.ravel()], axis=1).astype("float32")


def sample_mixture(centers, std, num_samples, seed=None):
    """Draws `num_samples` points from an equal-weight isotropic Gaussian mixture.

    Args:
        centers: array `(modes, dim)` of means.
        std: standard deviation of every component.
        num_samples: number of points.
        seed: seed of a NumPy generator.

    Returns:
        float32 array `(num_samples, dim)`.
    """
    centers = np.asarray(centers, dtype="float64")
    if not std > 0:
        raise ValueError(f"`std` must be > 0. Received: std={std}")
    rng = np.random.default_rng(seed)
    modes = rng.integers(0, len(centers), size=num_samples)
    points = centers[modes] + std * rng.standard_normal((num_samples, centers.shape[1]))
    return points.astype("float32")


MIXTURES = {
    # PacGAN (Lin et al. 2018) settings: 8 modes on a circle of radius 1, std
    # 0.01; a 5x5 grid with spacing 2, std 0.05.
    "ring": {"std": 0.01, "radius": 1.0, "num_modes": 8},
    "grid": {"std": 0.05, "spacing": 2.0, "size": 5},
}


def load_mixture(name="ring", num_samples=100_000, std=None, seed=0, **geometry):
    """Samples the 8-Gaussian ring or the 25-Gaussian grid.

    Args:
        name: `"ring"` or `"grid"`.
        num_samples: points to draw.
        std: component standard deviation (PacGAN: ring 0.01, grid 0.05).
        seed: seed of the draw.
        **geometry: `radius`/`num_modes` (ring) or `spacing`/`size` (grid).

    Returns:
        `(points, centers, std)`: float32 `(num_samples, 2)`, the mode centres
        and the standard deviation used (what `metrics.mode_coverage` needs).
    """
    if name not in MIXTURES:
        raise ValueError(f"Unknown mixture {name!r}. Choose from {sorted(MIXTURES)}.")
    params = dict(MIXTURES[name])
    default_std = params.pop("std")
    unknown = set(geometry) - set(params)
    if unknown:
        raise ValueError(f"Unknown {name} parameter(s) {sorted(unknown)}; valid: {sorted(params)}.")
    params.update(geometry)
    centers = ring_centers(**params) if name == "ring" else grid_centers(**params)
    std = default_std if std is None else std
    return sample_mixture(centers, std, num_samples, seed=seed), centers, std
