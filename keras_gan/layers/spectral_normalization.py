"""Spectral normalization of whole networks, on top of Keras's own layer.

`keras.layers.SpectralNormalization` is the right tool: it wraps any layer
with a `kernel` (Dense, Conv2D, Conv2DTranspose), keeps the power-iteration
vector `u` as a non-trainable weight (so it persists across steps and through
saving), and only iterates when called with `training=True`. What Keras lacks
is a way to apply it to every kernel of an existing network; that is
`spectral_normalize`.
"""

import keras

_NORMALIZED = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D,
               keras.layers.Conv2DTranspose, keras.layers.Conv3D)


def spectral_normalize(model, power_iterations=1, exclude=()):
    """Returns a copy of `model` with every Dense/Conv kernel spectrally normalized.

    Args:
        model: a functional or Sequential `keras.Model`.
        power_iterations: power iterations per training call (1 in the paper).
        exclude: names of layers to leave unwrapped.

    Returns:
        A new `keras.Model` with fresh weights (the wrapped layers are rebuilt).

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", 2018. https://arxiv.org/abs/1802.05957
    """
    if int(power_iterations) != power_iterations or power_iterations < 1:
        raise ValueError(
            f"`power_iterations` must be a positive integer. Received: power_iterations={power_iterations}")
    if not isinstance(model, keras.Model) or not hasattr(model, "inputs"):
        raise TypeError(
            "spectral_normalize needs a functional or Sequential keras.Model; for a subclassed "
            "model wrap its layers in keras.layers.SpectralNormalization directly.")

    def clone(layer):
        config = layer.get_config()
        copy = layer.__class__.from_config(config)
        if isinstance(layer, _NORMALIZED) and layer.name not in exclude:
            return keras.layers.SpectralNormalization(
                copy, power_iterations=int(power_iterations), name=f"{layer.name}_sn")
        return copy

    return keras.models.clone_model(model, clone_function=clone)
