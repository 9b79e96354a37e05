"""Weight constraints for Lipschitz critics."""

import keras
from keras import ops

__all__ = ["WeightClip", "apply_weight_clip"]


@keras.saving.register_keras_serializable(package="keras_gan")
class WeightClip(keras.constraints.Constraint):
    """Clips every weight to `[-clip_value, clip_value]` after each update.

    Usable as the `kernel_constraint` of any Keras layer, or attached to every
    weight of a discriminator with `apply_weight_clip`.

    Args:
        clip_value: positive float, the bound `c` (0.01 in the WGAN paper).

    Example:

    >>> layer = keras.layers.Dense(4, kernel_constraint=WeightClip(0.01))

    Reference:
        Arjovsky et al., "Wasserstein GAN", 2017, algorithm 1.
        https://arxiv.org/abs/1701.07875
    """

    def __init__(self, clip_value=0.01):
        if not clip_value > 0:
            raise ValueError(
                f"WeightClip: `clip_value` must be > 0. Received: clip_value={clip_value}"
            )
        self.clip_value = float(clip_value)

    def __call__(self, w):
        return ops.clip(w, -self.clip_value, self.clip_value)

    def get_config(self):
        return {"clip_value": self.clip_value}


def apply_weight_clip(model, clip_value=0.01, include="all"):
    """Attaches a `WeightClip` constraint to the weights of `model`, in place.

    Keras optimizers apply a variable's constraint right after each update, so
    every later `apply` of the discriminator's optimizer keeps the weights in
    the box. The weights are also clipped once immediately.

    Args:
        model: a built `keras.Model` (usually the discriminator).
        clip_value: the bound `c`.
        include: `"all"` clips every trainable weight, as the WGAN authors'
            code does (BatchNorm scales included); `"kernels"` clips only
            weights whose name ends in `kernel`.

    Returns:
        The list of constrained variables.
    """
    if include not in ("all", "kernels"):
        raise ValueError(
            f"apply_weight_clip: `include` must be 'all' or 'kernels'. Received: include={include!r}"
        )
    if not model.built:
        raise ValueError(
            "apply_weight_clip needs a built model (call it once or build it) "
            f"so its weights exist. Received an unbuilt model {model.name!r}."
        )
    constraint = WeightClip(clip_value)
    variables = [
        v
        for v in model.trainable_variables
        if include == "all" or v.path.split("/")[-1].endswith("kernel")
    ]
    for variable in variables:
        variable.constraint = constraint
        variable.assign(constraint(variable))
    return variables
