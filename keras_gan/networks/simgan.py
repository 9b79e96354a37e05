"""SimGAN's refiner and local (patch) discriminator (Shrivastava et al. 2017)."""

import keras

from keras_gan._checks import check_positive_int


def simgan_refiner(channels=1, filters=64, num_blocks=4, name="simgan_refiner"):
    """The refiner of SimGAN's eye-gaze experiment (appendix A): a 3x3
    convolution to `filters` maps, `num_blocks` ResNet blocks (two 3x3
    convolutions with ReLU), a 1x1 convolution back to `channels`, tanh.
    Fully convolutional: any image size; the output has the input's shape.
    """
    check_positive_int(channels=channels, filters=filters, num_blocks=num_blocks)
    inputs = keras.Input((None, None, channels), name="synthetic")
    x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name="stem")(inputs)
    for block in range(num_blocks):
        y = keras.layers.Conv2D(filters, 3, padding="same", activation="relu",
                                name=f"block_{block}_a")(x)
        y = keras.layers.Conv2D(filters, 3, padding="same", name=f"block_{block}_b")(y)
        x = keras.layers.ReLU()(keras.layers.Add()([x, y]))
    outputs = keras.layers.Conv2D(channels, 1, activation="tanh", dtype="float32",
                                  name="refined")(x)
    return keras.Model(inputs, outputs, name=name)


def simgan_discriminator(resolution=28, channels=1, filters=(96, 64, 32, 32), name=
                         "simgan_discriminator"):
    """SimGAN's local adversarial discriminator (appendix A, scaled to small
    images): 3x3 convolutions (stride 2 for the first two, then 1) with ReLU
    and a 1x1 convolution to one logit per patch: `(batch, h, w, 1)` for
    `h = w = resolution / 4`, each judging a local patch of the input."""
    check_positive_int(resolution=resolution, channels=channels)
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = inputs
    for index, width in enumerate(filters):
        x = keras.layers.Conv2D(width, 3, strides=2 if index < 2 else 1, padding="same",
                                activation="relu", name=f"conv_{index}")(x)
    outputs = keras.layers.Conv2D(1, 1, dtype="float32", name="patch_logits")(x)
    return keras.Model(inputs, outputs, name=name)
