"""The CycleGAN ResNet translation generator."""

import keras

from keras_gan.layers import ReflectionPadding2D
from keras_gan.networks._blocks import check_positive, instance_norm


def resnet_translation_generator(channels=3, output_channels=3, base_filters=64, num_blocks=9,
                                 resolution=None, name="resnet_translation_generator"):
    """Johnson et al.'s generator as used by CycleGAN: c7s1-64, d128, d256,
    `num_blocks` x R256, u128, u64, c7s1-3 with instance normalization,
    reflection padding and a tanh output.

    Args:
        channels: input channels.
        output_channels: output channels.
        base_filters: filters of the first convolution (64).
        num_blocks: residual blocks: 6 for 128x128 images, 9 for 256x256.
        resolution: optional fixed input size (divisible by 4); None accepts any.

    Returns:
        A fully convolutional `keras.Model` mapping images to images of the same size.

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", 2017, appendix 7.2.
        https://arxiv.org/abs/1703.10593
    """
    check_positive(channels=channels, output_channels=output_channels, base_filters=base_filters,
                   num_blocks=num_blocks)
    if resolution is not None and resolution % 4:
        raise ValueError(f"`resolution` must be divisible by 4. Received: resolution={resolution}")
    init = keras.initializers.RandomNormal(stddev=0.02)
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = ReflectionPadding2D(3)(inputs)
    x = keras.layers.Conv2D(base_filters, 7, use_bias=False, kernel_initializer=init, name="c7s1")(x)
    x = keras.layers.ReLU()(instance_norm("c7s1_norm")(x))
    for i, f in enumerate((base_filters * 2, base_filters * 4)):
        x = keras.layers.Conv2D(f, 3, strides=2, padding="same", use_bias=False,
                                kernel_initializer=init, name=f"down{i}")(x)
        x = keras.layers.ReLU()(instance_norm(f"down{i}_norm")(x))
    for i in range(num_blocks):
        h = ReflectionPadding2D(1)(x)
        h = keras.layers.Conv2D(base_filters * 4, 3, use_bias=False, kernel_initializer=init,
                                name=f"res{i}_conv0")(h)
        h = keras.layers.ReLU()(instance_norm(f"res{i}_norm0")(h))
        h = ReflectionPadding2D(1)(h)
        h = keras.layers.Conv2D(base_filters * 4, 3, use_bias=False, kernel_initializer=init,
                                name=f"res{i}_conv1")(h)
        x = keras.layers.Add()([x, instance_norm(f"res{i}_norm1")(h)])
    for i, f in enumerate((base_filters * 2, base_filters)):
        x = keras.layers.Conv2DTranspose(f, 3, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=init, name=f"up{i}")(x)
        x = keras.layers.ReLU()(instance_norm(f"up{i}_norm")(x))
    x = ReflectionPadding2D(3)(x)
    x = keras.layers.Conv2D(output_channels, 7, kernel_initializer=init, name="to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)
