"""Data checks, the evaluation step and `fit()` of the GAN engine."""

import keras
import tensorflow as tf

from keras_gan import _replicas
from keras_gan.models._guard import NonFiniteGuard
from keras_gan.models._validation import check_array_range, shapes_compatible

# Stream number of the latents drawn by `test_step` (`evaluate()`).
_EVAL_STREAM = 1 << 20


class FitMixin:
    """How `keras_gan.GAN` reads training data and runs `fit`/`evaluate`."""

    def _unpack(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, (tuple, list)) and y is None and len(x) == 2:
            x, y = x
        x = tf.convert_to_tensor(x)
        if x.dtype.is_integer or x.dtype == tf.bool:
            raise TypeError(
                f"GAN training received images of dtype {x.dtype.name}. The engine "
                "expects floats in [-1, 1]: scale them first, e.g. "
                "`images.astype('float32') / 127.5 - 1`, or load them with "
                "keras_gan.data.load_images."
            )
        if not shapes_compatible(self._sample_shape, tuple(x.shape[1:])):
            raise ValueError(
                f"Real samples have shape {tuple(x.shape[1:])} but the generator "
                f"produces {self._sample_shape}. Resize the data or build the "
                "networks for the data's resolution and channel count."
            )
        return tf.cast(x, tf.float32), self.prepare_labels(y)

    def test_step(self, data):
        real, labels = self._unpack(data)
        batch = tf.shape(real)[0]
        latents = self.training_latents(self._noise_fn(batch, self.step_counter, _EVAL_STREAM, first=0))
        fake = self.generate_images(latents, labels, training=False)
        real_logits = self.discriminate(real, labels, training=False)
        fake_logits = self.discriminate(fake, labels, training=False)
        values = {
            "d_loss": self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits),
            "g_loss": self.generator_loss(fake_logits=fake_logits, real_logits=real_logits),
            "real_logits": tf.reduce_mean(tf.cast(real_logits, tf.float32)),
            "fake_logits": tf.reduce_mean(tf.cast(fake_logits, tf.float32)),
        }
        for name, value in values.items():
            self._trackers[name].update_state(value)
        return _replicas.logs_for_keras({name: self._trackers[name].result() for name in values})

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto",
            callbacks=None, **kwargs):
        """`keras.Model.fit`, with input checks and a non-finite loss guard.

        Training stops with `keras_gan.NonFiniteLossError` naming the loss and
        step when `d_loss` or `g_loss` becomes NaN or infinite. keras-gan
        callbacks run before the others (`GeneratorEMA` first), so
        `ModelCheckpoint`, `CSVLogger` or `EarlyStopping` see the metrics that
        `Evaluation` logs, and `BackupAndRestore` finds the averaged generator.
        """
        if not self.compiled:
            raise RuntimeError(
                f"{type(self).__name__}.fit was called before compile(). Call "
                f"`model.compile()` for the published defaults, or e.g. "
                "`model.compile(d_optimizer=..., g_optimizer=..., loss='hinge')`."
            )
        check_array_range(x)
        if isinstance(x, tf.data.Dataset):
            # A dataset is shuffled by its pipeline; Keras warns if asked to.
            kwargs.setdefault("shuffle", False)
        callbacks = _ordered_callbacks(callbacks)
        if not any(isinstance(c, NonFiniteGuard) for c in callbacks):
            callbacks.append(NonFiniteGuard())
        return super().fit(x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                           callbacks=callbacks, **kwargs)


def _ordered_callbacks(callbacks):
    """keras-gan callbacks first (the EMA before the ones that sample), the
    user's order otherwise kept."""
    from keras_gan.callbacks import GeneratorEMA
    from keras_gan.callbacks._base import GANCallback

    def rank(callback):
        if isinstance(callback, GeneratorEMA):
            return 0
        return 1 if isinstance(callback, GANCallback) else 2

    return sorted(list(callbacks or []), key=rank)
