"""Convolutional encoder and decoder of the auto-encoding models (VAE, VAE-GAN)."""

import keras

from keras_gan._checks import check_positive_int
from keras_gan.networks.dcgan import _stages


def conv_encoder(resolution=28, channels=1, latent_dim=16, base_filters=32,
                 name="conv_encoder"):
    """A Gaussian encoder: stride-2 convolutions (4x4, ReLU), then one Dense
    layer returning `[mean, log_var]` side by side, `(batch, 2 * latent_dim)`.

    The DCGAN discriminator's layout without BatchNorm (Larsen et al. 2016
    use this shape of encoder); `keras_gan.VAE` splits the output.

    Args:
        resolution: 28, or a power of two from 32 to 256.
        channels: channels of the images.
        latent_dim: size of z.
        base_filters: filters of the first convolution, doubling per stage.
    """
    check_positive_int(channels=channels, latent_dim=latent_dim, base_filters=base_filters)
    _, stages = _stages(resolution)
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = inputs
    for stage in range(stages):
        x = keras.layers.Conv2D(base_filters * 2**stage, 4, strides=2, padding="same",
                                activation="relu", name=f"down_{stage}")(x)
    x = keras.layers.Flatten(name="features")(x)
    outputs = keras.layers.Dense(2 * latent_dim, dtype="float32", name="posterior")(x)
    return keras.Model(inputs, outputs, name=name)


def conv_decoder(latent_dim=16, resolution=28, channels=1, base_filters=32,
                 output_activation=None, name="conv_decoder"):
    """The mirror of `conv_encoder`: Dense to `s x s x F`, stride-2
    transposed convolutions (4x4, ReLU), a last one to `channels`.

    Args:
        latent_dim: size of z.
        resolution: 28, or a power of two from 32 to 256.
        channels: channels of the images.
        base_filters: filters of the last hidden stage (doubling towards z).
        output_activation: None for logits (a Bernoulli VAE), `"tanh"` for
            images in [-1, 1] (a Gaussian VAE, VAE-GAN); in float32.
    """
    check_positive_int(channels=channels, latent_dim=latent_dim, base_filters=base_filters)
    start, stages = _stages(resolution)
    filters = base_filters * 2 ** (stages - 1)
    inputs = keras.Input((latent_dim,), name="latents")
    x = keras.layers.Dense(start * start * filters, activation="relu", name="project")(inputs)
    x = keras.layers.Reshape((start, start, filters))(x)
    for stage in range(stages - 1):
        filters //= 2
        x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same",
                                         activation="relu", name=f"up_{stage}")(x)
    outputs = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                           activation=output_activation, dtype="float32",
                                           name="images")(x)
    return keras.Model(inputs, outputs, name=name)
