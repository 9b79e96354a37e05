"""Stops training at the first non-finite adversarial loss."""

import math

import keras


class NonFiniteLossError(FloatingPointError):
    """Raised when `d_loss` or `g_loss` becomes NaN or infinite during `fit`."""


class NonFiniteGuard(keras.callbacks.Callback):
    """Raises `NonFiniteLossError` naming the loss and step that went non-finite.

    Every keras-gan model's `fit` adds this callback automatically, watching
    the loss of each of its phases. The logged values are running means, so
    the first non-finite value is seen at the batch that produced it.

    Args:
        losses: the logged losses to watch (default `d_loss` and `g_loss`).
    """

    def __init__(self, losses=("d_loss", "g_loss")):
        super().__init__()
        self.losses = tuple(losses)

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        for key in self.losses:
            value = logs.get(key)
            if value is None:
                continue
            value = float(value)
            if not math.isfinite(value):
                # The counter has already moved past the step that failed.
                step = int(self.model.step_counter.numpy()) - 1
                raise NonFiniteLossError(
                    f"{key} became {value} at training step {step} (batch {batch} of "
                    "this epoch); training stopped. Lower the learning rates, add a "
                    "penalty (e.g. penalties=['gp'] or 'r1'), or check the data "
                    "for NaNs, then resume from the last checkpoint."
                )
