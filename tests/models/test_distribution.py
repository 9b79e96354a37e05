"""One device and two replicas with the same global batch and seed end equal.

conftest.py splits the CPU into two logical devices, so MirroredStrategy runs
two replicas in this process.
"""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from tests.conftest import assert_weights_close, images, ring_points, tiny_image_gan, tiny_mlp_gan
from tests.models.test_augment import small_conv_gan, small_images

pytestmark = pytest.mark.slow


@functools.lru_cache(maxsize=None)
def _two_replicas():
    # One strategy for the whole process: collective ops of a second
    # MirroredStrategy instance can collide with the first one's instance keys.
    devices = [d.name for d in tf.config.list_logical_devices("CPU")[:2]]
    assert len(devices) == 2, "conftest.py should have made two logical CPUs"
    return tf.distribute.MirroredStrategy(devices)


def one_and_two_replicas(build, data, compile_kwargs, batch_size=8, epochs=2):
    """`((model, history) on one device, (model, history) on two replicas)`,
    from equal initial weights, the same batches and compile options (a
    function returning them, so each model gets its own optimizers)."""
    initial = [w.numpy().copy() for w in build().weights]
    trained = []
    for strategy in (tf.distribute.get_strategy(), _two_replicas()):
        with strategy.scope():
            model = build()
            model.set_weights(initial)
            model.compile(**compile_kwargs())
        history = model.fit(data, batch_size=batch_size, epochs=epochs, verbose=0,
                            shuffle=False)
        trained.append((model, history.history))
    assert trained[1][0].distribute_strategy.num_replicas_in_sync == 2
    return trained


def _train(strategy, build, data, initial, **compile_kwargs):
    with strategy.scope():
        gan = build()
        gan.set_weights(initial)
        gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, 0.5),
                    g_optimizer=keras.optimizers.Adam(1e-3, 0.5), **compile_kwargs)
    history = gan.fit(data, batch_size=8, epochs=2, verbose=0, shuffle=False)
    return gan, history


CASES = {
    "mlp": (lambda: tiny_mlp_gan(), lambda: ring_points(32), {}),
    "mlp_gradient_penalty": (lambda: tiny_mlp_gan(keras_gan.WGANGP),
                             lambda: ring_points(32), {"d_steps": 2}),
    "mlp_dragan": (lambda: tiny_mlp_gan(keras_gan.DRAGAN), lambda: ring_points(32), {}),
    "mlp_weight_clip": (lambda: tiny_mlp_gan(keras_gan.WGAN), lambda: ring_points(32),
                        {"d_steps": 2, "weight_clip": 0.05}),
    "conv_gradient_penalty": (lambda: tiny_image_gan(keras_gan.WGANGP, batchnorm=False, synchronized=True),
                              lambda: images(16), {"d_steps": 2}),
    "conv_spectral_norm_hinge": (lambda: keras_gan.SNGAN(
        keras_gan.networks.dcgan_generator(8, 32, 1, base_filters=4, synchronized_batchnorm=True),
        keras_gan.layers.spectral_normalize(
            keras_gan.networks.dcgan_discriminator(32, 1, base_filters=4, batchnorm=False)), 8, seed=1),
        lambda: np.random.default_rng(0).uniform(-1, 1, (16, 32, 32, 1)).astype("float32"),
        {"d_steps": 1, "loss": "hinge"}),
    "mlp_feature_matching_history": (lambda: tiny_mlp_gan(), lambda: ring_points(32),
                                     {"feature_matching": True, "historical_averaging": 0.1}),
    "conv_synchronized_batchnorm": (lambda: tiny_image_gan(synchronized=True),
                                    lambda: images(16), {}),
    # ADA's p from every replica's logits, LeCam's global means, top-k over
    # the global batch, bCR: all replica-count invariant.
    "conv_ada_lecam_top_k_bcr": (
        lambda: small_conv_gan(), lambda: small_images(16),
        {"augment": keras_gan.augment.AdaptiveAugment(kimg=0.01, interval=1), "lecam": 0.3,
         "top_k": {"fraction": 0.5, "every": 1}, "penalties": ["bcr"]}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_two_replicas_equal_one_device(case):
    build, make_data, compile_kwargs = CASES[case]
    data = make_data()
    initial = [w.numpy() for w in build().weights]
    single, single_history = _train(tf.distribute.get_strategy(), build, data, initial, **compile_kwargs)
    mirrored, mirrored_history = _train(_two_replicas(), build, data, initial, **compile_kwargs)
    assert mirrored.distribute_strategy.num_replicas_in_sync == 2
    assert_weights_close(mirrored.generator.weights, single.generator.weights, atol=1e-5)
    assert_weights_close(mirrored.discriminator.weights, single.discriminator.weights, atol=1e-5)
    for key in ("d_loss", "g_loss"):
        np.testing.assert_allclose(mirrored_history.history[key], single_history.history[key], rtol=1e-4)


def test_replicas_draw_different_latents():
    strategy = _two_replicas()
    with strategy.scope():
        gan = tiny_mlp_gan()

    @tf.function
    def draw():
        return strategy.run(lambda: gan._draw("normal", 3, (4,), 0, 0))

    per_replica = strategy.experimental_local_results(draw())
    assert not np.allclose(per_replica[0], per_replica[1])
    # Together they are the single-device draw of the global batch.
    whole = gan._draw("normal", 6, (4,), 0, 0).numpy()
    np.testing.assert_allclose(np.concatenate(per_replica), whole, atol=1e-7)


def test_generator_ema_and_sample_grid_under_two_replicas(tmp_path):
    from keras_gan import callbacks

    build = lambda: tiny_image_gan(synchronized=True)  # noqa: E731
    initial = [w.numpy() for w in build().weights]
    results = []
    for name, strategy in (("one", tf.distribute.get_strategy()), ("two", _two_replicas())):
        with strategy.scope():
            gan = build()
            gan.set_weights(initial)
            gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, 0.5),
                        g_optimizer=keras.optimizers.Adam(1e-3, 0.5))
        gan.fit(images(16), batch_size=8, epochs=2, verbose=0, callbacks=[
            callbacks.GeneratorEMA(decay=0.9),
            callbacks.SampleGrid(tmp_path / name, num_samples=4)])
        results.append(gan)
    single, mirrored = results
    assert_weights_close(mirrored.ema_generator.weights, single.ema_generator.weights, atol=1e-5)
    np.testing.assert_allclose(mirrored.generate(4, seed=0), single.generate(4, seed=0), atol=1e-5)
    assert (tmp_path / "two" / "epoch_0002.png").exists()
