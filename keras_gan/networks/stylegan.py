"""Style-based generators (StyleGAN, StyleGAN2) and the StyleGAN2 discriminator.

A style-based generator is a `keras.Model` from latents `z` to images built
from two named sub-models, which `keras_gan.StyleGAN` uses for style mixing,
truncation and path-length regularization:

- `"mapping"`: `z (batch, latent_dim)` -> `w (batch, w_dim)`;
- `"synthesis"`: per-layer styles `(batch, num_ws, w_dim)` -> images.

The generator itself feeds the same `w` to every layer.
"""

import math

import keras

from keras_gan.layers import (
    AdaIN,
    ConstantInput,
    EqualizedConv2D,
    EqualizedDense,
    MinibatchStdDev,
    ModulatedConv2D,
    NoiseInjection,
    PixelNormalization,
)
from keras_gan.networks._blocks import check_positive, check_power_of_two
from keras_gan.networks.progan import stage_filters

_VERSIONS = (1, 2)


def num_styles(resolution):
    """Style inputs of a synthesis network: two per resolution from 4x4 up."""
    return 2 * int(math.log2(resolution)) - 2


def mapping_network(latent_dim=512, w_dim=512, num_layers=8, lr_multiplier=0.01,
                    name="mapping"):
    """StyleGAN's mapping network: pixel norm of `z`, then `num_layers`
    equalized dense layers with leaky ReLU and learning-rate multiplier 0.01.

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", 2019, section 2 and appendix C.
    """
    check_positive(latent_dim=latent_dim, w_dim=w_dim, num_layers=num_layers)
    z = keras.Input((latent_dim,), name="z")
    x = PixelNormalization(name="normalize_z")(z)
    for index in range(num_layers):
        x = EqualizedDense(w_dim, lr_multiplier=lr_multiplier, name=f"dense_{index}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"lrelu_{index}")(x)
    return keras.Model(z, x, name=name)


def _style(ws, index, name):
    return _SelectStyle(index, name=name)(ws)


@keras.saving.register_keras_serializable(package="keras_gan")
class _SelectStyle(keras.layers.Layer):
    """`ws[:, index]`: the style of one layer."""

    def __init__(self, index, **kwargs):
        super().__init__(**kwargs)
        self.index = int(index)

    def call(self, ws):
        return ws[:, self.index]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])

    def get_config(self):
        return {**super().get_config(), "index": self.index}


def synthesis_network(resolution=64, channels=3, w_dim=512, fmap_base=8192, fmap_max=512,
                      version=2, randomize_noise=True, name="synthesis"):
    """A StyleGAN (`version=1`: AdaIN after each convolution, noise inputs,
    bilinear upsampling, one toRGB at the end) or StyleGAN2 (`version=2`:
    modulated/demodulated convolutions, noise inputs, skip toRGB outputs
    summed across resolutions) synthesis network from a learned 4x4 constant.

    Args:
        resolution: output size, a power of two from 8 to 1024.
        channels: output channels.
        w_dim: size of each style.
        fmap_base, fmap_max: feature maps `min(fmap_base / res, fmap_max)`.
        version: 1 or 2.
        randomize_noise: fresh per-pixel noise at every call (training);
            False uses fixed noise maps saved with the network (deterministic).

    Returns:
        a model from `(batch, num_styles(resolution), w_dim)` to images.

    References:
        Karras et al. 2019, figure 1(b); Karras et al., "Analyzing and
        Improving the Image Quality of StyleGAN", 2020, figure 7(b).
    """
    if version not in _VERSIONS:
        raise ValueError(f"`version` must be 1 or 2. Received: version={version!r}")
    check_positive(channels=channels, w_dim=w_dim)
    check_power_of_two("resolution", resolution, 8, 1024)
    f = lambda res: stage_filters(res, fmap_base, fmap_max)  # noqa: E731
    top = int(math.log2(resolution))
    ws = keras.Input((num_styles(resolution), w_dim), name="ws")
    x = ConstantInput((4, 4, f(4)), name="constant")(ws)
    index = 0
    rgb = None

    def noise_act(x, res, part):
        x = NoiseInjection(randomize=randomize_noise, name=f"noise_{res}{part}")(x)
        if version == 1:
            x = keras.layers.Add(name=f"bias_{res}{part}")([x, _Bias(name=f"b_{res}{part}")(x)])
        return keras.layers.LeakyReLU(0.2, name=f"lrelu_{res}{part}")(x)

    for level in range(2, top + 1):
        res = 2**level
        if version == 1:
            if res > 4:
                x = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"up_{res}")(x)
                x = EqualizedConv2D(f(res), 3, use_bias=False, name=f"conv_{res}a")(x)
            x = AdaIN(name=f"adain_{res}a")([noise_act(x, res, "a"), _style(ws, index, f"w_{index}")])
            x = EqualizedConv2D(f(res), 3, use_bias=False, name=f"conv_{res}b")(x)
            x = AdaIN(name=f"adain_{res}b")(
                [noise_act(x, res, "b"), _style(ws, index + 1, f"w_{index + 1}")])
        else:
            parts = "b" if res == 4 else "ab"
            for offset, part in enumerate(parts):
                if part == "a":
                    x = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"up_{res}")(x)
                style = _style(ws, index + offset, f"w_{index + offset}")
                x = ModulatedConv2D(f(res), 3, name=f"conv_{res}{part}")([x, style])
                x = noise_act(x, res, part)
            style = _style(ws, index + len(parts), f"w_rgb_{res}")
            y = ModulatedConv2D(channels, 1, demodulate=False, name=f"to_rgb_{res}")([x, style])
            if rgb is not None:
                rgb = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"rgb_up_{res}")(rgb)
                y = keras.layers.Add(name=f"rgb_sum_{res}")([rgb, y])
            rgb = y
        index += 2 if res > 4 or version == 1 else 1
    if version == 1:
        rgb = EqualizedConv2D(channels, 1, gain=1.0, name="to_rgb")(x)
    return keras.Model(ws, rgb, name=name)


@keras.saving.register_keras_serializable(package="keras_gan")
class _Bias(keras.layers.Layer):
    """A per-channel bias returned on its own (added after the noise in StyleGAN)."""

    def build(self, input_shape):
        self.bias = self.add_weight(name="bias", shape=(input_shape[-1],), initializer="zeros")

    def call(self, inputs):
        return keras.ops.broadcast_to(keras.ops.cast(self.bias, inputs.dtype), keras.ops.shape(inputs))


def stylegan_generator(latent_dim=512, resolution=64, channels=3, w_dim=None, mapping_layers=8,
                       fmap_base=8192, fmap_max=512, version=2, randomize_noise=True,
                       name="stylegan_generator"):
    """A style-based generator `z -> images` made of a `"mapping"` and a
    `"synthesis"` sub-model (see `mapping_network`, `synthesis_network`).

    Args:
        latent_dim: size of `z`; `w_dim` defaults to it.
        resolution, channels, fmap_base, fmap_max, version, randomize_noise:
            as `synthesis_network`.
        mapping_layers: depth of the mapping network (8).
    """
    w_dim = int(w_dim or latent_dim)
    mapping = mapping_network(latent_dim, w_dim, mapping_layers)
    synthesis = synthesis_network(resolution, channels, w_dim, fmap_base, fmap_max, version,
                                  randomize_noise)
    z = keras.Input((latent_dim,), name="latents")
    ws = keras.layers.RepeatVector(num_styles(resolution), name="broadcast")(mapping(z))
    return keras.Model(z, synthesis(ws), name=name)


def stylegan2_discriminator(resolution=64, channels=3, fmap_base=8192, fmap_max=512,
                            mbstd_group_size=4, name="stylegan2_discriminator"):
    """StyleGAN2's residual discriminator: fromRGB at full resolution, then
    per resolution two 3x3 convolutions and a downsampling, plus a 1x1 skip,
    summed and scaled by `1/sqrt(2)`; minibatch stddev, a 3x3 convolution and
    two dense layers at 4x4. Equalized learning rate throughout.

    Reference:
        Karras et al. 2020, figure 7(c) and appendix B.
    """
    check_positive(channels=channels, mbstd_group_size=mbstd_group_size)
    check_power_of_two("resolution", resolution, 8, 1024)
    f = lambda res: stage_filters(res, fmap_base, fmap_max)  # noqa: E731
    top = int(math.log2(resolution))
    images = keras.Input((resolution, resolution, channels), name="images")
    x = keras.layers.LeakyReLU(0.2)(EqualizedConv2D(f(resolution), 1, name="from_rgb")(images))
    for level in range(top, 2, -1):
        res = 2**level
        skip = keras.layers.AveragePooling2D(2, name=f"skip_down_{res}")(x)
        skip = EqualizedConv2D(f(res // 2), 1, gain=1.0, use_bias=False, name=f"skip_{res}")(skip)
        x = keras.layers.LeakyReLU(0.2)(EqualizedConv2D(f(res), 3, name=f"conv_{res}a")(x))
        x = keras.layers.AveragePooling2D(2, name=f"down_{res}")(x)
        x = keras.layers.LeakyReLU(0.2)(EqualizedConv2D(f(res // 2), 3, name=f"conv_{res}b")(x))
        x = keras.layers.Add(name=f"residual_{res}")([x, skip])
        x = keras.layers.Rescaling(1.0 / math.sqrt(2.0), name=f"scale_{res}")(x)
    x = MinibatchStdDev(group_size=mbstd_group_size, name="minibatch_stddev")(x)
    x = keras.layers.LeakyReLU(0.2)(EqualizedConv2D(f(4), 3, name="conv_4")(x))
    x = keras.layers.Flatten()(x)
    x = keras.layers.LeakyReLU(0.2)(EqualizedDense(f(4), name="dense_4")(x))
    logits = EqualizedDense(1, gain=1.0, name="logits")(x)
    return keras.Model(images, logits, name=name)
