import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class PixelNormalization(keras.layers.Layer):
    """Normalizes each pixel's feature vector to unit mean square (ProGAN).

    `y = x / sqrt(mean(x^2 over channels) + epsilon)`.

    Args:
        epsilon: small constant (1e-8 in the paper).

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, section 4.2.
        https://arxiv.org/abs/1710.10196
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        if not epsilon >= 0:
            raise ValueError(f"`epsilon` must be >= 0. Received: epsilon={epsilon}")
        self.epsilon = float(epsilon)
        self.built = True

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        y = x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + self.epsilon)
        return ops.cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
