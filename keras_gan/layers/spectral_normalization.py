"""Spectral normalization on top of Keras's own layer.

`keras.layers.SpectralNormalization` does the work: it wraps any layer with a
`kernel` or `embeddings`, keeps the power-iteration vector `u` as a
non-trainable weight (so it persists across steps and through saving), and
only iterates when called with `training=True`, when it *assigns*
`W / sigma(W)` into the wrapped kernel (the TF-Addons design: the optimizer
then updates the normalized weights, and no gradient flows through sigma).

Two gaps are filled here:

- Keras casts the wrapped layer's output to the *input* dtype, so a
  spectrally normalized `Embedding` (the projection discriminator's class
  embedding) returns its vectors truncated to integers (measured with Keras
  3.15: all zeros). `SpectralNormalization` below returns the layer's own
  output dtype for integer inputs and is otherwise Keras's layer.
- `spectral_normalize` applies it to every kernel of an existing network.
"""

import keras
from keras import ops

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class SpectralNormalization(keras.layers.SpectralNormalization):
    """`keras.layers.SpectralNormalization` that also works for `Embedding`.

    Same arguments and behaviour as the Keras layer, except that integer
    inputs (embedding indices) do not make the output integer.

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", 2018. https://arxiv.org/abs/1802.05957
    """

    def call(self, inputs, training=False):
        if "int" not in str(getattr(inputs, "dtype", "")):
            return super().call(inputs, training=training)
        if training:
            new_vector_u, new_kernel = ops.cond(
                ops.all(ops.equal(self.kernel.value, 0)),
                lambda: (self.vector_u.value, self.kernel.value),
                self.normalized_weights,
            )
            self.vector_u.assign(new_vector_u)
            self.kernel.assign(new_kernel)
        return self.layer(inputs)


_NORMALIZED = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D,
               keras.layers.Conv2DTranspose, keras.layers.Conv3D, keras.layers.Embedding)


def spectral_normalize(model, power_iterations=1, exclude=()):
    """Returns a copy of `model` with every Dense/Conv/Embedding kernel spectrally normalized.

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
    check_positive_int(power_iterations=power_iterations)
    if not isinstance(model, keras.Model) or not hasattr(model, "inputs"):
        raise TypeError(
            "spectral_normalize needs a functional or Sequential keras.Model; for a subclassed "
            "model wrap its layers in keras.layers.SpectralNormalization directly.")

    def clone(layer):
        config = layer.get_config()
        copy = layer.__class__.from_config(config)
        if isinstance(layer, _NORMALIZED) and layer.name not in exclude:
            return SpectralNormalization(
                copy, power_iterations=int(power_iterations), name=f"{layer.name}_sn")
        return copy

    return keras.models.clone_model(model, clone_function=clone)
