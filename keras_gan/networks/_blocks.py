"""Small helpers shared by the network builders."""

import keras

from keras_gan._checks import check_positive_int as check_positive  # noqa: F401 (re-exported)


def check_power_of_two(name, value, low, high):
    if not (low <= value <= high and value & (value - 1) == 0):
        raise ValueError(
            f"`{name}` must be a power of two from {low} to {high}. Received: {name}={value}")


def maybe_spectral(layer, spectral_norm):
    """Wraps a kernel layer in keras.layers.SpectralNormalization when asked."""
    if not spectral_norm:
        return layer
    from keras_gan.layers import SpectralNormalization

    return SpectralNormalization(layer, name=f"{layer.name}_sn")


def instance_norm(name=None):
    """Instance normalization: GroupNormalization with one group per channel."""
    return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, name=name)
