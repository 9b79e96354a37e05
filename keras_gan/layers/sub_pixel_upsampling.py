import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class SubPixelUpsampling(keras.layers.Layer):
    """Pixel shuffle: `(h, w, c * r^2)` -> `(h * r, w * r, c)` (SRGAN, ESPCN).

    Args:
        scale: the upsampling factor `r`.

    Reference:
        Shi et al., "Real-Time Single Image and Video Super-Resolution Using
        an Efficient Sub-Pixel Convolutional Neural Network", 2016.
        https://arxiv.org/abs/1609.05158
    """

    def __init__(self, scale=2, **kwargs):
        super().__init__(**kwargs)
        if int(scale) != scale or scale < 2:
            raise ValueError(f"`scale` must be an integer >= 2. Received: scale={scale}")
        self.scale = int(scale)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] % (self.scale**2):
            raise ValueError(
                "SubPixelUpsampling expects (batch, height, width, channels) with channels "
                f"divisible by scale**2 = {self.scale**2}. Received: {input_shape}")
        self.built = True

    def call(self, inputs):
        return tf.nn.depth_to_space(inputs, self.scale)

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        r = self.scale
        return (b, None if h is None else h * r, None if w is None else w * r, c // (r * r))

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}
