"""PPL, sliced Wasserstein distance and MS-SSIM diversity against closed forms,
SciPy and tf.image."""

import keras
import numpy as np
import pytest
import scipy.stats
from scipy import ndimage
import tensorflow as tf

import keras_gan
from keras_gan import metrics, networks
from keras_gan.metrics import path_length, sliced_wasserstein

LATENT = 3


def _linear_gan():
    """G(z) = A z, reshaped to 4x4x1 images: PPL has a closed form."""
    generator = keras.Sequential([keras.Input((LATENT,)), keras.layers.Dense(16, use_bias=False),
                                  keras.layers.Reshape((4, 4, 1))], name="linear")
    discriminator = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                                      keras.layers.Dense(1)])
    gan = keras_gan.GAN(generator, discriminator, LATENT, seed=1)
    return gan, generator.layers[0].get_weights()[0].T.astype(np.float64)  # A: (16, LATENT)


def _squared_l2(a, b):
    return np.sum(np.square(np.asarray(a, np.float64) - np.asarray(b, np.float64)), axis=(1, 2, 3))


def _slerp_velocity(a, b, t):
    """d/dt of (sin((1-t)w) a + sin(tw) b) / sin(w), by hand."""
    omega = np.arccos(np.sum(a * b, 1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)))
    return (omega / np.sin(omega))[:, None] * (
        -np.cos((1 - t) * omega)[:, None] * a + np.cos(t * omega)[:, None] * b)


@pytest.mark.parametrize("sampling", ["end", "full"])
def test_ppl_of_a_linear_generator_is_the_squared_speed_of_the_path(sampling):
    gan, matrix = _linear_gan()
    value, samples = metrics.perceptual_path_length(
        gan, 200, sampling=sampling, epsilon=1e-3, distance=_squared_l2, seed=3,
        return_samples=True)
    z0, z1, t = path_length.path_endpoints(np.random.default_rng(3), 200, LATENT, sampling)
    expected = np.sum(np.square(_slerp_velocity(z0, z1, t) @ matrix.T), axis=1)
    np.testing.assert_allclose(samples, expected, rtol=2e-2)
    low, high = np.percentile(samples, [1, 99])
    assert value == pytest.approx(samples[(samples >= low) & (samples <= high)].mean())
    assert (sampling == "full") == (t.std() > 0.1)
    doubled = keras.Sequential([gan.generator, keras.layers.Rescaling(2.0)])
    twice = keras_gan.GAN(doubled, gan.discriminator, LATENT, seed=1)
    assert metrics.perceptual_path_length(twice, 200, sampling=sampling, epsilon=1e-3,
                                          distance=_squared_l2, seed=3) == pytest.approx(
        4 * value, rel=2e-2)


def test_ppl_in_w_of_a_stylegan_and_its_errors():
    g = networks.stylegan_generator(8, 8, 3, mapping_layers=2, randomize_noise=False,
                                    fmap_base=16, fmap_max=8)
    style = keras_gan.StyleGAN2(g, networks.stylegan2_discriminator(8, 3, fmap_base=16,
                                                                    fmap_max=8),
                                latent_dim=8, seed=1)
    pairs = []

    def distance(a, b):
        pairs.append((a, b))
        return _squared_l2(a, b)

    value = metrics.perceptual_path_length(style, 6, space="w", distance=distance, batch_size=4)
    assert np.isfinite(value) and value > 0 and [len(a) for a, _ in pairs] == [4, 2]
    # sampling="end": the first image of each pair is the generator's image of z0.
    z0, _, _ = path_length.path_endpoints(np.random.default_rng(0), 6, 8, "end")
    np.testing.assert_allclose(pairs[0][0], style.generate(latents=z0[:4].astype("float32")),
                               atol=1e-5)
    with pytest.raises(ValueError, match="W space"):
        metrics.perceptual_path_length(_linear_gan()[0], 4, space="w", distance=distance)
    for bad in ({"space": "x"}, {"sampling": "middle"}, {"epsilon": 0}):
        with pytest.raises(ValueError):
            metrics.perceptual_path_length(style, 4, distance=distance, **bad)


def test_lpips_vgg16_distance_offline_weights():
    distance = metrics.lpips_vgg16(weights=None)
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (3, 32, 32, 1)).astype("float32")
    b = rng.uniform(-1, 1, (3, 32, 32, 1)).astype("float32")
    same, apart = distance(a, a), distance(a, b)
    assert same.shape == (3,) and np.allclose(same, 0, atol=1e-6) and np.all(apart > 1e-3)
    np.testing.assert_allclose(distance(b, a), apart, rtol=1e-5)


def test_laplacian_pyramid_is_exact_and_sliced_wasserstein_matches_scipy():
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (2, 32, 32, 3))
    pyramid = sliced_wasserstein.laplacian_pyramid(images, 2)
    assert [level.shape for level in pyramid] == [(2, 32, 32, 3), (2, 16, 16, 3)]
    np.testing.assert_allclose(sliced_wasserstein.reconstruct_pyramid(pyramid), images, atol=1e-9)
    a, b = rng.standard_normal((300, 5)), rng.standard_normal((300, 5)) * 1.5 + 0.2
    directions = rng.standard_normal((5, 7))
    directions /= np.linalg.norm(directions, axis=0)
    expected = np.mean([scipy.stats.wasserstein_distance(a @ d, b @ d) for d in directions.T])
    assert sliced_wasserstein.sliced_wasserstein(a, b, directions) == pytest.approx(expected)


def test_swd_levels_see_fine_detail_apart_from_structure():
    rng = np.random.default_rng(1)

    def smooth(n):
        return ndimage.gaussian_filter(rng.standard_normal((n, 32, 32, 3)), (0, 2, 2, 0))

    real, fake = smooth(32), smooth(32)
    grainy = fake + 0.5 * fake.std() * rng.standard_normal(fake.shape)
    same = metrics.swd(real, fake, patches_per_image=64)
    noisy = metrics.swd(real, grainy, patches_per_image=64)
    assert sorted(same) == ["swd_16", "swd_32", "swd_avg"]
    # Pixel noise changes the finest level; the 16x16 level (structure) barely moves.
    assert noisy["swd_32"] > 1.5 * same["swd_32"]
    assert 0.75 < noisy["swd_16"] / same["swd_16"] < 1.33
    assert noisy["swd_avg"] == pytest.approx(np.mean([noisy["swd_16"], noisy["swd_32"]]))
    with pytest.raises(ValueError, match="divisible"):
        metrics.swd(np.zeros((2, 70, 70, 3)), np.zeros((2, 70, 70, 3)))  # 70 -> 35 -> 17
    with pytest.raises(ValueError, match="one shape"):
        metrics.swd(real, real[:4])


def test_ms_ssim_and_diversity():
    rng = np.random.default_rng(2)
    small = rng.uniform(-1, 1, (3, 20, 20, 3)).astype("float32")
    other = np.clip(small + rng.normal(0, 0.3, small.shape), -1, 1).astype("float32")
    # 20 px holds one 11x11 scale: MS-SSIM is SSIM.
    np.testing.assert_allclose(metrics.ms_ssim(small, other), metrics.ssim(small, other),
                               rtol=1e-6)
    large = rng.uniform(-1, 1, (2, 176, 176, 1)).astype("float32")
    blurred = tf.nn.avg_pool2d(large, 3, 1, "SAME").numpy()
    np.testing.assert_allclose(metrics.ms_ssim(large, blurred),
                               tf.image.ssim_multiscale(large, blurred, 2.0), rtol=1e-5)
    np.testing.assert_allclose(metrics.ms_ssim(large, large), 1.0, rtol=1e-6)
    copies = np.repeat(small[:1], 4, axis=0)
    assert metrics.ms_ssim_diversity(copies, num_pairs=10) == pytest.approx(1.0)
    assert metrics.ms_ssim_diversity(small, num_pairs=10) < 0.2
    with pytest.raises(ValueError, match="n >= 2"):
        metrics.ms_ssim_diversity(small[:1])
