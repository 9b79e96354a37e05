"""SRResNet generator and SRGAN discriminator (Ledig et al. 2017)."""

import math

import keras

from keras_gan.layers import SubPixelUpsampling
from keras_gan.networks._blocks import check_positive, check_power_of_two


def srresnet_generator(channels=3, scale=4, num_blocks=16, filters=64, name="srresnet_generator"):
    """SRResNet: conv9-PReLU, B residual blocks (conv3-BN-PReLU-conv3-BN),
    conv3-BN with a global skip, log2(scale) x (conv3 to 4 * filters,
    pixel shuffle x2, PReLU), conv9 with tanh. Fully convolutional.

    Args:
        channels: image channels.
        scale: upsampling factor, a power of two (4 in the paper).
        num_blocks: residual blocks (16).
        filters: feature maps (64).

    Returns:
        A `keras.Model` from `(batch, h, w, channels)` in [-1, 1] to
        `(batch, h * scale, w * scale, channels)` in [-1, 1].

    Reference:
        Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a
        Generative Adversarial Network", 2017, figure 4.
        https://arxiv.org/abs/1609.04802
    """
    check_positive(channels=channels, num_blocks=num_blocks, filters=filters)
    check_power_of_two("scale", scale, 2, 8)
    inputs = keras.Input((None, None, channels), name="low_resolution")
    x = keras.layers.Conv2D(filters, 9, padding="same", name="head")(inputs)
    x = head = keras.layers.PReLU(shared_axes=[1, 2])(x)
    for i in range(num_blocks):
        h = keras.layers.Conv2D(filters, 3, padding="same", name=f"res{i}_conv0")(x)
        h = keras.layers.PReLU(shared_axes=[1, 2])(keras.layers.BatchNormalization(name=f"res{i}_bn0")(h))
        h = keras.layers.Conv2D(filters, 3, padding="same", name=f"res{i}_conv1")(h)
        x = keras.layers.Add()([x, keras.layers.BatchNormalization(name=f"res{i}_bn1")(h)])
    x = keras.layers.Conv2D(filters, 3, padding="same", name="body_conv")(x)
    x = keras.layers.Add()([head, keras.layers.BatchNormalization(name="body_bn")(x)])
    for i in range(int(math.log2(scale))):
        x = keras.layers.Conv2D(filters * 4, 3, padding="same", name=f"up{i}_conv")(x)
        x = keras.layers.PReLU(shared_axes=[1, 2])(SubPixelUpsampling(2, name=f"up{i}_shuffle")(x))
    x = keras.layers.Conv2D(channels, 9, padding="same", name="to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def srgan_discriminator(resolution=96, channels=3, base_filters=64, name="srgan_discriminator"):
    """The SRGAN discriminator: 8 conv3 layers (k3n64s1, k3n64s2, k3n128s1,
    k3n128s2, ..., k3n512s2) with BatchNorm (not on the first) and
    LeakyReLU(0.2), then Dense(1024)-LeakyReLU-Dense(1) logits.

    Args:
        resolution: high-resolution crop size, divisible by 16 (96 in the paper).
        channels: image channels.
        base_filters: filters of the first two convolutions.

    Returns:
        A `keras.Model` returning logits `(batch, 1)`.

    Reference:
        Ledig et al., 2017, figure 4.
    """
    check_positive(channels=channels, base_filters=base_filters)
    if resolution < 16 or resolution % 16:
        raise ValueError(f"`resolution` must be a multiple of 16. Received: resolution={resolution}")
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = inputs
    for i in range(8):
        filters = base_filters * 2 ** (i // 2)
        x = keras.layers.Conv2D(filters, 3, strides=1 + i % 2, padding="same", name=f"conv{i}")(x)
        if i:
            x = keras.layers.BatchNormalization(name=f"conv{i}_bn")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(base_filters * 16, name="dense")(x))
    outputs = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)


def vgg19_features(layer="block5_conv4", weights="imagenet", scale=1 / 12.75,
                   name="vgg19_features"):
    """VGG19 features for SRGAN's content loss, from images in [-1, 1].

    The images are mapped to VGG's input (RGB [0, 255], ImageNet mean
    subtracted, BGR) inside the model; the features of `layer` (the paper's
    VGG54 is `block5_conv4`; Keras's layer output is after its ReLU, as in
    most SRGAN code) are multiplied by `scale` (1/12.75 in the paper, which
    brings the loss near the scale of the pixel MSE).

    Args:
        layer: a VGG19 layer name.
        weights: `"imagenet"` (downloaded once by Keras), a path to a local
            weights file, or None (random; for tests).
        scale: factor on the features.

    Raises:
        RuntimeError: the ImageNet weights cannot be downloaded (offline),
            with the fix in the message.
    """
    try:
        vgg = keras.applications.VGG19(include_top=False, weights=weights, input_shape=(None, None, 3))
    except Exception as error:
        if weights != "imagenet":
            raise
        raise RuntimeError(
            "Could not download the VGG19 ImageNet weights (no network?). Download "
            "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 on a machine with network "
            "access and pass weights='path/to/file.h5', or train SRGAN with "
            f"content_extractor=None (pixel MSE). Underlying error: {error}") from error
    if layer not in [l.name for l in vgg.layers]:
        raise ValueError(f"VGG19 has no layer {layer!r}.")
    features = keras.Model(vgg.input, vgg.get_layer(layer).output, name=f"{name}_vgg19")
    features.trainable = False
    inputs = keras.Input((None, None, 3), name="images")
    x = keras.layers.Rescaling(127.5, offset=127.5, name="to_255")(inputs)
    x = _ImageNetCaffe(name="caffe_preprocessing")(x)
    outputs = keras.layers.Rescaling(scale, name="rescale")(features(x))
    return keras.Model(inputs, outputs, name=name)


@keras.saving.register_keras_serializable(package="keras_gan")
class _ImageNetCaffe(keras.layers.Layer):
    """VGG's 'caffe' preprocessing: RGB [0, 255] -> BGR minus the ImageNet mean."""

    def call(self, x):
        mean = keras.ops.convert_to_tensor([103.939, 116.779, 123.68], dtype=x.dtype)
        return keras.ops.flip(x, axis=-1) - mean
