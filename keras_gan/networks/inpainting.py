"""The context-encoder generator (Pathak et al. 2016)."""

import math

import keras

from keras_gan.networks._blocks import check_positive, check_power_of_two


def context_encoder_generator(resolution=64, channels=3, base_filters=64, bottleneck=4000,
                              name="context_encoder_generator"):
    """An encoder-decoder without skip connections: stride-2 4x4 convolutions
    (BatchNorm, LeakyReLU 0.2) down to 4x4, a 4x4 valid convolution to a
    `bottleneck`-dimensional code (the paper's 4000-d layer), then
    transposed convolutions (BatchNorm, ReLU) back to the full resolution and
    a tanh output.

    Args:
        resolution: image size, a power of two from 16 to 256.
        channels: image channels (input and output).
        base_filters: filters of the first convolution; doubled per block up to 8x.
        bottleneck: size of the code between encoder and decoder.

    Returns:
        A `keras.Model` from masked images `(batch, r, r, channels)` to
        images of the same shape.

    Reference:
        Pathak et al., "Context Encoders: Feature Learning by Inpainting",
        CVPR 2016, figure 2. https://arxiv.org/abs/1604.07379
    """
    check_power_of_two("resolution", resolution, 16, 256)
    check_positive(channels=channels, base_filters=base_filters, bottleneck=bottleneck)
    init = keras.initializers.RandomNormal(stddev=0.02)
    blocks = int(math.log2(resolution)) - 2
    filters = [min(base_filters * 2**i, base_filters * 8) for i in range(blocks)]
    inputs = keras.Input((resolution, resolution, channels), name="masked_images")
    x = inputs
    for i, f in enumerate(filters):
        x = keras.layers.Conv2D(f, 4, strides=2, padding="same", use_bias=i == 0,
                                kernel_initializer=init, name=f"encode{i}")(x)
        if i:
            x = keras.layers.BatchNormalization(name=f"encode{i}_bn")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(bottleneck, 4, kernel_initializer=init, name="bottleneck")(x)
    x = keras.layers.LeakyReLU(0.2)(keras.layers.BatchNormalization(name="bottleneck_bn")(x))
    x = keras.layers.Conv2DTranspose(filters[-1], 4, use_bias=False, kernel_initializer=init,
                                     name="decode_in")(x)
    x = keras.layers.ReLU()(keras.layers.BatchNormalization(name="decode_in_bn")(x))
    for i, f in enumerate(reversed(filters[:-1])):
        x = keras.layers.Conv2DTranspose(f, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=init, name=f"decode{i}")(x)
        x = keras.layers.ReLU()(keras.layers.BatchNormalization(name=f"decode{i}_bn")(x))
    x = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                     kernel_initializer=init, name="to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)
