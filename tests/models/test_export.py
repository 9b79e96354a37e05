"""`export_generator`: SavedModel and TF-Lite exports give `generate`'s images."""

import os
import warnings

import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import cli, networks
from tests.conftest import tiny_conditional_gan, tiny_image_gan
from tests.models.test_image_to_image import _cyclegan


def _latents(n=5, dim=8, seed=0):
    return np.random.default_rng(seed).standard_normal((n, dim)).astype("float32")


def _visible(network):
    """DCGAN's N(0, 0.02) kernels give outputs near 0: scaled up, the images
    (and what changes them) differ visibly."""
    network.set_weights([w * 10 if w.ndim > 1 else w for w in network.get_weights()])


def _saved(path, **inputs):
    signature = tf.saved_model.load(path).signatures["serving_default"]
    return signature(**{k: tf.constant(v) for k, v in inputs.items()})["images"].numpy()


def _tflite(path, **inputs):
    with warnings.catch_warnings():  # its deprecation notice (LiteRT); the API stands
        warnings.simplefilter("ignore", UserWarning)
        runner = tf.lite.Interpreter(path).get_signature_runner()
    return runner(**inputs)["images"]


def test_saved_model_and_tflite_match_generate_with_the_ema_generator(tmp_path):
    gan = tiny_image_gan()
    _visible(gan.generator)
    gan.add_ema_generator()
    gan.ema_generator.set_weights([w * 0.8 for w in gan.generator.get_weights()])
    z = _latents()
    expected = gan.generate(latents=z)
    assert np.abs(expected).mean() > 0.05
    assert not np.allclose(expected, gan.generate(latents=z, use_ema=False), atol=1e-2)
    assert gan.export_generator(tmp_path / "sm") == str(tmp_path / "sm")
    np.testing.assert_allclose(_saved(str(tmp_path / "sm"), latents=z), expected, atol=1e-5)
    gan.export_generator(tmp_path / "g.tflite", format="tflite")
    np.testing.assert_allclose(_tflite(str(tmp_path / "g.tflite"), latents=z), expected, atol=1e-5)
    # use_ema=False exports the raw generator; the old export is replaced whole.
    gan.export_generator(tmp_path / "sm", use_ema=False)
    np.testing.assert_allclose(_saved(str(tmp_path / "sm"), latents=z),
                               gan.generate(latents=z, use_ema=False), atol=1e-5)
    assert sorted(os.listdir(tmp_path)) == ["g.tflite", "sm"]  # no temporary left behind


def test_conditional_and_stylegan_signatures_take_labels_and_psi(tmp_path):
    conditional = tiny_conditional_gan()
    _visible(conditional.generator)
    z, labels = _latents(), np.array([0, 1, 2, 3, 1], np.int32)
    conditional.export_generator(tmp_path / "c.tflite", format="tflite")
    assert not np.allclose(conditional.generate(latents=z, labels=labels),
                           conditional.generate(latents=z, labels=labels[::-1]), atol=1e-4)
    np.testing.assert_allclose(_tflite(str(tmp_path / "c.tflite"), latents=z, labels=labels),
                               conditional.generate(latents=z, labels=labels), atol=1e-5)

    g = networks.stylegan_generator(8, 8, 3, mapping_layers=2, version=2, randomize_noise=False,
                                    fmap_base=16, fmap_max=8)
    style = keras_gan.StyleGAN2(g, networks.stylegan2_discriminator(8, 3, fmap_base=16,
                                                                    fmap_max=8),
                                latent_dim=8, seed=1)
    style.w_average.assign(np.linspace(-1, 1, 8).astype("float32"))
    style.export_generator(tmp_path / "style")
    assert not np.allclose(style.generate(latents=z, psi=0.5), style.generate(latents=z),
                           atol=1e-3)
    for psi in (1.0, 0.5):
        np.testing.assert_allclose(
            _saved(str(tmp_path / "style"), latents=z, psi=np.float32(psi)),
            style.generate(latents=z, psi=psi), atol=1e-5)


def test_image_to_image_exports_translate_both_cyclegan_directions(tmp_path):
    model = _cyclegan()
    pictures = np.random.default_rng(0).uniform(-1, 1, (3, 32, 32, 3)).astype("float32")
    model.export_generator(tmp_path / "ab")
    model.export_generator(tmp_path / "ba", generator=model.inverse_generator)
    np.testing.assert_allclose(_saved(str(tmp_path / "ab"), images=pictures),
                               model.translate(pictures), atol=1e-5)
    np.testing.assert_allclose(_saved(str(tmp_path / "ba"), images=pictures),
                               model.translate(pictures, direction="b_to_a"), atol=1e-5)


def test_export_errors_and_the_cli(tmp_path, capsys):
    gan = tiny_image_gan()
    with pytest.raises(ValueError, match="format"):
        gan.export_generator(tmp_path / "x", format="onnx")
    with pytest.raises(ValueError, match=".tflite"):
        gan.export_generator(tmp_path / "x.bin", format="tflite")
    (tmp_path / "file").write_text("")
    with pytest.raises(FileExistsError, match="directory"):
        gan.export_generator(tmp_path / "file")
    singan = keras_gan.SinGAN(image_shape=(24, 24, 3), min_size=12, filters=4, max_filters=4,
                              num_blocks=2, seed=1)
    with pytest.raises(NotImplementedError, match="SinGAN has no generator signature"):
        singan.export_generator(tmp_path / "s")

    gan.save(tmp_path / "model.keras")
    assert cli.main(["export", str(tmp_path / "model.keras"), "--format", "tflite"]) == 0
    out = tmp_path / "model_generator.tflite"
    assert f"to {out}" in capsys.readouterr().out
    z = _latents()
    np.testing.assert_allclose(_tflite(str(out), latents=z), gan.generate(latents=z), atol=1e-5)
    assert cli.main(["export", str(tmp_path / "model.keras"), "--direction", "b_to_a"]) == 2
    assert "CycleGAN" in capsys.readouterr().err
