import keras
import tensorflow as tf

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads height and width by reflection (CycleGAN's generators).

    Args:
        padding: pixels added on each side of height and width.

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", 2017, appendix 7.2.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(padding=padding)
        self.padding = int(padding)
        self.built = True

    def call(self, inputs):
        p = self.padding
        return tf.pad(inputs, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        grow = lambda n: None if n is None else n + 2 * self.padding  # noqa: E731
        return (b, grow(h), grow(w), c)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
