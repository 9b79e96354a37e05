"""The engine traces its step with TensorFlow's draws on Philox by name
(`keras_gan/models/_rng.py`): the same numbers as "auto_select", the fast
lowering under XLA."""

import contextlib
import threading

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan.models import _rng
from tests.conftest import images


def _noise_layers():
    return [keras.layers.Dropout(0.3, seed=1), keras.layers.GaussianNoise(0.5, seed=2),
            keras.layers.GaussianDropout(0.2, seed=3), keras.layers.SpatialDropout1D(0.4, seed=4)]


@pytest.mark.parametrize("jit", [False, True])
def test_keras_noise_layers_draw_the_same_numbers_on_philox_by_name(jit):
    x = tf.ones((8, 5, 16))

    def run(pinned):
        layers = _noise_layers()  # fresh seed generators in the same state

        def call():
            with _rng.philox_by_default() if pinned else contextlib.nullcontext():
                return [layer(x, training=True) for layer in layers]

        function = tf.function(call, jit_compile=jit)
        graph = function.get_concrete_function().graph
        ops = {op.type for op in graph.get_operations()}
        return [t.numpy() for t in function()], ops

    default, default_ops = run(False)
    pinned, pinned_ops = run(True)
    # "auto_select" asks the kernel for the algorithm; Philox by name does not.
    assert "StatelessRandomGetKeyCounter" in default_ops
    assert "StatelessRandomGetKeyCounter" not in pinned_ops
    for a, b in zip(default, pinned):
        np.testing.assert_array_equal(a, b)
    assert all(np.any(t == 0) for t in pinned[:1] + pinned[3:])  # they really dropped


def test_an_algorithm_named_by_the_caller_is_kept_and_the_functions_are_restored():
    originals = (tf.random.stateless_uniform, tf.random.stateless_normal,
                 tf.random.stateless_truncated_normal, tf.nn.experimental.stateless_dropout)
    seed = tf.constant([3, 4])

    def threefry():  # (XLA has a ThreeFry kernel on CPU, TensorFlow has not)
        return tf.function(lambda: tf.random.stateless_uniform((6,), seed, alg="threefry"),
                           jit_compile=True)().numpy()

    outside = threefry()
    with _rng.philox_by_default():
        with _rng.philox_by_default():  # re-entrant
            assert tf.random.stateless_uniform is not originals[0]
        assert tf.random.stateless_uniform is not originals[0]
        inside = threefry()
        philox = tf.random.stateless_uniform((6,), seed).numpy()
    np.testing.assert_array_equal(inside, outside)
    np.testing.assert_array_equal(philox, tf.random.stateless_uniform((6,), seed, alg="philox"))
    assert (tf.random.stateless_uniform, tf.random.stateless_normal,
            tf.random.stateless_truncated_normal, tf.nn.experimental.stateless_dropout) == originals


def test_threads_tracing_at_once_restore_the_functions_only_when_the_last_leaves():
    # MirroredStrategy traces its replicas in threads.
    original = tf.random.stateless_normal
    inside, release = threading.Barrier(3), threading.Event()
    seen = []

    def replica():
        with _rng.philox_by_default():
            inside.wait()
            release.wait()
            seen.append(tf.random.stateless_normal is not original)

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert tf.random.stateless_normal is not original
    release.set()
    for thread in threads:
        thread.join()
    assert seen == [True, True] and tf.random.stateless_normal is original


def test_a_dropout_critic_trains_the_same_under_xla_with_and_without_philox_by_name(monkeypatch):
    def build():
        keras.utils.set_random_seed(0)
        generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(28 * 28, "tanh"),
                                      keras.layers.Reshape((28, 28, 1))])
        discriminator = keras.Sequential([
            keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(16),
            keras.layers.LeakyReLU(0.2), keras.layers.Dropout(0.3), keras.layers.Dense(1)])
        gan = keras_gan.GAN(generator, discriminator, 4, seed=0)
        gan.compile(jit_compile=True)
        return gan

    x = images(32)
    pinned = build()
    pinned_logs = pinned.fit(x, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    monkeypatch.setattr(_rng, "philox_by_default", contextlib.nullcontext)
    default = build()
    default_logs = default.fit(x, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    for a, b in zip(pinned.weights, default.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert pinned_logs == default_logs
