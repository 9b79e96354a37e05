"""Exponential moving average of the generator's weights."""

import keras
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.callbacks._base import GANCallback


@keras.saving.register_keras_serializable(package="keras_gan")
class GeneratorEMA(GANCallback):
    """Keeps `model.ema_generator` an exponential moving average of the
    generator's weights.

    After each generator update `t` (the generator optimizer's `iterations`,
    so the schedule survives save/load and `BackupAndRestore`):

        ema = d * ema + (1 - d) * weights,   d = min(decay, (1 + t') / (10 + t'))

    with `t' = t - start_step` when `warmup` is on (the warm-up of
    `tf.train.ExponentialMovingAverage`), so early, poor weights are forgotten
    quickly. Before `start_step` the average is a plain copy of the
    generator. When `update_every > 1` (or `steps_per_execution > 1`) the
    decay is raised to the number of steps since the last update, keeping the
    same time horizon. Non-trainable weights (BatchNorm statistics) are copied.

    The averaged generator is part of the model: `model.save` stores it,
    `load_model` restores it, and `model.generate()`, `SampleGrid` and
    `Evaluation` sample from it unless `use_ema=False`.

    Args:
        decay: the decay per generator step (0.999 as in ProGAN/BigGAN,
            about a 1000-step horizon).
        warmup: use `min(decay, (1 + t) / (10 + t))` early in training.
        start_step: copy the weights (no averaging) before this step, as
            BigGAN's `ema_start`.
        update_every: update every N generator steps.

    Reference:
        Yazıcı et al., "The Unusual Effectiveness of Averaging in GAN
        Training", ICLR 2019. https://arxiv.org/abs/1806.04498
    """

    def __init__(self, decay=0.999, warmup=True, start_step=0, update_every=1):
        super().__init__()
        if not 0.0 <= float(decay) < 1.0:
            raise ValueError(f"`decay` must be in [0, 1). Received: decay={decay}")
        if int(start_step) < 0:
            raise ValueError(f"`start_step` must be >= 0. Received: start_step={start_step}")
        check_positive_int(update_every=update_every)
        self.decay = float(decay)
        self.warmup = bool(warmup)
        self.start_step = int(start_step)
        self.update_every = int(update_every)
        self._update = None
        self._last_step = None

    def on_train_begin(self, logs=None):
        model = self._gan()
        ema = model.add_ema_generator()
        pairs = list(zip(ema.weights, model.generator.weights))
        for average, weight in pairs:
            if tuple(average.shape) != tuple(weight.shape):
                raise ValueError(
                    f"ema_generator no longer matches the generator ({average.path} "
                    f"{average.shape} vs {weight.path} {weight.shape}).")
        trainable = {id(v) for v in model.generator.trainable_weights}

        @tf.function
        def update(decay):
            for average, weight in pairs:
                value = tf.cast(weight, average.dtype)
                if id(weight) in trainable:
                    value = decay * average + (1.0 - decay) * value
                average.assign(value)

        self._update = update
        self._last_step = None  # read at the first batch: BackupAndRestore may restore after us

    def on_train_batch_begin(self, batch, logs=None):
        if self._last_step is None:
            self._last_step = self._step()

    def _step(self):
        return int(self.model.g_optimizer.iterations.numpy())

    def decay_at(self, step, elapsed=1):
        """The decay applied at generator step `step`, `elapsed` steps after
        the previous update (0 means copy)."""
        if step < self.start_step:
            return 0.0
        decay = self.decay
        if self.warmup:
            t = step - self.start_step
            decay = min(decay, (1.0 + t) / (10.0 + t))
        return decay ** elapsed

    def on_train_batch_end(self, batch, logs=None):
        step = self._step()
        elapsed = step - self._last_step
        if elapsed < self.update_every:
            return
        self._update(tf.constant(self.decay_at(step, elapsed), tf.float32))
        self._last_step = step

    def get_config(self):
        return {
            "decay": self.decay,
            "warmup": self.warmup,
            "start_step": self.start_step,
            "update_every": self.update_every,
        }

