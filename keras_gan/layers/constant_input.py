"""The learned constant input of style-based generators."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class ConstantInput(keras.layers.Layer):
    """A learned tensor `(height, width, channels)` repeated over the batch
    (StyleGAN's 4x4 starting feature maps; initialized N(0, 1)).

    Args:
        shape: `(height, width, channels)`.

    Call arguments:
        inputs: any tensor with a leading batch axis (only its batch size is used).

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", 2019, section 2.
    """

    def __init__(self, shape, **kwargs):
        super().__init__(**kwargs)
        shape = tuple(int(s) for s in shape)
        if len(shape) != 3 or min(shape) < 1:
            raise ValueError(f"`shape` must be (height, width, channels). Received: {shape}")
        self.shape = shape
        self.constant = self.add_weight(shape=shape, name="constant",
                                        initializer=keras.initializers.RandomNormal(stddev=1.0))

    def call(self, inputs):
        batch = ops.shape(inputs)[0]
        value = ops.cast(self.constant, self.compute_dtype)
        return ops.broadcast_to(value[None], (batch, *self.shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.shape)

    def get_config(self):
        return {**super().get_config(), "shape": self.shape}
