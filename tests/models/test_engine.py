"""The phase engine: every model's random streams come from one table, every
optimizer gets loss scaling, phases with intervals, and the README's example
of a new model with an extra phase."""

import pathlib
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import networks
from keras_gan.models.engine import BATCH_STREAM, STREAMS_PER_BLOCK, Engine, Phase
from tests.conftest import ring_points, tiny_image_gan, tiny_mlp_gan
from tests.models.test_image_to_image import _cyclegan, _pictures, _stargan

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def _singan():
    y, x = np.mgrid[0:16, 0:24] / 8.0
    image = np.stack([np.sin(x), np.cos(y), np.sin(x + y)], -1).astype("float32") * 0.9
    return keras_gan.SinGAN(image, min_size=12, filters=4, num_blocks=3, seed=1)


def _context_encoder():
    g = networks.context_encoder_generator(32, 3, base_filters=4, bottleneck=8)
    d = networks.dcgan_discriminator(32, 3, base_filters=4)
    return keras_gan.ContextEncoder(g, d, mask="random", seed=1)


def _logged_draws(model, fit):
    """`[(owner, stream)]` of every random draw of one eagerly run training step."""
    model.__dict__["_stream_log"] = []
    fit()
    return model.__dict__.pop("_stream_log")


@pytest.mark.parametrize("name", ["gan", "stylegan2", "cyclegan", "stargan", "context", "singan"])
def test_every_draw_comes_from_its_owners_block_of_the_one_table(name):
    if name == "gan":
        model = tiny_mlp_gan()
        model.compile(d_steps=2, penalties=["gp", "pl"], run_eagerly=True)
        fit = lambda: model.fit(ring_points(8), batch_size=8, epochs=1, verbose=0)  # noqa: E731
        owners = {("d", 0), ("d", 1), ("g", 0)}
    elif name == "stylegan2":
        g = networks.stylegan_generator(8, 8, 1, version=2, mapping_layers=1, fmap_base=32,
                                        fmap_max=8)
        d = networks.stylegan2_discriminator(8, 1, fmap_base=32, fmap_max=8)
        model = keras_gan.StyleGAN2(g, d, 8, seed=1)
        model.compile(run_eagerly=True)
        data = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
        fit = lambda: model.fit(data, batch_size=4, epochs=1, verbose=0)  # noqa: E731
        owners = {("d", 0), ("g", 0)}
    elif name == "cyclegan":
        model = _cyclegan()
        model.compile(penalties=["gp"], d_steps=2, run_eagerly=True)
        fit = lambda: model.fit(_pictures(2), _pictures(2, seed=1), batch_size=2,  # noqa: E731
                                epochs=1, verbose=0)
        owners = {("g", 0), ("d", 0), ("d", 1)}
    elif name == "stargan":
        model = _stargan()
        model.compile(d_steps=2, run_eagerly=True)
        labels = np.eye(3, dtype="float32")[[0, 2]]
        fit = lambda: model.fit(_pictures(2, size=16), labels, batch_size=2,  # noqa: E731
                                epochs=1, verbose=0)
        owners = {("d", 0), ("d", 1), ("g", 0)}
    elif name == "context":
        model = _context_encoder()
        model.compile(penalties=["gp"], run_eagerly=True)
        fit = lambda: model.fit(_pictures(2), batch_size=2, epochs=1, verbose=0)  # noqa: E731
        owners = {"batch", ("d", 0)}
    else:
        model = _singan()
        model.compile(d_steps=2, g_steps=2, run_eagerly=True)
        model.fit(epochs=1, steps_per_epoch=1, verbose=0)
        fit = lambda: model.fit(epochs=2, initial_epoch=1, steps_per_epoch=1,  # noqa: E731
                                verbose=0)
        owners = {("d", 0), ("d", 1), ("g", 0), ("g", 1)}
    draws = _logged_draws(model, fit)
    table = model.stream_table()
    assert draws and {owner for owner, _ in draws} == owners
    for owner, stream in draws:
        assert stream in table[owner], (owner, stream)
    # Blocks follow the phases in the order they run, and never overlap.
    ranges = sorted((r.start, r.stop) for r in table.values())
    assert all(stop <= start for (_, stop), (start, _) in zip(ranges, ranges[1:]))
    first_phase = model.phases()[0].name
    assert table[(first_phase, 0)].start == 0 and table["batch"].start == BATCH_STREAM
    streams = [{s for o, s in draws if o == owner} for owner in owners]
    assert sum(map(len, streams)) == len(set().union(*streams))  # no stream shared


def _sgd_update(build, fit, policy):
    """The weight change of one SGD training step under `policy` (with a
    loss scale of 1024 under mixed_float16)."""
    keras.mixed_precision.set_global_policy(policy)
    model = build()
    before = [np.asarray(w, np.float64) for w in model.trainable_weights]

    def sgd():
        optimizer = keras.optimizers.SGD(0.01)
        if policy != "mixed_float16":
            return optimizer
        return keras.optimizers.LossScaleOptimizer(optimizer, initial_scale=1024.0)

    fit(model, sgd)
    after = [np.asarray(w, np.float64) for w in model.trainable_weights]
    keras.mixed_precision.set_global_policy("float32")
    return model, np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(after, before)))


@pytest.mark.parametrize("name", ["singan", "cyclegan"])
def test_singan_and_cyclegan_get_loss_scaling_under_mixed_float16(name):
    if name == "singan":
        build = _singan

        def fit(model, sgd):
            # Without the gradient penalty: its float16 gradients overflow at
            # this loss scale, and the loss scaler then (rightly) skips the step.
            model.compile(d_optimizer=sgd(), g_optimizer=sgd(), d_steps=1, g_steps=1,
                          gp_weight=0.0)
            model.fit(epochs=1, steps_per_epoch=1, verbose=0)
    else:
        build = _cyclegan

        def fit(model, sgd):
            model.compile(d_optimizer=sgd(), g_optimizer=sgd())
            model.fit(_pictures(2), _pictures(2, seed=1), batch_size=2, epochs=1, verbose=0)

    mixed, mixed_change = _sgd_update(build, fit, "mixed_float16")
    for optimizer in (mixed.d_optimizer, mixed.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        assert int(optimizer.inner_optimizer.iterations.numpy()) == 1
    _, full_change = _sgd_update(build, fit, "float32")
    # Without scale_loss, the LossScaleOptimizer would divide unscaled
    # gradients by 1024 and the SGD step would all but vanish.
    assert full_change > 0 and 0.8 < mixed_change / full_change < 1.25
    # Plain optimizers are wrapped automatically (SinGAN's per-scale copies too).
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = build()
    model.compile()
    if name == "singan":
        model.start_scale(0, steps=10)
    for optimizer in (model.d_optimizer, model.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)


# --- the README's "writing a new model" example ------------------------------------

def _readme_example():
    text = README.read_text()
    match = re.search(r"<!-- new-model-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "README lost its new-model example"
    code = match.group(1)
    assert len(code.strip().splitlines()) < 40
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    return namespace["EncoderGAN"]


def _encoder_gan(cls, latent_dim=4):
    encoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
                                keras.layers.Dense(latent_dim)], name="encoder")
    base = tiny_mlp_gan(latent_dim=latent_dim)
    return cls(base.generator, base.discriminator, encoder, latent_dim, seed=1)


def test_readme_new_model_example_trains_its_extra_phase_saves_and_resumes(tmp_path):
    cls = _readme_example()
    model = _encoder_gan(cls)
    model.compile()
    assert [p.name for p in model.phases()] == ["d", "g", "e"]
    before = model.encoder.get_weights()
    history = model.fit(ring_points(64), batch_size=16, epochs=2, verbose=0).history
    assert {"d_loss", "g_loss", "e_loss", "e_grad_norm"} <= set(history)
    assert all(np.isfinite(history["e_loss"]))
    assert not np.allclose(before[0], model.encoder.get_weights()[0])
    assert int(model.e_optimizer.iterations.numpy()) == 8
    # Saved with its third optimizer; resumes exactly like any engine model.
    model.save(tmp_path / "encoder_gan.keras")
    loaded = keras.models.load_model(tmp_path / "encoder_gan.keras")
    assert int(loaded.e_optimizer.iterations.numpy()) == 8
    model.fit(ring_points(16), batch_size=16, epochs=1, verbose=0)
    loaded.fit(ring_points(16), batch_size=16, epochs=1, verbose=0)
    for a, b in zip(model.weights, loaded.weights):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-6)


def test_a_phase_with_an_interval_runs_every_n_steps():
    base = _readme_example()

    class LazyEncoderGAN(base):
        def phases(self):
            return [*keras_gan.GAN.phases(self), Phase("e", ("encoder",), "e_optimizer",
                                                       interval=3)]

    model = _encoder_gan(LazyEncoderGAN)
    model.compile()
    history = model.fit(ring_points(112), batch_size=16, epochs=1, verbose=0).history
    assert int(model.e_optimizer.iterations.numpy()) == 3  # steps 0, 3, 6 of 7
    assert int(model.g_optimizer.iterations.numpy()) == 7
    assert np.isfinite(history["e_loss"][0])
    strategy = tf.distribute.MirroredStrategy(
        [d.name for d in tf.config.list_logical_devices("CPU")[:2]])
    with strategy.scope():
        mirrored = _encoder_gan(LazyEncoderGAN)
    with pytest.raises(ValueError, match="interval.*tf.distribute"):
        mirrored.compile()


def test_engine_contract_errors():
    class NoPhases(Engine):
        pass

    with pytest.raises(TypeError, match="defines no phases"):
        NoPhases().compile()
    with pytest.raises(ValueError, match="repeats"):
        Phase("d", ("discriminator",), "d_optimizer", repeats=0)
    gan = tiny_image_gan()
    with pytest.raises(TypeError, match="no option.*reconstruction_weight"):
        gan.compile(reconstruction_weight=3.0)
    model = _cyclegan()
    with pytest.raises(ValueError, match="d_optimizer.*g_optimizer.*two optimizer instances"):
        optimizer = keras.optimizers.Adam()
        model.compile(d_optimizer=optimizer, g_optimizer=optimizer)
    assert STREAMS_PER_BLOCK == 64  # the GAN's stream numbers predate the engine
