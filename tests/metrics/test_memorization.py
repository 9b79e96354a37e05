import numpy as np
import pytest
from scipy.spatial.distance import cdist

from keras_gan import metrics


def test_nearest_neighbours_match_brute_force():
    rng = np.random.default_rng(0)
    queries, references = rng.normal(size=(13, 2, 3)), rng.normal(size=(40, 2, 3))
    distances, indices = metrics.nearest_neighbours(queries, references, k=3, batch_size=5)
    full = cdist(queries.reshape(13, -1), references.reshape(40, -1))
    np.testing.assert_array_equal(indices, np.argsort(full, axis=1)[:, :3])
    np.testing.assert_allclose(distances, np.sort(full, axis=1)[:, :3], rtol=1e-9)
    own, own_indices = metrics.nearest_neighbours(references, references, k=1,
                                                  exclude_self=True, batch_size=7)
    square = cdist(references.reshape(40, -1), references.reshape(40, -1))
    np.fill_diagonal(square, np.inf)
    np.testing.assert_array_equal(own_indices[:, 0], np.argmin(square, axis=1))
    np.testing.assert_allclose(own[:, 0], np.min(square, axis=1), rtol=1e-9)
    with pytest.raises(ValueError, match="`k` must be"):
        metrics.nearest_neighbours(queries, references, k=41)
    with pytest.raises(ValueError, match="values per sample"):
        metrics.nearest_neighbours(queries, references[:, :1])


def test_memorization_tells_copies_from_new_samples():
    rng = np.random.default_rng(1)
    training = rng.uniform(-1, 1, (200, 4, 4, 1))
    copies = training[rng.integers(0, 200, 100)] + rng.normal(0, 1e-3, (100, 4, 4, 1))
    fresh = rng.uniform(-1, 1, (100, 4, 4, 1))  # new draws of the same distribution
    copied, new = metrics.memorization(copies, training), metrics.memorization(fresh, training)
    assert copied["nn_ratio"] < 0.01 and copied["nn_close_fraction"] == 1.0
    assert 0.8 < new["nn_ratio"] < 1.3 and new["nn_close_fraction"] < 0.2
    assert new["nn_training_spacing"] == copied["nn_training_spacing"]
    grid = metrics.nearest_neighbour_grid(copies[:3], training, k=2)
    assert grid.shape == (3, 3, 4, 4, 1)
    np.testing.assert_allclose(grid[:, 1], training[np.argmin(cdist(
        copies[:3].reshape(3, -1), training.reshape(200, -1)), axis=1)])
