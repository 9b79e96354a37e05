"""Learning-rate schedules of the published GAN recipes."""

import keras


@keras.saving.register_keras_serializable(package="keras_gan")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Constant learning rate, then a linear decay to zero.

    `lr(step) = initial` for `step < decay_start`, then falls linearly to 0
    at `decay_start + decay_steps` and stays there. CycleGAN and pix2pix keep
    the rate for the first half of training and decay it over the second
    half: `LinearDecay(2e-4, decay_start=total // 2, decay_steps=total - total // 2)`.
    The step is the optimizer's saved iteration count, so resumed runs
    continue the schedule exactly.

    Args:
        initial_learning_rate: the rate before the decay.
        decay_start: optimizer step at which the decay starts.
        decay_steps: steps from the start of the decay to zero (>= 1).
    """

    def __init__(self, initial_learning_rate, decay_start, decay_steps):
        if not float(initial_learning_rate) > 0:
            raise ValueError("`initial_learning_rate` must be > 0. Received: "
                             f"{initial_learning_rate!r}")
        if int(decay_start) < 0 or int(decay_steps) < 1:
            raise ValueError(f"`decay_start` must be >= 0 and `decay_steps` >= 1. Received: "
                             f"decay_start={decay_start!r}, decay_steps={decay_steps!r}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_start = int(decay_start)
        self.decay_steps = int(decay_steps)

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        progress = (step - self.decay_start) / self.decay_steps
        factor = keras.ops.clip(1.0 - progress, 0.0, 1.0)
        return self.initial_learning_rate * factor

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_start": self.decay_start, "decay_steps": self.decay_steps}
