"""XLA by default: what `jit_compile="auto"` resolves to, and every kind of
model training under XLA.

The rest of the suite runs with `KERAS_GAN_JIT=0` (conftest.py): XLA's compile
time would dominate its hundreds of two-step fits. These tests lift it.
"""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

import keras_gan
from keras_gan import cli
from tests.conftest import images, ring_points, tiny_image_gan, tiny_mlp_gan


@pytest.fixture
def auto_jit(monkeypatch):
    """The environment of a user who never heard of KERAS_GAN_JIT."""
    monkeypatch.delenv("KERAS_GAN_JIT", raising=False)


def test_auto_turns_xla_on_for_gans_on_this_cpu(auto_jit, tmp_path):
    assert not tf.config.list_physical_devices("GPU")  # Keras's own "auto" says no here
    gan = tiny_image_gan()
    gan.compile()
    assert gan.jit_compile is True
    history = gan.fit(images(8), batch_size=4, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1]) and np.isfinite(history["g_loss"][-1])
    # The choice is made again where the model is loaded, not saved with it.
    assert "jit_compile" not in gan.get_compile_config()
    gan.save(tmp_path / "gan.keras")
    assert keras.models.load_model(tmp_path / "gan.keras").jit_compile is True

    pix2pix = keras_gan.Pix2Pix(
        keras_gan.networks.unet_generator(32, 1, 1, base_filters=4),
        keras_gan.networks.patchgan_discriminator(32, 1, 1, base_filters=4, num_downsamples=1))
    pix2pix.compile()
    assert pix2pix.jit_compile is True


def test_auto_leaves_xla_off_where_it_should(auto_jit, monkeypatch):
    gan = tiny_mlp_gan()
    gan.compile(jit_compile=False)  # an explicit choice wins
    assert gan.jit_compile is False
    gan.compile(run_eagerly=True)
    assert gan.jit_compile is False
    monkeypatch.setenv("KERAS_GAN_JIT", "0")
    gan.compile()
    assert gan.jit_compile is False
    gan.compile(jit_compile=True)
    assert gan.jit_compile is True
    monkeypatch.setenv("KERAS_GAN_JIT", "fast")
    with pytest.raises(ValueError, match="KERAS_GAN_JIT='fast'.*use 0"):
        gan.compile()
    monkeypatch.delenv("KERAS_GAN_JIT")
    # Under tf.distribute, as Keras: multi-replica XLA is not verified here.
    devices = [d.name for d in tf.config.list_logical_devices("CPU")[:2]]
    with tf.distribute.MirroredStrategy(devices).scope():
        mirrored = tiny_mlp_gan()
        mirrored.compile()
    assert mirrored.jit_compile is False


def test_singan_refuses_xla(auto_jit):
    image = np.linspace(-1, 1, 16 * 24 * 3, dtype="float32").reshape(16, 24, 3)
    model = keras_gan.SinGAN(image, min_size=12, filters=4, num_blocks=3)
    model.compile()
    assert model.jit_compile is False  # bicubic resizing: XLA cannot compile it
    with pytest.raises(ValueError, match="bicubic.*jit_compile"):
        model.compile(jit_compile=True)


def _spectral_mlp_discriminator():
    dense = keras.layers.SpectralNormalization
    inputs = keras.Input((2,))
    hidden = keras.layers.LeakyReLU(0.2)(dense(keras.layers.Dense(16))(inputs))
    return keras.Model(inputs, dense(keras.layers.Dense(1))(hidden))


@pytest.mark.parametrize("cls", [keras_gan.SNGAN, keras_gan.LSGAN, keras_gan.WGAN])
def test_xla_trains_the_mlp_variants(cls, auto_jit):
    if cls is keras_gan.SNGAN:  # spectral normalization's power iteration under XLA
        gan = cls(keras_gan.networks.mlp_generator(4, 2, (16,)), _spectral_mlp_discriminator(),
                  4, seed=1)
    else:
        gan = tiny_mlp_gan(cls)
    gan.compile()
    assert gan.jit_compile is True
    history = gan.fit(ring_points(16), batch_size=4, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values())


# The recipes whose models are not trained under XLA elsewhere in the suite
# (GAN, WGAN-GP and DRAGAN: tests/models/test_gan.py). StyleGAN2's lazy
# penalties take second derivatives inside a tf.cond, which XLA rejected
# before MinibatchStdDev and the style broadcast stopped using a dynamic tile.
XLA_RECIPES = ["stylegan2_celeba64", "stylegan_ffhq", "progan_celeba", "lapgan_cifar10",
               "infogan_mnist", "acgan_fashion_mnist", "ssgan_mnist", "pix2pix_facades",
               "cyclegan_horse2zebra", "srgan_div2k", "stargan_celeba", "inpainting_celeba"]


@pytest.mark.slow
@pytest.mark.parametrize("recipe", XLA_RECIPES)
def test_recipes_train_under_xla_by_default(recipe, tmp_path, auto_jit, monkeypatch):
    from tests.test_cli import _args

    compiled = []
    original = keras.Model.compile

    def spy(model, *args, **kwargs):
        original(model, *args, **kwargs)
        compiled.append(model.jit_compile)

    monkeypatch.setattr(keras.Model, "compile", spy)
    out = tmp_path / "run"
    with tfds.testing.mock_data(num_examples=16):
        assert cli.main(["train", recipe, *_args(recipe, out)]) == 0
    assert compiled and all(compiled), compiled
    assert json.load(open(out / "config.json"))["jit"] == "auto"
    final = json.load(open(out / "summary.json"))["final"]
    assert np.isfinite(final["d_loss"]) and np.isfinite(final["g_loss"])


def test_cli_jit_flags(tmp_path):
    from tests.test_cli import TINY

    base = ["train", "mixtures_ring", "--steps", "1", "--batch-size", "4", "--verbose", "0",
            *TINY["mixtures_ring"]]
    for flag, expected in (("--no-jit", False), ("--jit", True)):
        out = tmp_path / flag.strip("-")
        assert cli.main([*base, "--out", str(out), flag]) == 0
        assert json.load(open(os.path.join(out, "config.json")))["jit"] is expected
