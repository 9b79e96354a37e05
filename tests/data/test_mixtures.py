import numpy as np
import pytest

from keras_gan.data import grid_centers, ring_centers, sample_mixture


def test_ring_has_distinct_modes_on_the_circle():
    centers = ring_centers(8, radius=1.0)
    assert centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0, rtol=1e-6)
    gaps = np.linalg.norm(centers - np.roll(centers, 1, axis=0), axis=1)
    np.testing.assert_allclose(gaps, 2 * np.sin(np.pi / 8), rtol=1e-5)  # evenly spaced, none repeated


def test_grid_matches_pacgan():
    centers = grid_centers()
    assert centers.shape == (25, 2)
    assert sorted(set(centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_sample_mixture_statistics():
    centers = ring_centers(8)
    points = sample_mixture(centers, 0.05, 20000, seed=0)
    nearest = np.linalg.norm(points[:, None] - centers[None], axis=-1).argmin(1)
    offsets = points - centers[nearest]
    assert offsets.std() == pytest.approx(0.05, rel=0.03)
    assert np.bincount(nearest, minlength=8).min() > 20000 / 8 * 0.9
    np.testing.assert_array_equal(points, sample_mixture(centers, 0.05, 20000, seed=0))
    with pytest.raises(ValueError, match="std"):
        sample_mixture(centers, 0.0, 10)
