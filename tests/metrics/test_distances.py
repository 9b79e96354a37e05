import numpy as np
import pytest
import scipy.linalg

from keras_gan import metrics


def scipy_fid(a, b):
    """The TTUR / pytorch-fid formula with scipy.linalg.sqrtm."""
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    covmean = covmean.real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def test_streaming_statistics_match_numpy():
    x = np.random.default_rng(0).normal(size=(500, 7))
    stats = metrics.FeatureStatistics()
    for chunk in np.array_split(x, 7):
        stats.update(chunk.astype("float32"))
    assert stats.count == 500
    np.testing.assert_allclose(stats.mean, x.mean(0), atol=1e-6)
    np.testing.assert_allclose(stats.covariance, np.cov(x, rowvar=False), atol=1e-6)
    with pytest.raises(ValueError, match="dimension changed"):
        stats.update(np.zeros((2, 3)))


def test_fid_of_a_set_with_itself_is_zero():
    x = np.random.default_rng(1).normal(size=(300, 16))
    assert metrics.frechet_distance_from_activations(x, x) == pytest.approx(0.0, abs=1e-8)


def test_fid_matches_scipy_reference():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(600, 256))
    b = rng.normal(loc=0.3, scale=1.2, size=(600, 256)) @ rng.normal(scale=0.2, size=(256, 256))
    assert metrics.frechet_distance_from_activations(a, b) == pytest.approx(scipy_fid(a, b), rel=1e-6)


def test_fid_of_known_gaussians():
    # Equal covariances: FID reduces to the squared mean difference.
    mu = np.array([1.0, 2.0])
    cov = np.array([[2.0, 0.3], [0.3, 1.0]])
    assert metrics.frechet_distance(mu, cov, np.zeros(2), cov) == pytest.approx(5.0, abs=1e-9)
    # Diagonal: sum of (sqrt(a) - sqrt(b))^2.
    got = metrics.frechet_distance(np.zeros(2), np.diag([4.0, 9.0]), np.zeros(2), np.diag([1.0, 1.0]))
    assert got == pytest.approx((2 - 1) ** 2 + (3 - 1) ** 2)


def test_kid():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(400, 8)), rng.normal(size=(400, 8))
    same, _ = metrics.kernel_distance(a, b, num_subsets=20, subset_size=200)
    shifted, _ = metrics.kernel_distance(a, b + 1.0, num_subsets=20, subset_size=200)
    assert abs(same) < 0.05 and shifted > 0.5


def test_inception_score_closed_forms():
    uniform_one_hot = np.eye(10)[np.arange(1000) % 10]
    mean, std = metrics.inception_score(uniform_one_hot, splits=10)
    assert mean == pytest.approx(10.0, rel=1e-6) and std == pytest.approx(0.0, abs=1e-6)
    constant = np.tile(np.array([0.2, 0.3, 0.5]), (100, 1))
    assert metrics.inception_score(constant)[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="distributions"):
        metrics.inception_score(np.ones((20, 3)))


def test_precision_recall_density_coverage_on_constructed_sets():
    grid = np.stack(np.meshgrid(np.arange(10.0), np.arange(10.0)), -1).reshape(-1, 2)
    # Identical sets: everything inside, density 1.
    assert metrics.precision_recall(grid, grid) == {"precision": 1.0, "recall": 1.0}
    dc = metrics.density_coverage(grid, grid)
    assert dc["coverage"] == 1.0 and dc["density"] >= 1.0
    # Fakes covering only the left half of the grid, exactly on its points.
    half = grid[grid[:, 0] < 5]
    pr = metrics.precision_recall(grid, half)
    # Real points with x <= 5 are within one grid step (inside the k-NN radii) of a fake.
    assert pr["precision"] == 1.0 and pr["recall"] == pytest.approx(0.6)
    assert metrics.density_coverage(grid, half)["coverage"] == pytest.approx(0.6)
    # Fakes far away: nothing counts.
    far = grid + 100.0
    assert metrics.precision_recall(grid, far) == {"precision": 0.0, "recall": 0.0}
    assert metrics.density_coverage(grid, far) == {"density": 0.0, "coverage": 0.0}
