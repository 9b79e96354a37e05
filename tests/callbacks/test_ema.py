import keras
import numpy as np
import pytest

from keras_gan import callbacks
from tests.conftest import assert_weights_close, images, tiny_image_gan


class _RecordWeights(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.snapshots = [[w.numpy().copy() for w in self.model.generator.weights]]

    def on_train_batch_end(self, batch, logs=None):
        self.snapshots.append([w.numpy().copy() for w in self.model.generator.weights])


def _reference(snapshots, trainable, decay_at):
    """NumPy moving average of the generator snapshots, one step at a time."""
    average = [np.array(w, np.float64) for w in snapshots[0]]
    for step, weights in enumerate(snapshots[1:], start=1):
        d = decay_at(step)
        average = [d * a + (1 - d) * w if t else np.array(w, np.float64)
                   for a, w, t in zip(average, weights, trainable)]
    return average


@pytest.mark.parametrize("warmup", [False, True])
def test_ema_matches_a_numpy_moving_average(warmup):
    gan = tiny_image_gan()
    gan.compile()
    ema = callbacks.GeneratorEMA(decay=0.9, warmup=warmup)
    record = _RecordWeights()
    # record listed first: GAN.fit still runs the EMA before it
    gan.fit(images(16), batch_size=4, epochs=1, verbose=0, callbacks=[record, ema])
    trainable = [any(w is t for t in gan.generator.trainable_weights) for w in gan.generator.weights]
    expected = _reference(record.snapshots, trainable, ema.decay_at)
    assert_weights_close(gan.ema_generator.weights, expected, atol=1e-6)
    moving = [w for w, t in zip(gan.ema_generator.weights, trainable) if t]
    differs = [not np.allclose(a, b) for a, b in zip(moving, gan.generator.trainable_weights)]
    assert any(differs)  # an average, not a copy


def test_ema_schedule_warmup_start_and_interval():
    ema = callbacks.GeneratorEMA(decay=0.999, warmup=True, start_step=10)
    assert ema.decay_at(5) == 0.0  # copy before start_step
    assert ema.decay_at(10) == pytest.approx(1 / 10)
    assert ema.decay_at(10 + 90) == pytest.approx(91 / 100)
    assert ema.decay_at(10**7) == pytest.approx(0.999)
    plain = callbacks.GeneratorEMA(decay=0.99, warmup=False)
    assert plain.decay_at(3, elapsed=4) == pytest.approx(0.99**4)


def test_ema_update_every_n_steps():
    gan = tiny_image_gan()
    gan.compile()
    ema = callbacks.GeneratorEMA(decay=0.5, warmup=False, update_every=2)
    record = _RecordWeights()
    gan.fit(images(12), batch_size=4, epochs=1, verbose=0, callbacks=[ema, record])
    # Updates at steps 2 (0.5^2 over two steps) only; step 3 is pending.
    trainable = [any(w is t for t in gan.generator.trainable_weights) for w in gan.generator.weights]
    snaps = record.snapshots
    expected = _reference([snaps[0], snaps[2]], trainable, lambda step: 0.25)
    assert_weights_close(gan.ema_generator.weights, expected, atol=1e-6)


def test_ema_generator_is_saved_and_used_for_sampling(tmp_path):
    gan = tiny_image_gan()
    gan.compile()
    gan.fit(images(8), batch_size=4, epochs=2, verbose=0,
            callbacks=[callbacks.GeneratorEMA(decay=0.9)])
    averaged = gan.generate(4, seed=1)
    raw = gan.generate(4, seed=1, use_ema=False)
    assert not np.allclose(averaged, raw)
    np.testing.assert_allclose(
        averaged, gan.ema_generator(gan.sample_latents(4, seed=1)).numpy(), atol=1e-6)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    assert loaded.ema_generator is not None and not loaded.ema_generator.trainable
    assert_weights_close(loaded.ema_generator.weights, gan.ema_generator.weights, atol=0)
    np.testing.assert_allclose(loaded.generate(4, seed=1), averaged, atol=1e-6)
    # Training continues the average from where it was.
    loaded.fit(images(8), batch_size=4, verbose=0, callbacks=[callbacks.GeneratorEMA(0.9)])


def test_ema_survives_backup_and_restore(tmp_path):
    def run(crash_after=None):
        keras.utils.set_random_seed(0)  # same initial networks in every run
        gan = tiny_image_gan()
        gan.compile()
        backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))

        class Crash(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if crash_after is not None and epoch + 1 == crash_after:
                    raise RuntimeError("crash")

        gan.fit(images(8), batch_size=4, epochs=3, verbose=0,
                callbacks=[backup, Crash(), callbacks.GeneratorEMA(decay=0.8)])
        return gan

    with pytest.raises(RuntimeError, match="crash"):
        run(crash_after=2)
    resumed = run()
    uninterrupted = run()
    assert_weights_close(resumed.ema_generator.weights, uninterrupted.ema_generator.weights,
                         atol=1e-6)


def test_ema_arguments_are_checked_and_serializable():
    with pytest.raises(ValueError, match="decay"):
        callbacks.GeneratorEMA(decay=1.0)
    with pytest.raises(ValueError, match="update_every"):
        callbacks.GeneratorEMA(update_every=0)
    ema = callbacks.GeneratorEMA(decay=0.99, start_step=5, update_every=2)
    config = keras.saving.serialize_keras_object(ema)
    assert keras.saving.deserialize_keras_object(config).get_config() == ema.get_config()


def test_ema_refuses_a_non_gan_model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(TypeError, match="keras_gan models"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0,
                  callbacks=[callbacks.GeneratorEMA()])
