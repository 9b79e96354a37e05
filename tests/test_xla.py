"""XLA by default: what `jit_compile="auto"` resolves to (measured on the
first long fit), and every kind of model training under XLA.

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


@pytest.fixture
def forced_jit(monkeypatch):
    """KERAS_GAN_JIT=1: XLA wherever the model supports it, without measuring."""
    monkeypatch.setenv("KERAS_GAN_JIT", "1")


def test_auto_measures_xla_on_the_first_long_fit_and_caches_the_verdict(
        auto_jit, tmp_path, monkeypatch):
    from keras_gan.models import _xla

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    assert not tf.config.list_physical_devices("GPU")
    gan = tiny_image_gan()
    gan.compile()
    assert gan.jit_compile is False  # undecided: off until a long fit measures it
    gan.fit(images(8), batch_size=4, epochs=1, verbose=0)  # 2 steps: too short to decide
    assert gan.xla_decision["measured"] is False and "2 steps" in gan.xla_decision["reason"]
    assert gan.jit_compile is False and not os.path.exists(_xla._cache_path())

    monkeypatch.setattr(_xla, "MIN_STEPS", 10)
    before = int(gan.step_counter.numpy())
    history = gan.fit(images(80), batch_size=4, epochs=1, verbose=0).history  # 20 steps
    decision = gan.xla_decision
    assert decision["measured"] and not decision["cached"]
    assert 8 <= decision["measured_steps"] <= 20 and decision["step_ms"]["on"] > 0
    # The measured steps are the run's own: nothing repeated, nothing undone.
    assert int(gan.step_counter.numpy()) == before + 20
    assert np.isfinite(history["d_loss"][-1])
    assert gan.jit_compile is decision["xla"]
    assert not isinstance(gan.train_function, _xla.DecidingFunction)
    with open(_xla._cache_path()) as handle:
        cached = json.load(handle)
    assert [v["xla"] for v in cached.values()] == [decision["xla"]]

    # The same model on the same data and machine reuses the verdict.
    again = tiny_image_gan()
    again.compile()
    again.fit(images(80), batch_size=4, epochs=1, verbose=0)
    assert again.xla_decision["cached"] and again.jit_compile is decision["xla"]
    # Another batch size is another signature.
    other = tiny_image_gan()
    other.compile()
    other.fit(images(160), batch_size=8, epochs=1, verbose=0)  # 20 steps, as the first fit
    assert not other.xla_decision["cached"]
    # Not saved with the model: decided again where it is loaded.
    assert "jit_compile" not in gan.get_compile_config()
    gan.save(tmp_path / "gan.keras")
    assert keras.models.load_model(tmp_path / "gan.keras").jit_compile is False


class _Clock:
    """Stand-ins for the two train functions: each call advances time.perf_counter."""

    def __init__(self, monkeypatch, seconds):
        self.now, self.seconds, self.calls = 0.0, seconds, []
        monkeypatch.setattr("keras_gan.models._xla.time.perf_counter", lambda: self.now)

    def function(self, mode):
        def run(iterator):
            self.now += self.seconds[mode]
            self.calls.append(mode)
            return {"loss": np.float32(0)}
        return run


@pytest.mark.parametrize("off_ms,on_ms,chosen", [(10, 6, True), (10, 9.8, False), (6, 10, False)])
def test_the_faster_mode_wins_and_xla_needs_a_margin(off_ms, on_ms, chosen, monkeypatch, tmp_path):
    import types

    from keras_gan.models import _xla

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    clock = _Clock(monkeypatch, {False: off_ms / 1000, True: on_ms / 1000})
    model = types.SimpleNamespace(jit_compile=False, train_function=None)
    deciding = _xla.DecidingFunction(model, "key", 0, {m: clock.function(m) for m in (False, True)})
    model.train_function = deciding
    while model.train_function is deciding:
        deciding(None)
    assert model.jit_compile is chosen and model.xla_decision["xla"] is chosen
    assert model.train_function is deciding.functions[chosen]
    # Clearly apart (> 25%): one round decides; close: every round runs.
    rounds = 1 if abs(off_ms - on_ms) > 0.25 * min(off_ms, on_ms) else _xla.ROUNDS
    assert len(clock.calls) == 2 + 2 * _xla.ROUND_STEPS * rounds


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
    monkeypatch.setenv("KERAS_GAN_JIT", "1")  # on wherever supported, no measurement
    gan.compile()
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


def test_singan_refuses_xla(forced_jit):
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
def test_xla_trains_the_mlp_variants(cls, forced_jit):
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
def test_recipes_train_under_xla(recipe, tmp_path, forced_jit, monkeypatch):
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
