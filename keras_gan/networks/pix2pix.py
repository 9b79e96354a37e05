"""U-Net generator and PatchGAN discriminator (pix2pix)."""

import math

import keras

from keras_gan.networks._blocks import check_positive, check_power_of_two


def _down(x, filters, batchnorm, name):
    init = keras.initializers.RandomNormal(stddev=0.02)
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not batchnorm,
                            kernel_initializer=init, name=f"{name}_conv")(x)
    if batchnorm:
        x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.LeakyReLU(0.2)(x)


def unet_generator(resolution=256, channels=3, output_channels=3, base_filters=64, dropout=0.5,
                   name="unet_generator"):
    """The pix2pix U-Net: encoder C64-C128-C256-C512-..., decoder with skips.

    `log2(resolution)` stride-2 encoder blocks (no BatchNorm on the first)
    down to 1x1, filters `min(base * 2^i, base * 8)`; the decoder mirrors them
    with transposed convolutions, concatenates the matching encoder output
    and applies dropout in its first three blocks (the paper's noise source;
    Keras applies it in training calls only); a tanh output.

    Args:
        resolution: a power of two from 16 to 512 (256 in the paper).
        channels: input channels.
        output_channels: output channels.
        base_filters: filters of the first encoder block (64).
        dropout: dropout rate of the first three decoder blocks.

    Returns:
        A `keras.Model` from `(batch, r, r, channels)` to `(batch, r, r, output_channels)`.

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", 2017, appendix 6.1.2. https://arxiv.org/abs/1611.07004
    """
    check_power_of_two("resolution", resolution, 16, 512)
    check_positive(channels=channels, output_channels=output_channels, base_filters=base_filters)
    depth = int(math.log2(resolution))
    filters = [min(base_filters * 2**i, base_filters * 8) for i in range(depth)]
    init = keras.initializers.RandomNormal(stddev=0.02)
    inputs = keras.Input((resolution, resolution, channels), name="images")
    skips = []
    x = inputs
    for i, f in enumerate(filters):
        # No BatchNorm on the first block nor at the 1x1 bottleneck (batch statistics of a
        # single position are degenerate).
        x = _down(x, f, batchnorm=0 < i < depth - 1, name=f"down{i}")
        skips.append(x)
    for i, f in enumerate(reversed(filters[:-1])):
        x = keras.layers.Conv2DTranspose(f, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=init, name=f"up{i}_conv")(x)
        x = keras.layers.BatchNormalization(name=f"up{i}_bn")(x)
        if i < 3 and dropout:
            x = keras.layers.Dropout(dropout)(x)
        x = keras.layers.ReLU()(x)
        x = keras.layers.Concatenate()([x, skips[-2 - i]])
    x = keras.layers.Conv2DTranspose(output_channels, 4, strides=2, padding="same",
                                     kernel_initializer=init, name="to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def patchgan_discriminator(resolution=256, input_channels=3, target_channels=3, base_filters=64,
                           num_downsamples=3, name="patchgan_discriminator"):
    """The pix2pix PatchGAN, conditioned on the input image.

    The input and the (real or generated) target are concatenated, then
    `num_downsamples` stride-2 4x4 convolutions (C64-C128-C256, no BatchNorm on
    the first), a stride-1 C512 and a stride-1 1-channel convolution, both
    after zero padding by 1. With 3 down-samplings each output logit sees a
    70x70 patch; at 256x256 the output is 30x30.

    Args:
        resolution: input size, a power of two from 32 to 512.
        input_channels: channels of the conditioning image.
        target_channels: channels of the target image.
        base_filters: filters of the first convolution.
        num_downsamples: stride-2 convolutions (3 for the 70x70 PatchGAN).

    Returns:
        A `keras.Model` from `[inputs, targets]` to logits
        `(batch, resolution / 2^n - 2, same, 1)`.

    Reference:
        Isola et al., 2017, appendix 6.1.2.
    """
    check_power_of_two("resolution", resolution, 32, 512)
    check_positive(input_channels=input_channels, target_channels=target_channels,
                   base_filters=base_filters, num_downsamples=num_downsamples)
    if resolution // 2**num_downsamples < 4:
        raise ValueError(f"num_downsamples={num_downsamples} leaves less than 4x4 of a "
                         f"{resolution}x{resolution} input; use fewer.")
    init = keras.initializers.RandomNormal(stddev=0.02)
    source = keras.Input((resolution, resolution, input_channels), name="inputs")
    target = keras.Input((resolution, resolution, target_channels), name="targets")
    x = keras.layers.Concatenate()([source, target])
    for i in range(num_downsamples):
        x = _down(x, min(base_filters * 2**i, base_filters * 8), batchnorm=i > 0, name=f"down{i}")
    x = keras.layers.ZeroPadding2D()(x)
    x = keras.layers.Conv2D(min(base_filters * 2**num_downsamples, base_filters * 8), 4, use_bias=False,
                            kernel_initializer=init, name="conv")(x)
    x = keras.layers.LeakyReLU(0.2)(keras.layers.BatchNormalization(name="conv_bn")(x))
    x = keras.layers.ZeroPadding2D()(x)
    logits = keras.layers.Conv2D(1, 4, kernel_initializer=init, dtype="float32", name="logits")(x)
    return keras.Model([source, target], logits, name=name)
