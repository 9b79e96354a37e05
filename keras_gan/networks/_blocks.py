"""Small helpers shared by the network builders."""

import keras


def check_positive(**values):
    for key, value in values.items():
        if int(value) != value or value < 1:
            raise ValueError(f"`{key}` must be a positive integer. Received: {key}={value}")


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
