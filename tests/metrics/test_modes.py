import numpy as np
import pytest

from keras_gan.data import ring_centers
from keras_gan.metrics import mode_coverage


def test_samples_on_every_mode():
    centers = ring_centers(8)
    result = mode_coverage(np.repeat(centers, 5, axis=0), centers, std=0.02)
    assert result["modes"] == 8 and result["high_quality"] == 1.0
    assert result["reverse_kl"] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(result["counts"], np.full(8, 5))


def test_collapse_to_one_mode():
    centers = ring_centers(8)
    samples = centers[[2]] + 0.01 * np.random.default_rng(0).standard_normal((50, 2))
    result = mode_coverage(samples, centers, std=0.02)
    assert result["modes"] == 1
    assert result["reverse_kl"] == pytest.approx(np.log(8))


def test_threshold_and_min_count():
    centers = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.array([[0.05, 0.0], [0.07, 0.0], [10.0, 0.0], [5.0, 5.0]])
    result = mode_coverage(samples, centers, std=0.02, threshold=3.0)
    # 0.05 is within 3 * 0.02 = 0.06; 0.07 and the far point are not.
    assert result["high_quality"] == 0.5
    assert result["modes"] == 2
    assert mode_coverage(samples, centers, std=0.02, min_count=2)["modes"] == 0
    far = mode_coverage(np.array([[5.0, 5.0]]), centers, std=0.02)
    assert far["modes"] == 0 and far["reverse_kl"] == float("inf")
    with pytest.raises(ValueError, match="same dim"):
        mode_coverage(np.zeros((3, 3)), centers, std=0.1)
