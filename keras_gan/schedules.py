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


@keras.saving.register_keras_serializable(package="keras_gan")
class AnnealedDecay(keras.optimizers.schedules.LearningRateSchedule):
    """DANN's learning-rate annealing: `lr(p) = initial / (1 + alpha p)^beta`
    with `p = step / total_steps` (clipped to 1).

    Args:
        initial_learning_rate: mu_0 (0.01 in the paper, with momentum 0.9).
        total_steps: the steps over which p goes from 0 to 1.
        alpha, beta: 10 and 0.75 in the paper.

    Reference:
        Ganin et al., "Domain-Adversarial Training of Neural Networks", JMLR
        2016, section 5.2.2. https://arxiv.org/abs/1505.07818
    """

    def __init__(self, initial_learning_rate, total_steps, alpha=10.0, beta=0.75):
        if not float(initial_learning_rate) > 0 or int(total_steps) < 1:
            raise ValueError("`initial_learning_rate` must be > 0 and `total_steps` >= 1. "
                             f"Received: {initial_learning_rate!r}, {total_steps!r}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.total_steps = int(total_steps)
        self.alpha, self.beta = float(alpha), float(beta)

    def __call__(self, step):
        progress = keras.ops.minimum(keras.ops.cast(step, "float32") / self.total_steps, 1.0)
        return self.initial_learning_rate / (1.0 + self.alpha * progress) ** self.beta

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "total_steps": self.total_steps, "alpha": self.alpha, "beta": self.beta}
