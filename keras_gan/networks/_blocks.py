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


def _is_block_start(layer):
    """A convolution or dense layer (also inside a wrapper such as
    `SpectralNormalization`) starts a block."""
    inner = getattr(layer, "layer", layer)
    return isinstance(inner, (keras.layers.Conv2D, keras.layers.Dense)) and not isinstance(
        inner, keras.layers.Conv2DTranspose)


def freeze_blocks(network, num_blocks):
    """Freezes the first `num_blocks` blocks of `network`, counted from its
    input: FreezeD (Mo et al. 2020) fine-tunes a pretrained discriminator
    with its lower layers fixed.

    A block starts at each convolution or dense layer (in the network's
    topological order) and holds the layers after it up to the next one
    (normalization, activation, pooling); layers before the first (inputs,
    label embeddings) belong to the first block. Frozen layers are
    `trainable=False` (BatchNorm then also keeps its statistics), saved so
    with the model. Call it before `compile`, so that the optimizer is built
    on the variables that train.

    Returns:
        The names of the frozen layers.
    """
    layers = [layer for layer in network.layers if not isinstance(layer, keras.layers.InputLayer)]
    starts = [i for i, layer in enumerate(layers) if _is_block_start(layer)]
    if not isinstance(num_blocks, int) or isinstance(num_blocks, bool) or num_blocks < 0:
        raise ValueError(f"`num_blocks` must be an integer >= 0. Received: {num_blocks!r}")
    if num_blocks >= len(starts):
        raise ValueError(
            f"{network.name!r} has {len(starts)} blocks (convolution or dense layers); freezing "
            f"{num_blocks} would leave nothing of it to train. Use at most {len(starts) - 1}.")
    if num_blocks == 0:
        return []
    frozen = layers[:starts[num_blocks]]
    for layer in frozen:
        layer.trainable = False
    return [layer.name for layer in frozen]
