"""Level-of-detail layers of progressive growing (ProGAN)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class LevelOfDetail(keras.layers.Layer):
    """Holds a network's level of detail `lod` and hands it to `FadeBlend` layers.

    `lod = 0` is the full resolution, `lod = k` the resolution divided by
    `2**k`; between integers, two consecutive levels are blended (the fade-in
    of a new block). The value is a non-trainable weight, so it is saved with
    the network (and copied into an averaged generator). `keras_gan.ProGAN`
    sets it from the number of images seen.

    Call arguments:
        inputs: any tensor with a leading batch axis (only its batch size is used).

    Returns:
        `(batch, 1)` filled with `lod`.

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, section 3.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lod = self.add_weight(shape=(), initializer="zeros", dtype="float32",
                                   trainable=False, name="lod",
                                   aggregation="only_first_replica")

    def call(self, inputs):
        batch = ops.shape(inputs)[0]
        return ops.broadcast_to(ops.reshape(ops.cast(self.lod, "float32"), (1, 1)), (batch, 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)


@keras.saving.register_keras_serializable(package="keras_gan")
class FadeBlend(keras.layers.Layer):
    """`fine + (coarse - fine) * clip(lod - level, 0, 1)`: the fade between
    two consecutive levels of detail (the official `lerp_clip`).

    At `lod <= level` the output is `fine`, at `lod >= level + 1` it is
    `coarse`, and in between it moves linearly, so outputs are continuous in
    `lod`.

    Args:
        level: the level of detail of `fine` (0 = full resolution).

    Call arguments:
        inputs: `[fine, coarse, lod]` with `fine` and `coarse` of one shape
            and `lod` from a `LevelOfDetail` layer.
    """

    def __init__(self, level, **kwargs):
        super().__init__(**kwargs)
        if int(level) != level or level < 0:
            raise ValueError(f"`level` must be an integer >= 0. Received: level={level}")
        self.level = int(level)

    def call(self, inputs):
        fine, coarse, lod = inputs
        t = ops.clip(lod - float(self.level), 0.0, 1.0)
        t = ops.cast(ops.reshape(t, (-1,) + (1,) * (len(fine.shape) - 1)), fine.dtype)
        return fine + (ops.cast(coarse, fine.dtype) - fine) * t

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "level": self.level}
