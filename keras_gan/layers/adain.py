import keras
from keras import ops

from keras_gan.layers.equalized import EqualizedDense


@keras.saving.register_keras_serializable(package="keras_gan")
class AdaIN(keras.layers.Layer):
    """Adaptive instance normalization with a learned style affine (StyleGAN).

    Each feature map is normalized to zero mean and unit variance per sample,
    then scaled and shifted by `(y_s, y_b) = A(w)`, where `A` is an equalized
    dense layer whose scale half starts at 1 and bias half at 0.

    Args:
        epsilon: added to the variance.

    Call arguments:
        inputs: a list `[x, w]`: feature maps `(batch, h, w, channels)` and
            styles `(batch, w_dim)`.

    Reference:
        Huang & Belongie, "Arbitrary Style Transfer in Real-time with Adaptive
        Instance Normalization", 2017; Karras et al., "A Style-Based Generator
        Architecture for Generative Adversarial Networks", 2019.
        https://arxiv.org/abs/1812.04948
    """

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        if not epsilon > 0:
            raise ValueError(f"`epsilon` must be > 0. Received: epsilon={epsilon}")
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(f"AdaIN expects inputs [features, styles]. Received shapes: {input_shape}")
        x_shape, w_shape = input_shape
        channels = x_shape[-1]
        self.channels = channels
        self.style_scale = EqualizedDense(channels, gain=1.0, bias_initializer=1.0, name="style_scale")
        self.style_bias = EqualizedDense(channels, gain=1.0, bias_initializer=0.0, name="style_bias")
        self.style_scale.build(w_shape)
        self.style_bias.build(w_shape)
        self.built = True

    def call(self, inputs):
        x, w = inputs
        mean, variance = ops.moments(ops.cast(x, "float32"), axes=[1, 2], keepdims=True)
        normalized = ops.cast((ops.cast(x, "float32") - mean) * ops.rsqrt(variance + self.epsilon), x.dtype)
        scale = ops.cast(self.style_scale(w), x.dtype)[:, None, None, :]
        bias = ops.cast(self.style_bias(w), x.dtype)[:, None, None, :]
        return normalized * scale + bias

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
