"""StarGAN's generator and two-headed discriminator (Choi et al. 2018)."""

import math

import keras

from keras_gan.networks._blocks import check_positive, check_power_of_two
from keras_gan.networks.cyclegan import resnet_translation_generator


@keras.saving.register_keras_serializable(package="keras_gan")
class TiledConcatenate(keras.layers.Layer):
    """Concatenates a vector per sample, repeated over every pixel, to images:
    `[(b, h, w, c), (b, d)] -> (b, h, w, c + d)` (StarGAN's label input)."""

    def call(self, inputs):
        images, vectors = inputs
        shape = keras.ops.shape(images)
        tiled = keras.ops.broadcast_to(
            keras.ops.cast(vectors, images.dtype)[:, None, None, :],
            (shape[0], shape[1], shape[2], keras.ops.shape(vectors)[-1]))
        return keras.ops.concatenate([images, tiled], axis=-1)

    def compute_output_shape(self, input_shapes):
        images, vectors = input_shapes
        channels = None if images[-1] is None or vectors[-1] is None else images[-1] + vectors[-1]
        return (*images[:-1], channels)


def stargan_generator(label_dim, channels=3, base_filters=64, num_blocks=6, resolution=None,
                      name="stargan_generator"):
    """StarGAN's generator: the target labels tiled over the image and
    concatenated to it, then the CycleGAN ResNet translator (two stride-2
    down-samplings, `num_blocks` residual blocks, two up-samplings, instance
    normalization, tanh).

    Args:
        label_dim: size of the label vector (with the mask vector, if any).
        channels: image channels.
        base_filters: filters of the first convolution (64).
        num_blocks: residual blocks (6 in the paper).
        resolution: optional fixed image size (divisible by 4).

    Returns:
        A `keras.Model` from `[images, labels]` to images.

    Reference:
        Choi et al., "StarGAN", CVPR 2018, appendix (network architecture).
    """
    check_positive(label_dim=label_dim, channels=channels)
    translator = resnet_translation_generator(
        channels=channels + label_dim, output_channels=channels, base_filters=base_filters,
        num_blocks=num_blocks, resolution=resolution, name=f"{name}_translator")
    images = keras.Input((resolution, resolution, channels), name="images")
    labels = keras.Input((label_dim,), name="labels")
    outputs = translator(TiledConcatenate(name="with_labels")([images, labels]))
    return keras.Model([images, labels], outputs, name=name)


def stargan_discriminator(resolution=128, channels=3, num_domains=5, base_filters=64,
                          num_layers=None, name="stargan_discriminator"):
    """StarGAN's discriminator: `num_layers` stride-2 4x4 convolutions with
    LeakyReLU(0.01) (no normalization), then two heads: a 3x3 PatchGAN
    adversarial map and a convolution over the whole remaining map giving
    `num_domains` classification logits.

    Args:
        resolution: image size, a power of two from 8 to 512.
        channels: image channels.
        num_domains: classification logits (sum of all label groups).
        base_filters: filters of the first convolution, doubled per layer.
        num_layers: stride-2 convolutions; default `log2(resolution) - 1`
            (6 at 128x128, as in the paper), leaving a 2x2 map.

    Returns:
        A `keras.Model` returning `[logits (b, h, w, 1), domain logits (b, num_domains)]`.
    """
    check_power_of_two("resolution", resolution, 8, 512)
    check_positive(channels=channels, num_domains=num_domains, base_filters=base_filters)
    num_layers = num_layers or int(math.log2(resolution)) - 1
    check_positive(num_layers=num_layers)
    if resolution // 2**num_layers < 1:
        raise ValueError(f"num_layers={num_layers} down-samples a {resolution}x{resolution} "
                         "image below 1x1; use fewer layers.")
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = inputs
    for i in range(num_layers):
        x = keras.layers.Conv2D(base_filters * 2**i, 4, strides=2, padding="same",
                                name=f"conv{i}")(x)
        x = keras.layers.LeakyReLU(0.01)(x)
    logits = keras.layers.Conv2D(1, 3, padding="same", use_bias=False, dtype="float32",
                                 name="logits")(x)
    size = resolution // 2**num_layers
    classes = keras.layers.Conv2D(num_domains, size, use_bias=False, dtype="float32",
                                  name="domain_conv")(x)
    classes = keras.layers.Reshape((num_domains,), name="domain_logits")(classes)
    return keras.Model(inputs, [logits, classes], name=name)
