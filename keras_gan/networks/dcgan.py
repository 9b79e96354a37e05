"""DCGAN generator and discriminator (Radford et al. 2016)."""

import math

import keras

from keras_gan._checks import check_positive_int as _check_positive
from keras_gan.layers import MinibatchDiscrimination


def _stages(resolution):
    """Returns (start size, number of stride-2 stages) for a resolution."""
    if resolution == 28:
        return 7, 2
    if resolution >= 32 and resolution <= 256 and resolution & (resolution - 1) == 0:
        return 4, int(math.log2(resolution // 4))
    raise ValueError(
        "DCGAN networks support resolution 28 or a power of two from 32 to 256. "
        f"Received: resolution={resolution}"
    )


def _label_features(num_classes, conditioning, size, name):
    """Labels `(batch,)` -> an input layer and a `(batch, size)` float encoding."""
    if conditioning not in ("embedding", "one_hot"):
        raise ValueError(
            f"`conditioning` must be 'embedding' or 'one_hot'. Received: conditioning={conditioning!r}")
    _check_positive(num_classes=num_classes)
    labels = keras.Input((), dtype="int32", name="labels")
    if conditioning == "embedding":
        encoded = keras.layers.Embedding(num_classes, size, name=f"{name}_embedding")(labels)
    else:
        encoded = keras.layers.CategoryEncoding(num_classes, output_mode="one_hot",
                                                name=f"{name}_one_hot")(labels)
    return labels, encoded


def dcgan_generator(latent_dim=100, resolution=64, channels=3, base_filters=64,
                    synchronized_batchnorm=False, num_classes=None, conditioning="embedding",
                    name="dcgan_generator"):
    """The DCGAN generator: projection, then stride-2 transposed convolutions.

    `latent -> Dense(s*s*F) -> BN -> ReLU -> [ConvT(4, 2) -> BN -> ReLU]* ->
    ConvT(channels, 4, 2) -> tanh`, with `s = 7` for 28x28 and `s = 4` for
    powers of two, and `F = base_filters * 2**(stages - 1)` halving at each
    stage. No BatchNorm on the output layer, as in the paper. The output
    activation runs in float32, so mixed precision keeps tanh outputs exact.

    Args:
        latent_dim: size of the latent vector.
        resolution: 28, or a power of two from 32 to 256.
        channels: channels of the generated images.
        base_filters: filters of the last hidden stage (`ngf`, 64 in the paper).
        synchronized_batchnorm: use `BatchNormalization(synchronized=True)`,
            which makes results identical on one and several replicas.
        num_classes: makes the model class-conditional: it takes
            `[latents, labels]` and concatenates a label encoding to the latents
            (Mirza & Osindero 2014).
        conditioning: `"embedding"` (a learned `latent_dim`-sized embedding) or
            `"one_hot"`.

    Returns:
        A `keras.Model` from `(batch, latent_dim)` (and labels `(batch,)`) to images
        `(batch, resolution, resolution, channels)` in [-1, 1].

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", 2016.
        https://arxiv.org/abs/1511.06434
    """
    _check_positive(latent_dim=latent_dim, channels=channels, base_filters=base_filters)
    start, stages = _stages(resolution)
    filters = base_filters * 2 ** (stages - 1)
    init = keras.initializers.RandomNormal(stddev=0.02)
    inputs = keras.Input((latent_dim,), name="latents")
    x = inputs
    if num_classes:
        labels, encoded = _label_features(num_classes, conditioning, latent_dim, "label")
        x = keras.layers.Concatenate()([inputs, encoded])
        inputs = [inputs, labels]
    x = keras.layers.Dense(start * start * filters, use_bias=False, kernel_initializer=init,
                           name="project")(x)
    x = keras.layers.Reshape((start, start, filters))(x)
    x = keras.layers.BatchNormalization(synchronized=synchronized_batchnorm, name="project_bn")(x)
    x = keras.layers.ReLU()(x)
    for stage in range(stages - 1):
        filters //= 2
        x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=init, name=f"up_{stage}")(x)
        x = keras.layers.BatchNormalization(synchronized=synchronized_batchnorm,
                                            name=f"up_{stage}_bn")(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                     kernel_initializer=init, name="to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def dcgan_discriminator(resolution=64, channels=3, base_filters=64,
                        synchronized_batchnorm=False, batchnorm=True, num_classes=None,
                        conditioning="embedding", num_logits=1, auxiliary_units=None,
                        minibatch_kernels=None, name="dcgan_discriminator"):
    """The DCGAN discriminator: stride-2 convolutions with LeakyReLU(0.2).

    No BatchNorm on the input layer, as in the paper. Returns one logit per
    image (a float32 Dense layer, no sigmoid).

    Args:
        resolution: 28, or a power of two from 32 to 256.
        channels: channels of the input images.
        base_filters: filters of the first convolution (`ndf`, 64 in the paper).
        synchronized_batchnorm: use `BatchNormalization(synchronized=True)`.
        batchnorm: set False for Wasserstein critics with gradient penalty,
            which must not normalize over the batch.
        num_classes: makes the model class-conditional: it takes
            `[images, labels]`; the label encoding is projected by a Dense layer
            to one extra input channel (the keras-io conditional GAN scheme).
        conditioning: `"embedding"` or `"one_hot"`.
        num_logits: width of the output layer: 1 for an adversarial logit,
            K for the K-class discriminator of `SemiSupervisedGAN`.
        auxiliary_units: adds a second head on the shared features, a
            Dense layer of this width (ACGAN's classifier with
            `num_classes` units, InfoGAN's Q network); the model then returns
            `[logits, auxiliary]`.
        minibatch_kernels: appends `layers.MinibatchDiscrimination` with this
            many kernels to the features (Salimans et al. 2016, 3.2).

    The flattened features are the layer named `"features"`, which
    `GAN.compile(feature_matching=True)` matches.

    Returns:
        A `keras.Model` from images (and labels) to logits `(batch, num_logits)`
        (and auxiliary outputs).

    Reference:
        Radford et al., 2016.
    """
    _check_positive(channels=channels, base_filters=base_filters, num_logits=num_logits)
    if auxiliary_units is not None:
        _check_positive(auxiliary_units=auxiliary_units)
    if minibatch_kernels is not None:
        _check_positive(minibatch_kernels=minibatch_kernels)
    _, stages = _stages(resolution)
    init = keras.initializers.RandomNormal(stddev=0.02)
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = inputs
    if num_classes:
        labels, encoded = _label_features(num_classes, conditioning, 50, "label")
        plane = keras.layers.Dense(resolution * resolution, name="label_plane")(encoded)
        plane = keras.layers.Reshape((resolution, resolution, 1))(plane)
        x = keras.layers.Concatenate()([inputs, plane])
        inputs = [inputs, labels]
    filters = base_filters
    for stage in range(stages):
        x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=init,
                                use_bias=stage == 0 or not batchnorm, name=f"down_{stage}")(x)
        if stage > 0 and batchnorm:
            x = keras.layers.BatchNormalization(synchronized=synchronized_batchnorm,
                                                name=f"down_{stage}_bn")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        filters *= 2
    x = keras.layers.Flatten(name="features")(x)
    head = x
    if minibatch_kernels:
        head = MinibatchDiscrimination(minibatch_kernels, name="minibatch_discrimination")(x)
    outputs = keras.layers.Dense(num_logits, dtype="float32", kernel_initializer=init,
                                 name="logits")(head)
    if auxiliary_units:
        auxiliary = keras.layers.Dense(auxiliary_units, dtype="float32", kernel_initializer=init,
                                       name="auxiliary")(x)
        outputs = [outputs, auxiliary]
    return keras.Model(inputs, outputs, name=name)
