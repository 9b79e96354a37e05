"""Equalized learning rate layers (ProGAN, StyleGAN)."""

import math

import keras
from keras import ops

from keras_gan._checks import check_positive_int


def _check(gain, lr_multiplier):
    if not gain > 0:
        raise ValueError(f"`gain` must be > 0. Received: gain={gain}")
    if not lr_multiplier > 0:
        raise ValueError(f"`lr_multiplier` must be > 0. Received: lr_multiplier={lr_multiplier}")


@keras.saving.register_keras_serializable(package="keras_gan")
class EqualizedDense(keras.layers.Layer):
    """A Dense layer with equalized learning rate.

    Weights are stored as `N(0, 1 / lr_multiplier)` and scaled at run time by
    `gain / sqrt(fan_in) * lr_multiplier` (He's constant applied in the forward
    pass), so every weight learns at the same speed under Adam. The bias is
    scaled by `lr_multiplier`. StyleGAN's mapping network uses
    `lr_multiplier=0.01`.

    Args:
        units: output size.
        gain: the He gain (sqrt(2) for (leaky) ReLU, 1 for linear outputs).
        lr_multiplier: learning-rate multiplier of this layer.
        use_bias: add a bias.
        bias_initializer: initial value of the (unscaled) bias, a float.
        activation: activation applied after the bias.

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, section 4.1.
    """

    def __init__(self, units, gain=math.sqrt(2.0), lr_multiplier=1.0, use_bias=True,
                 bias_initializer=0.0, activation=None, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(units=units)
        _check(gain, lr_multiplier)
        self.units = int(units)
        self.gain = float(gain)
        self.lr_multiplier = float(lr_multiplier)
        self.use_bias = bool(use_bias)
        self.bias_initializer = float(bias_initializer)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        fan_in = input_shape[-1]
        self.scale = self.gain / math.sqrt(fan_in) * self.lr_multiplier
        self.kernel = self.add_weight(
            name="kernel", shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier))
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,),
                initializer=keras.initializers.Constant(self.bias_initializer / self.lr_multiplier))
        self.built = True

    def call(self, inputs):
        y = ops.matmul(inputs, ops.cast(self.kernel, inputs.dtype) * self.scale)
        if self.use_bias:
            y = y + ops.cast(self.bias, inputs.dtype) * self.lr_multiplier
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "gain": self.gain,
                "lr_multiplier": self.lr_multiplier, "use_bias": self.use_bias,
                "bias_initializer": self.bias_initializer,
                "activation": keras.activations.serialize(self.activation)}


@keras.saving.register_keras_serializable(package="keras_gan")
class EqualizedConv2D(keras.layers.Layer):
    """A Conv2D layer with equalized learning rate (run-time He scaling).

    Args:
        filters: output channels.
        kernel_size: an int (square kernels).
        strides: an int.
        padding: `"same"` or `"valid"`.
        gain: the He gain.
        lr_multiplier: learning-rate multiplier.
        use_bias: add a bias (initialized to 0).
        activation: activation applied after the bias.

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, section 4.1.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="same", gain=math.sqrt(2.0),
                 lr_multiplier=1.0, use_bias=True, activation=None, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(filters=filters, kernel_size=kernel_size, strides=strides)
        if padding not in ("same", "valid"):
            raise ValueError(f"`padding` must be 'same' or 'valid'. Received: padding={padding!r}")
        _check(gain, lr_multiplier)
        self.filters, self.kernel_size, self.strides = int(filters), int(kernel_size), int(strides)
        self.padding = padding
        self.gain = float(gain)
        self.lr_multiplier = float(lr_multiplier)
        self.use_bias = bool(use_bias)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        channels = input_shape[-1]
        k = self.kernel_size
        self.scale = self.gain / math.sqrt(k * k * channels) * self.lr_multiplier
        self.kernel = self.add_weight(
            name="kernel", shape=(k, k, channels, self.filters),
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier))
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        self.built = True

    def call(self, inputs):
        y = ops.conv(inputs, ops.cast(self.kernel, inputs.dtype) * self.scale,
                     strides=self.strides, padding=self.padding)
        if self.use_bias:
            y = y + ops.cast(self.bias, inputs.dtype) * self.lr_multiplier
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        b, h, w, _ = input_shape

        def size(n):
            if n is None:
                return None
            if self.padding == "same":
                return -(-n // self.strides)
            return (n - self.kernel_size) // self.strides + 1

        return (b, size(h), size(w), self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "gain": self.gain,
                "lr_multiplier": self.lr_multiplier, "use_bias": self.use_bias,
                "activation": keras.activations.serialize(self.activation)}
