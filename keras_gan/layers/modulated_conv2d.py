import math

import keras
from keras import ops

from keras_gan.layers.equalized import EqualizedDense

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class ModulatedConv2D(keras.layers.Layer):
    """StyleGAN2 convolution with weight modulation and demodulation.

    Per sample, the kernel is modulated by styles `s = A(w)` (an equalized
    dense layer, bias initialized to 1): `w'[k, k, i, o] = w[k, k, i, o] * s[i]`,
    then demodulated `w'' = w' / sqrt(sum_{k, k, i} w'^2 + epsilon)` so each
    output channel has unit norm. It is computed as the authors' unfused path:
    scale the input channels by `s`, convolve with the shared kernel, scale the
    output channels by the demodulation factor (mathematically the same as a
    per-sample kernel, without grouped convolutions).

    Args:
        filters: output channels.
        kernel_size: an odd int.
        demodulate: apply demodulation.
        epsilon: added inside the demodulation square root.
        use_bias: add a bias after the convolution.

    Call arguments:
        inputs: `[x, w]`: feature maps `(batch, h, w, in_channels)` and
            latents `(batch, w_dim)`.

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", 2020, section 2.2. https://arxiv.org/abs/1912.04958
    """

    def __init__(self, filters, kernel_size=3, demodulate=True, epsilon=1e-8, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(filters=filters)
        if int(kernel_size) != kernel_size or kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f"`kernel_size` must be a positive odd integer. Received: kernel_size={kernel_size}")
        self.filters, self.kernel_size = int(filters), int(kernel_size)
        self.demodulate = bool(demodulate)
        self.epsilon = float(epsilon)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                f"ModulatedConv2D expects inputs [features, latents]. Received shapes: {input_shape}")
        x_shape, w_shape = input_shape
        channels = x_shape[-1]
        k = self.kernel_size
        self.weight_gain = 1.0 / math.sqrt(k * k * channels)
        self.affine = EqualizedDense(channels, gain=1.0, bias_initializer=1.0, name="affine")
        self.affine.build(w_shape)
        self.kernel = self.add_weight(name="kernel", shape=(k, k, channels, self.filters),
                                      initializer=keras.initializers.RandomNormal(stddev=1.0))
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        self.built = True

    def modulated_kernel(self, w):
        """The per-sample kernels `(batch, k, k, in, out)` (for inspection and tests)."""
        styles = ops.cast(self.affine(w), "float32")
        kernel = ops.cast(self.kernel, "float32") * self.weight_gain
        modulated = kernel[None] * styles[:, None, None, :, None]
        if self.demodulate:
            modulated = modulated * self._demodulation(modulated)[:, None, None, None, :]
        return modulated

    def _demodulation(self, modulated):
        return ops.rsqrt(ops.sum(ops.square(modulated), axis=(1, 2, 3)) + self.epsilon)

    def call(self, inputs):
        x, w = inputs
        styles = ops.cast(self.affine(w), "float32")
        kernel = ops.cast(self.kernel, "float32") * self.weight_gain
        y = ops.conv(x * ops.cast(styles[:, None, None, :], x.dtype), ops.cast(kernel, x.dtype),
                     padding="same")
        if self.demodulate:
            # sum_{k,k,i} (w * s_i)^2 = sum_i s_i^2 * sum_{k,k} w^2: no per-sample kernel needed.
            norms = ops.matmul(ops.square(styles), ops.sum(ops.square(kernel), axis=(0, 1)))
            y = y * ops.cast(ops.rsqrt(norms + self.epsilon), y.dtype)[:, None, None, :]
        if self.use_bias:
            y = y + ops.cast(self.bias, y.dtype)
        return y

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "demodulate": self.demodulate, "epsilon": self.epsilon, "use_bias": self.use_bias}
