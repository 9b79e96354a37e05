"""SinGAN: the pyramid, coarse-to-fine training, sampling at other size ratios,
exact resume, and SiFID against closed forms."""

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import metrics
from keras_gan.models.singan import pyramid_sizes
from tests.conftest import assert_weights_close

ARGS = {"min_size": 12, "filters": 4, "num_blocks": 3, "seed": 1}


def _image(height=16, width=24):
    y, x = np.mgrid[0:height, 0:width] / 8.0
    return np.stack([np.sin(x), np.cos(y), np.sin(x + y)], -1).astype("float32") * 0.9


def test_pyramid_sizes():
    assert pyramid_sizes(250, 188) == [
        (round(250 * 0.75**k), round(188 * 0.75**k)) for k in range(7, -1, -1)]
    assert min(pyramid_sizes(250, 188)[0]) >= 25 > 0.75 * min(pyramid_sizes(250, 188)[0])
    with pytest.raises(ValueError, match="smaller than min_size"):
        pyramid_sizes(20, 40)
    with pytest.raises(ValueError, match="scale_factor"):
        pyramid_sizes(100, 100, scale_factor=1.5)


def test_singan_trains_coarse_to_fine_and_samples_keep_the_size_ratio(tmp_path):
    image = _image()
    model = keras_gan.SinGAN(image, **ARGS)
    assert model.sizes == [(12, 18), (16, 24)]
    np.testing.assert_allclose(model.image(), image)
    model.compile()
    history = model.fit(epochs=1, steps_per_epoch=2, verbose=0).history
    assert {"d_loss", "g_loss", "gp", "reconstruction"} <= set(history)
    assert int(model.trained_scales.numpy()) == 1 and model.noise_amplitudes.numpy()[0] == 1.0
    assert model.generate(2, seed=0).shape == (2, 12, 18, 3)  # the trained scale only
    model.fit(epochs=2, initial_epoch=1, steps_per_epoch=2, verbose=0)
    # a_1 = 0.1 * RMSE(upsampled reconstruction of scale 0, image at scale 1).
    import tensorflow as tf

    upsampled = tf.image.resize(model.reconstruct(top=0)[None], (16, 24), method="bicubic")
    expected = 0.1 * np.sqrt(np.mean((upsampled.numpy() - model.image(1)) ** 2))
    np.testing.assert_allclose(model.noise_amplitudes.numpy()[1], expected, rtol=1e-5)
    samples = model.generate(3, seed=0)
    assert samples.shape == (3, 16, 24, 3)
    assert not np.allclose(samples[0], samples[1])  # random, not the reconstruction
    wide = model.generate(2, scale=(1.0, 2.0), seed=0)
    assert wide.shape == (2, 16, 48, 3)
    tall = model.generate(1, scale=(1.5, 1.0), seed=0)
    assert tall.shape == (1, 24, 24, 3)
    assert len(model.preview()) == 5
    model.save(tmp_path / "singan.keras")
    loaded = keras.models.load_model(tmp_path / "singan.keras")
    assert loaded.sizes == model.sizes and int(loaded.trained_scales.numpy()) == 2
    np.testing.assert_allclose(loaded.generate(2, seed=5), model.generate(2, seed=5), atol=1e-5)
    np.testing.assert_allclose(loaded.reconstruct(), model.reconstruct(), atol=1e-5)
    with pytest.raises(ValueError, match="one scale per epoch"):
        model.fit(epochs=3, steps_per_epoch=1, verbose=0)


def test_singan_resumes_exactly_at_a_scale_boundary(tmp_path):
    def fresh():
        model = keras_gan.SinGAN(_image(), **ARGS)
        model.compile()
        return model

    keras.utils.set_random_seed(0)
    straight = fresh()
    straight.fit(epochs=2, steps_per_epoch=2, verbose=0)
    keras.utils.set_random_seed(0)
    first = fresh()
    first.fit(epochs=1, steps_per_epoch=2, verbose=0)
    first.save(tmp_path / "after_scale_0.keras")
    resumed = keras.models.load_model(tmp_path / "after_scale_0.keras")
    resumed.fit(epochs=2, initial_epoch=1, steps_per_epoch=2, verbose=0)
    assert_weights_close(resumed.weights, straight.weights, atol=1e-5)


def test_singan_errors():
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        keras_gan.SinGAN(_image() * 255, **ARGS)
    with pytest.raises(ValueError, match="one image"):
        keras_gan.SinGAN(np.zeros((2, 16, 24, 3), "float32"), **ARGS)
    model = keras_gan.SinGAN(_image(), **ARGS)
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(epochs=1, steps_per_epoch=1)
    with pytest.raises(ValueError, match="No scale is trained"):
        model.generate(1)


def test_sifid_against_closed_forms():
    image = _image(8, 8)
    identity = lambda x: x  # noqa: E731  (features = the pixels)
    assert metrics.sifid(image, image[None], identity) == pytest.approx(0.0, abs=1e-9)
    # A constant shift c of every channel moves the mean by c per channel: k c^2.
    shifted = np.stack([image + 0.1, image - 0.2])
    assert metrics.sifid(image, shifted, identity) == pytest.approx(
        0.5 * (3 * 0.01 + 3 * 0.04), rel=1e-6)
    # Scaling by s keeps the mean direction but changes the covariance:
    # ||mu - s mu||^2 + tr((1 - s)^2 S) for features x -> s x.
    features = image.reshape(-1, 3).astype(np.float64)
    mean, cov = features.mean(0), np.cov(features, rowvar=False)
    s = 0.5
    expected = ((1 - s) ** 2) * (mean @ mean + np.trace(cov))
    assert metrics.sifid(image, (s * image)[None], identity) == pytest.approx(expected, rel=1e-6)
    extractor = metrics.sifid_extractor(weights=None)
    assert extractor.output.shape[-1] == 64  # InceptionV3's first max-pooling features
    with pytest.raises(ValueError, match="one real image"):
        metrics.sifid(np.zeros((2, 8, 8, 3)), image[None], identity)
