"""The training step is traced once per fit: no retracing across batches,
epochs, a smaller last batch, lazy penalties or progressive growing."""

import keras
import numpy as np

import keras_gan
from keras_gan import callbacks, networks


def _count_traces(model):
    """`train_step` runs as Python only while tf.function traces it."""
    calls = []
    original = model.train_step

    def step(data):
        calls.append(1)
        return original(data)

    model.train_step = step
    return calls


def _images(n, size, channels):
    return np.random.default_rng(0).uniform(-1, 1, (n, size, size, channels)).astype("float32")


def test_one_trace_per_fit():
    gan = keras_gan.GAN(networks.dcgan_generator(8, 28, 1, base_filters=4),
                        networks.dcgan_discriminator(28, 1, base_filters=4), latent_dim=8, seed=1)
    gan.compile()
    traces = _count_traces(gan)
    gan.fit(_images(42, 28, 1), batch_size=8, epochs=3, verbose=0)  # last batch of 2
    assert len(traces) == 1 and int(gan.step_counter.numpy()) == 18

    style = keras_gan.StyleGAN2(
        networks.stylegan_generator(8, 8, 3, mapping_layers=1, fmap_base=16, fmap_max=4),
        networks.stylegan2_discriminator(8, 3, fmap_base=16, fmap_max=4), latent_dim=8, seed=1)
    style.compile()  # lazy R1 / path length: tf.cond inside the one graph
    traces = _count_traces(style)
    style.fit(_images(8, 8, 3), batch_size=4, epochs=3, verbose=0)
    assert len(traces) == 1

    progan = keras_gan.ProGAN(networks.progan_generator(8, 16, 3, fmap_base=16, fmap_max=4),
                              networks.progan_discriminator(16, 3, fmap_base=16, fmap_max=4),
                              latent_dim=8, seed=1)
    progan.compile()
    traces = _count_traces(progan)
    progan.fit(_images(16, 16, 3), batch_size=4, epochs=3, verbose=0,
               callbacks=[callbacks.ProgressiveGrowing(8, 8)])
    assert progan.lod == 0.0  # grew from 4x4 to 16x16 ...
    assert len(traces) == 1   # ... in one graph


def test_steps_per_execution_runs_the_same_steps_in_fewer_calls():
    # Keras runs N train steps per call of the compiled function, so the
    # Python side (callbacks, logging) runs once per N steps; the step counter
    # that keys the random draws makes the result identical.
    from tests.conftest import assert_weights_close, ring_points, tiny_mlp_gan

    results, initial = [], None
    for steps_per_execution in (1, 4):
        gan = tiny_mlp_gan(keras_gan.WGANGP)
        initial = initial or gan.get_weights()
        gan.set_weights(initial)
        gan.compile(steps_per_execution=steps_per_execution)
        batches = []
        counter = keras.callbacks.LambdaCallback(
            on_train_batch_end=lambda batch, logs: batches.append(batch))
        gan.fit(ring_points(64), batch_size=4, epochs=1, verbose=0, shuffle=False,
                callbacks=[counter])
        assert int(gan.step_counter.numpy()) == 16
        assert len(batches) == 16 // steps_per_execution
        results.append([w.numpy() for w in gan.weights])
    assert_weights_close(results[0], results[1], atol=1e-6)
