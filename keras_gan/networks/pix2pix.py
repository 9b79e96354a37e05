"""U-Net generator and PatchGAN discriminator (pix2pix)."""

import math

import keras

from keras_gan.networks._blocks import check_positive, check_power_of_two


def _down(x, filters, batchnorm, name, norm=None):
    init = keras.initializers.RandomNormal(stddev=0.02)
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not batchnorm,
                            kernel_initializer=init, name=f"{name}_conv")(x)
    if batchnorm:
        x = (norm(f"{name}_norm") if norm else keras.layers.BatchNormalization(name=f"{name}_bn"))(x)
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

    With `input_channels=0` the discriminator is unconditional: it takes the
    images alone (CycleGAN's critics).

    Args:
        resolution: input size, a power of two from 32 to 512.
        input_channels: channels of the conditioning image (0: none).
        target_channels: channels of the target image.
        base_filters: filters of the first convolution.
        num_downsamples: stride-2 convolutions (3 for the 70x70 PatchGAN).

    Returns:
        A `keras.Model` from `[inputs, targets]` (or the images alone) to logits
        `(batch, resolution / 2^n - 2, same, 1)`.

    Reference:
        Isola et al., 2017, appendix 6.1.2.
    """
    check_power_of_two("resolution", resolution, 32, 512)
    check_positive(target_channels=target_channels, base_filters=base_filters,
                   num_downsamples=num_downsamples)
    if input_channels:
        check_positive(input_channels=input_channels)
    if resolution // 2**num_downsamples < 4:
        raise ValueError(f"num_downsamples={num_downsamples} leaves less than 4x4 of a "
                         f"{resolution}x{resolution} input; use fewer.")
    inputs, x = _pair_inputs(resolution, input_channels, target_channels)
    *_, logits = _patch_layers(x, base_filters, num_downsamples, prefix="")
    return keras.Model(inputs, logits, name=name)


def _pair_inputs(resolution, input_channels, target_channels):
    """`(model inputs, tensor judged)`: `[inputs, targets]` concatenated for a
    conditional critic, the targets alone when `input_channels` is 0."""
    target = keras.Input((resolution, resolution, target_channels), name="targets")
    if not input_channels:
        return target, target
    source = keras.Input((resolution, resolution, input_channels), name="inputs")
    return [source, target], keras.layers.Concatenate()([source, target])


def _patch_layers(x, base_filters, num_downsamples, prefix, norm=None):
    """The PatchGAN body; returns every block's activations, the logits last."""
    init = keras.initializers.RandomNormal(stddev=0.02)
    outputs = []
    for i in range(num_downsamples):
        x = _down(x, min(base_filters * 2**i, base_filters * 8), batchnorm=i > 0,
                  name=f"{prefix}down{i}", norm=norm)
        outputs.append(x)
    x = keras.layers.ZeroPadding2D()(x)
    x = keras.layers.Conv2D(min(base_filters * 2**num_downsamples, base_filters * 8), 4, use_bias=False,
                            kernel_initializer=init, name=f"{prefix}conv")(x)
    normalize = norm(f"{prefix}conv_norm") if norm else keras.layers.BatchNormalization(
        name=f"{prefix}conv_bn")
    x = keras.layers.LeakyReLU(0.2)(normalize(x))
    outputs.append(x)
    x = keras.layers.ZeroPadding2D()(x)
    outputs.append(keras.layers.Conv2D(1, 4, kernel_initializer=init, dtype="float32",
                                       name=f"{prefix}logits")(x))
    return outputs


def multiscale_discriminator(resolution=256, input_channels=3, target_channels=3, num_scales=3,
                             base_filters=64, num_downsamples=3,
                             name="multiscale_discriminator"):
    """pix2pixHD's multi-scale discriminator: `num_scales` PatchGANs of the
    same architecture on the image pair at full, 1/2, 1/4, ... resolution
    (3x3 average pooling with stride 2 between scales), with instance
    normalization.

    The model returns one list per scale: the activations of every block
    (for the feature-matching loss) followed by that scale's logits.
    `Pix2Pix` sums the adversarial loss over scales and adds the feature
    matching loss with `loss_weights={"feature_matching": 10}`.

    Args:
        resolution: input size, a power of two from 32 to 512; the coarsest
            scale must keep at least 4x4 after `num_downsamples`.
        input_channels: channels of the conditioning image (0: unconditional).
        target_channels: channels of the judged image.
        num_scales: discriminators (3 in pix2pixHD).
        base_filters: filters of each PatchGAN's first convolution.
        num_downsamples: stride-2 convolutions per PatchGAN.

    Reference:
        Wang et al., "High-Resolution Image Synthesis and Semantic
        Manipulation with Conditional GANs", CVPR 2018, section 3.2.
        https://arxiv.org/abs/1711.11585
    """
    from keras_gan.networks._blocks import instance_norm

    check_power_of_two("resolution", resolution, 32, 512)
    check_positive(target_channels=target_channels, num_scales=num_scales,
                   base_filters=base_filters, num_downsamples=num_downsamples)
    coarsest = resolution // 2 ** (num_scales - 1 + num_downsamples)
    if coarsest < 4:
        raise ValueError(
            f"num_scales={num_scales} with num_downsamples={num_downsamples} leaves "
            f"{coarsest}x{coarsest} at the coarsest scale of a {resolution}x{resolution} "
            "input; use fewer scales or down-samplings (at least 4x4 must remain).")
    inputs, x = _pair_inputs(resolution, input_channels, target_channels)
    outputs = []
    for scale in range(num_scales):
        if scale:
            x = keras.layers.AveragePooling2D(3, strides=2, padding="same",
                                              name=f"downsample{scale}")(x)
        outputs.append(_patch_layers(x, base_filters, num_downsamples, prefix=f"scale{scale}_",
                                     norm=instance_norm))
    return keras.Model(inputs, outputs, name=name)
