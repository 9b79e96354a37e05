"""ProGAN networks (Karras et al. 2018) with progressive growing built in.

Both networks hold every resolution from 4x4 up and a `LevelOfDetail`
layer (`name="lod"`): at `lod = k` the generator's output is its
`resolution / 2**k` image upsampled (nearest) to full size, and the
discriminator reads the image at that resolution; fractional values fade a
new block in. This is the official code's `structure="linear"`: one fixed
graph for every stage (no retracing when the network grows), at the cost of
computing the not-yet-faded-in blocks too.
"""

import math

import keras

from keras_gan.layers import (
    EqualizedConv2D,
    EqualizedDense,
    FadeBlend,
    LevelOfDetail,
    MinibatchStdDev,
    PixelNormalization,
)
from keras_gan.networks._blocks import check_positive, check_power_of_two


def stage_filters(resolution, fmap_base, fmap_max):
    """Feature maps at `resolution`: `min(fmap_base / resolution, fmap_max)`
    (the papers' `fmap_base / 2**stage` rule)."""
    return max(1, min(int(fmap_base) // int(resolution), int(fmap_max)))


def _lrelu(name):
    return keras.layers.LeakyReLU(0.2, name=name)


def progan_generator(latent_dim=512, resolution=128, channels=3, fmap_base=8192, fmap_max=512,
                     name="progan_generator"):
    """The ProGAN generator: pixel norm, equalized learning rate, nearest
    upsampling, a 1x1 "toRGB" per resolution, faded by a `LevelOfDetail`.

    Args:
        latent_dim: size of the latent vector (512 in the paper).
        resolution: output size, a power of two from 8 to 1024.
        channels: output channels.
        fmap_base, fmap_max: feature maps `min(fmap_base / res, fmap_max)`.

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", 2018, table 2. https://arxiv.org/abs/1710.10196
    """
    check_positive(latent_dim=latent_dim, channels=channels)
    check_power_of_two("resolution", resolution, 8, 1024)
    top = int(math.log2(resolution))
    f = lambda res: stage_filters(res, fmap_base, fmap_max)  # noqa: E731
    z = keras.Input((latent_dim,), name="latents")
    lod = LevelOfDetail(name="lod")(z)
    x = PixelNormalization(name="latent_norm")(z)
    x = EqualizedDense(f(4) * 16, gain=math.sqrt(2.0) / 4, name="dense_4")(x)
    x = keras.layers.Reshape((4, 4, f(4)))(x)
    x = PixelNormalization(name="norm_4a")(_lrelu("lrelu_4a")(x))
    x = EqualizedConv2D(f(4), 3, name="conv_4")(x)
    x = PixelNormalization(name="norm_4b")(_lrelu("lrelu_4b")(x))
    images = EqualizedConv2D(channels, 1, gain=1.0, name="to_rgb_4")(x)
    for level in range(3, top + 1):
        res = 2**level
        x = keras.layers.UpSampling2D(2, name=f"up_{res}")(x)
        for part in "ab":
            x = EqualizedConv2D(f(res), 3, name=f"conv_{res}{part}")(x)
            x = PixelNormalization(name=f"norm_{res}{part}")(_lrelu(f"lrelu_{res}{part}")(x))
        fine = EqualizedConv2D(channels, 1, gain=1.0, name=f"to_rgb_{res}")(x)
        images = keras.layers.UpSampling2D(2, name=f"rgb_up_{res}")(images)
        images = FadeBlend(top - level, name=f"fade_{res}")([fine, images, lod])
    return keras.Model(z, images, name=name)


def progan_discriminator(resolution=128, channels=3, fmap_base=8192, fmap_max=512,
                         mbstd_group_size=4, name="progan_discriminator"):
    """The ProGAN critic: a 1x1 "fromRGB" per resolution, two equalized 3x3
    convolutions and average pooling per block, minibatch stddev at 4x4,
    faded by a `LevelOfDetail`. Returns one logit per image.

    Args:
        resolution: input size, a power of two from 8 to 1024.
        channels: input channels.
        fmap_base, fmap_max: as `progan_generator`.
        mbstd_group_size: `MinibatchStdDev` group size (4).

    Reference:
        Karras et al., 2018, table 2.
    """
    check_positive(channels=channels, mbstd_group_size=mbstd_group_size)
    check_power_of_two("resolution", resolution, 8, 1024)
    top = int(math.log2(resolution))
    f = lambda res: stage_filters(res, fmap_base, fmap_max)  # noqa: E731
    images = keras.Input((resolution, resolution, channels), name="images")
    lod = LevelOfDetail(name="lod")(images)
    img = images
    x = _lrelu(f"from_rgb_lrelu_{resolution}")(
        EqualizedConv2D(f(resolution), 1, name=f"from_rgb_{resolution}")(img))
    for level in range(top, 2, -1):
        res = 2**level
        x = _lrelu(f"lrelu_{res}a")(EqualizedConv2D(f(res), 3, name=f"conv_{res}a")(x))
        x = _lrelu(f"lrelu_{res}b")(EqualizedConv2D(f(res // 2), 3, name=f"conv_{res}b")(x))
        x = keras.layers.AveragePooling2D(2, name=f"down_{res}")(x)
        img = keras.layers.AveragePooling2D(2, name=f"rgb_down_{res}")(img)
        coarse = _lrelu(f"from_rgb_lrelu_{res // 2}")(
            EqualizedConv2D(f(res // 2), 1, name=f"from_rgb_{res // 2}")(img))
        x = FadeBlend(top - level, name=f"fade_{res}")([x, coarse, lod])
    x = MinibatchStdDev(group_size=mbstd_group_size, name="minibatch_stddev")(x)
    x = _lrelu("lrelu_4")(EqualizedConv2D(f(4), 3, name="conv_4")(x))
    x = keras.layers.Flatten()(x)
    x = _lrelu("lrelu_dense_4")(EqualizedDense(f(4), name="dense_4")(x))
    logits = EqualizedDense(1, gain=1.0, name="logits")(x)
    return keras.Model(images, logits, name=name)
