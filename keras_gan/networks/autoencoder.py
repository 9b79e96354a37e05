"""Convolutional encoders and decoders: the VAE's, VAE-GAN's and BiGAN's, and
EBGAN's auto-encoder discriminator."""

import keras

from keras_gan._checks import check_positive_int
from keras_gan.networks.dcgan import _stages


def conv_encoder(resolution=28, channels=1, latent_dim=16, base_filters=32, gaussian=True,
                 name="conv_encoder"):
    """A Gaussian encoder: stride-2 convolutions (4x4, ReLU), then one Dense
    layer returning `[mean, log_var]` side by side, `(batch, 2 * latent_dim)`
    (with `gaussian=False`, one code `(batch, latent_dim)`: BiGAN, EBGAN).

    The DCGAN discriminator's layout without BatchNorm (Larsen et al. 2016
    use this shape of encoder); `keras_gan.VAE` splits the output.

    Args:
        resolution: 28, or a power of two from 32 to 256.
        channels: channels of the images.
        latent_dim: size of z.
        base_filters: filters of the first convolution, doubling per stage.
    """
    check_positive_int(channels=channels, latent_dim=latent_dim, base_filters=base_filters)
    _, stages = _stages(resolution)
    inputs = keras.Input((resolution, resolution, channels), name="images")
    x = inputs
    for stage in range(stages):
        x = keras.layers.Conv2D(base_filters * 2**stage, 4, strides=2, padding="same",
                                activation="relu", name=f"down_{stage}")(x)
    x = keras.layers.Flatten(name="features")(x)
    width = 2 * latent_dim if gaussian else latent_dim
    outputs = keras.layers.Dense(width, dtype="float32", name="posterior" if gaussian else "code")(x)
    return keras.Model(inputs, outputs, name=name)


def conv_decoder(latent_dim=16, resolution=28, channels=1, base_filters=32,
                 output_activation=None, name="conv_decoder"):
    """The mirror of `conv_encoder`: Dense to `s x s x F`, stride-2
    transposed convolutions (4x4, ReLU), a last one to `channels`.

    Args:
        latent_dim: size of z.
        resolution: 28, or a power of two from 32 to 256.
        channels: channels of the images.
        base_filters: filters of the last hidden stage (doubling towards z).
        output_activation: None for logits (a Bernoulli VAE), `"tanh"` for
            images in [-1, 1] (a Gaussian VAE, VAE-GAN); in float32.
    """
    check_positive_int(channels=channels, latent_dim=latent_dim, base_filters=base_filters)
    start, stages = _stages(resolution)
    filters = base_filters * 2 ** (stages - 1)
    inputs = keras.Input((latent_dim,), name="latents")
    x = keras.layers.Dense(start * start * filters, activation="relu", name="project")(inputs)
    x = keras.layers.Reshape((start, start, filters))(x)
    for stage in range(stages - 1):
        filters //= 2
        x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same",
                                         activation="relu", name=f"up_{stage}")(x)
    outputs = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                           activation=output_activation, dtype="float32",
                                           name="images")(x)
    return keras.Model(inputs, outputs, name=name)


def ebgan_discriminator(resolution=28, channels=1, base_filters=32, embedding_dim=32,
                        name="ebgan_discriminator"):
    """EBGAN's auto-encoder discriminator: `conv_encoder`'s convolutions to an
    embedding of `embedding_dim` (the layer named `"embedding"`), then
    `conv_decoder`'s transposed convolutions back to a tanh image.

    Returns:
        A `keras.Model` from images to `[reconstruction, embedding]`.

    Reference:
        Zhao et al., "Energy-based Generative Adversarial Networks", 2017,
        section 2.3 and appendix C.
    """
    check_positive_int(embedding_dim=embedding_dim)
    encoder = conv_encoder(resolution, channels, embedding_dim, base_filters,
                           gaussian=False, name=f"{name}_encoder")
    decoder = conv_decoder(embedding_dim, resolution, channels, base_filters,
                           output_activation="tanh", name=f"{name}_decoder")
    inputs = keras.Input((resolution, resolution, channels), name="images")
    embedding = keras.layers.Identity(name="embedding")(encoder(inputs))
    return keras.Model(inputs, [decoder(embedding), embedding], name=name)


def bigan_discriminator(resolution=28, channels=1, latent_dim=50, base_filters=32, hidden=512,
                        name="bigan_discriminator"):
    """A joint discriminator for BiGAN / ALI: stride-2 convolutions
    (LeakyReLU 0.2) on the image, a Dense layer on the code, both
    concatenated into a Dense layer and one logit per (image, code) pair.

    Returns:
        A `keras.Model` from `[images, codes]` to logits `(batch, 1)`.

    Reference:
        Donahue et al., "Adversarial Feature Learning", 2017, section 4.
    """
    check_positive_int(channels=channels, latent_dim=latent_dim, base_filters=base_filters,
                       hidden=hidden)
    _, stages = _stages(resolution)
    images = keras.Input((resolution, resolution, channels), name="images")
    codes = keras.Input((latent_dim,), name="codes")
    x = images
    for stage in range(stages):
        x = keras.layers.Conv2D(base_filters * 2**stage, 4, strides=2, padding="same",
                                name=f"down_{stage}")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten(name="image_features")(x)
    z = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(hidden, name="code_features")(codes))
    joint = keras.layers.Concatenate()([x, z])
    joint = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(hidden, name="joint")(joint))
    logits = keras.layers.Dense(1, dtype="float32", name="logits")(joint)
    return keras.Model([images, codes], logits, name=name)


def dann_networks(resolution=28, channels=3, num_classes=10, filters=(32, 48), hidden=100):
    """The MNIST networks of DANN (Ganin et al. 2016, figure 4 / appendix):
    features `conv 5x5 (32) -> max-pool -> ReLU -> conv 5x5 (48) -> max-pool
    -> ReLU`, a label classifier `FC 100 -> FC 100 -> FC num_classes` and a
    domain classifier `FC 100 -> FC 1` (ReLU between).

    Returns:
        `(features, classifier, domain_classifier)` `keras.Model`s.
    """
    check_positive_int(resolution=resolution, channels=channels, num_classes=num_classes,
                       hidden=hidden)
    images = keras.Input((resolution, resolution, channels), name="images")
    x = images
    for index, width in enumerate(filters):
        x = keras.layers.Conv2D(width, 5, padding="same", name=f"conv_{index}")(x)
        x = keras.layers.MaxPooling2D(2)(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Flatten(name="features")(x)
    features = keras.Model(images, x, name="dann_features")
    inputs = keras.Input(x.shape[1:])
    h = keras.layers.Dense(hidden, activation="relu")(inputs)
    h = keras.layers.Dense(hidden, activation="relu")(h)
    classifier = keras.Model(inputs, keras.layers.Dense(num_classes, dtype="float32")(h),
                             name="dann_classifier")
    inputs = keras.Input(x.shape[1:])
    h = keras.layers.Dense(hidden, activation="relu")(inputs)
    domain = keras.Model(inputs, keras.layers.Dense(1, dtype="float32")(h),
                         name="dann_domain_classifier")
    return features, classifier, domain


def cogan_networks(latent_dim=100, resolution=28, channels=1, base_filters=64,
                   name="cogan"):
    """CoGAN's coupled pair (Liu & Tuzel 2016, the DCGAN-style variant of
    their MNIST networks): generators sharing everything but their last
    transposed convolution, discriminators sharing everything but their
    first convolution.

    Generator: `z -> Dense(s*s*F) -> BN -> ReLU -> [ConvT(4, 2) -> BN ->
    ReLU]*` (shared) -> one `ConvT(channels, 4, 2) -> tanh` per domain,
    stacked on the channel axis. Discriminator: per domain `Conv(4, 2) ->
    LeakyReLU`, then shared `[Conv(4, 2) -> LeakyReLU]* -> Dense(1)`; the
    two logits side by side. (No BatchNorm in the discriminator, whose
    shared layers see each domain's batch separately.)

    Returns:
        `(generator, discriminator)`: `(batch, latent_dim) -> (batch, r, r,
        2 * channels)` and `(batch, r, r, 2 * channels) -> (batch, 2)`.
    """
    check_positive_int(latent_dim=latent_dim, channels=channels, base_filters=base_filters)
    start, stages = _stages(resolution)
    filters = base_filters * 2 ** (stages - 1)
    latents = keras.Input((latent_dim,), name="latents")
    x = keras.layers.Dense(start * start * filters, use_bias=False, name="shared_project")(latents)
    x = keras.layers.ReLU()(keras.layers.BatchNormalization(name="shared_project_bn")(x))
    x = keras.layers.Reshape((start, start, filters))(x)
    for stage in range(stages - 1):
        filters //= 2
        x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                         name=f"shared_up_{stage}")(x)
        x = keras.layers.ReLU()(keras.layers.BatchNormalization(name=f"shared_up_{stage}_bn")(x))
    heads = [keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                          activation="tanh", dtype="float32",
                                          name=f"images_{domain}")(x) for domain in "ab"]
    generator = keras.Model(latents, keras.layers.Concatenate(name="pair")(heads),
                            name=f"{name}_generator")

    # The first convolution is per domain (a grouped convolution: filters
    # [0, F) read domain A's channels, [F, 2F) domain B's); the domains then
    # become a time axis, so the shared layers run once per domain with one
    # set of weights (TimeDistributed), all serializable standard layers.
    stacked = keras.Input((resolution, resolution, 2 * channels), name="pair")
    x = keras.layers.Conv2D(2 * base_filters, 4, strides=2, padding="same", groups=2,
                            name="down_0_per_domain")(stacked)
    x = keras.layers.LeakyReLU(0.2)(x)
    size = resolution // 2
    x = keras.layers.Reshape((size, size, 2, base_filters))(x)
    x = keras.layers.Permute((3, 1, 2, 4), name="domains_first")(x)
    width = base_filters * 2
    for stage in range(1, stages):
        x = keras.layers.TimeDistributed(keras.layers.Conv2D(width, 4, strides=2, padding="same"),
                                         name=f"shared_down_{stage}")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        width *= 2
    x = keras.layers.TimeDistributed(keras.layers.Flatten(), name="features")(x)
    x = keras.layers.TimeDistributed(keras.layers.Dense(1, dtype="float32"),
                                     name="shared_logit")(x)
    discriminator = keras.Model(stacked, keras.layers.Reshape((2,), name="logits")(x),
                                name=f"{name}_discriminator")
    return generator, discriminator
