"""SinGAN's fully convolutional per-scale networks (Shaham et al. 2019)."""

import keras

from keras_gan.networks._blocks import check_positive


def _body(x, filters, num_blocks, prefix):
    for index in range(num_blocks - 1):
        x = keras.layers.Conv2D(filters, 3, padding="same", name=f"{prefix}_conv_{index}")(x)
        x = keras.layers.BatchNormalization(momentum=0.9, name=f"{prefix}_bn_{index}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"{prefix}_lrelu_{index}")(x)
    return x


def singan_generator(channels=3, filters=32, num_blocks=5, name="singan_generator"):
    """One scale's generator: `prev + tanh(psi(noisy))` where `psi` is
    `num_blocks` 3x3 convolutions (conv-BN-LeakyReLU, the last to `channels`).

    Inputs `[noisy, prev]` of shape `(batch, h, w, channels)`, any `h, w`:
    `noisy = amplitude * z + prev` and `prev` the upsampled output of the
    coarser scale. Padding is "same" (the paper pads the inputs once by
    `num_blocks` pixels and uses "valid" convolutions).

    Reference:
        Shaham et al., "SinGAN: Learning a Generative Model from a Single
        Natural Image", ICCV 2019, section 2.1 and figure 5.
        https://arxiv.org/abs/1905.01164
    """
    check_positive(channels=channels, filters=filters, num_blocks=num_blocks)
    noisy = keras.Input((None, None, channels), name="noisy")
    prev = keras.Input((None, None, channels), name="prev")
    x = _body(noisy, filters, num_blocks, "g")
    x = keras.layers.Conv2D(channels, 3, padding="same", activation="tanh", name="to_image")(x)
    return keras.Model([noisy, prev], keras.layers.Add(name="residual")([prev, x]), name=name)


def singan_discriminator(channels=3, filters=32, num_blocks=5, name="singan_discriminator"):
    """One scale's Markovian critic: `num_blocks` 3x3 convolutions (an 11x11
    receptive field for 5), returning a map of logits `(batch, h, w, 1)`.

    Reference:
        Shaham et al. 2019, section 2.1.
    """
    check_positive(channels=channels, filters=filters, num_blocks=num_blocks)
    images = keras.Input((None, None, channels), name="images")
    x = _body(images, filters, num_blocks, "d")
    logits = keras.layers.Conv2D(1, 3, padding="same", name="logits")(x)
    return keras.Model(images, logits, name=name)
