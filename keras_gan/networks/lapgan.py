"""LAPGAN's Laplacian-pyramid networks (Denton et al. 2015).

`lapgan_generator` is one model from latents to images that samples coarse
to fine: `level_0` (fully connected) makes the coarsest image from
`latent_dim` numbers; each finer `level_k` (convolutional) makes a
high-pass residual from a noise plane and the upsampled coarser image. The
model's latent vector holds `z_0` followed by every noise plane.
`lapgan_discriminator` holds one critic per level: `level_0` judges coarse
images, `level_k` residuals given their coarse image.
"""

import keras

from keras_gan.networks._blocks import check_positive, check_power_of_two


def level_sizes(resolution, levels):
    """Image sizes of the levels, coarsest first (halving from `resolution`)."""
    check_positive(levels=levels)
    sizes = [resolution // 2**k for k in reversed(range(levels))]
    if sizes[0] < 4:
        raise ValueError(f"{levels} levels below {resolution} px reach {sizes[0]} px; use fewer.")
    return sizes


def lapgan_latent_dim(resolution, levels, latent_dim):
    """Length of the generator's latent vector: `z_0` plus one noise plane per finer level."""
    return latent_dim + sum(s * s for s in level_sizes(resolution, levels)[1:])


@keras.saving.register_keras_serializable(package="keras_gan")
class LatentSlice(keras.layers.Layer):
    """`latents[:, start:stop]` reshaped to `shape` (a level's share of the latents)."""

    def __init__(self, start, stop, shape, **kwargs):
        super().__init__(**kwargs)
        self.start, self.stop, self.shape = int(start), int(stop), tuple(int(s) for s in shape)

    def call(self, latents):
        return keras.ops.reshape(latents[:, self.start:self.stop], (-1, *self.shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.shape)

    def get_config(self):
        return {**super().get_config(), "start": self.start, "stop": self.stop, "shape": self.shape}


def _coarse_generator(size, channels, latent_dim, hidden):
    z = keras.Input((latent_dim,))
    x = keras.layers.Dense(hidden, activation="relu")(z)
    x = keras.layers.Dense(hidden, activation="relu")(x)
    x = keras.layers.Dense(size * size * channels, activation="tanh")(x)
    return keras.Model(z, keras.layers.Reshape((size, size, channels))(x), name="level_0")


def _residual_generator(size, channels, filters, level):
    noise = keras.Input((size, size, 1))
    coarse = keras.Input((size, size, channels))
    x = keras.layers.Concatenate()([noise, coarse])
    for _ in range(2):
        x = keras.layers.Conv2D(filters, 5, padding="same", activation="relu")(x)
    residual = keras.layers.Conv2D(channels, 5, padding="same")(x)
    return keras.Model([noise, coarse], residual, name=f"level_{level}")


def lapgan_generator(latent_dim=100, resolution=32, channels=3, levels=3, filters=64, hidden=600,
                     name="lapgan_generator"):
    """The LAPGAN sampler: latents `(batch, lapgan_latent_dim(...))` -> images.

    Args:
        latent_dim: size of `z_0`, the coarsest level's noise (100).
        resolution: output size, a power of two (32 for CIFAR-10).
        channels: image channels.
        levels: pyramid levels (3 for CIFAR-10: 8, 16, 32 px).
        filters: channels of the residual generators' convolutions.
        hidden: width of the coarsest, fully connected generator (600).

    Reference:
        Denton et al., "Deep Generative Image Models using a Laplacian Pyramid
        of Adversarial Networks", NIPS 2015, section 4 (CIFAR-10 models).
        https://arxiv.org/abs/1506.05751
    """
    check_positive(latent_dim=latent_dim, channels=channels, filters=filters, hidden=hidden)
    check_power_of_two("resolution", resolution, 8, 1024)
    sizes = level_sizes(resolution, levels)
    latents = keras.Input((lapgan_latent_dim(resolution, levels, latent_dim),), name="latents")
    image = _coarse_generator(sizes[0], channels, latent_dim, hidden)(
        LatentSlice(0, latent_dim, (latent_dim,), name="z_0")(latents))
    start = latent_dim
    for level, size in enumerate(sizes[1:], start=1):
        noise = LatentSlice(start, start + size * size, (size, size, 1), name=f"noise_{level}")(
            latents)
        start += size * size
        coarse = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"up_{level}")(image)
        residual = _residual_generator(size, channels, filters, level)([noise, coarse])
        image = keras.layers.Add(name=f"image_{level}")([coarse, residual])
    return keras.Model(latents, image, name=name)


def lapgan_discriminator(resolution=32, channels=3, levels=3, filters=64, hidden=600,
                         name="lapgan_discriminator"):
    """One critic per level, as one model.

    Inputs `[residual_L, coarse_L, ..., residual_1, coarse_1, image_0]`
    (finest first: each level's high-pass residual and the upsampled coarser
    image it refines, then the coarsest image); outputs one logit per level
    and sample, in the same order.
    `level_0` is fully connected (600-600), the others convolutional on the
    residual concatenated with its coarse image.

    Reference:
        Denton et al. 2015, section 4.
    """
    check_positive(channels=channels, filters=filters, hidden=hidden)
    check_power_of_two("resolution", resolution, 8, 1024)
    sizes = level_sizes(resolution, levels)
    inputs, outputs = [], []
    for level in reversed(range(1, levels)):  # finest first
        size = sizes[level]
        residual = keras.Input((size, size, channels), name=f"residual_{level}")
        coarse = keras.Input((size, size, channels), name=f"coarse_{level}")
        x = keras.layers.Concatenate()([residual, coarse])
        for _ in range(2):
            x = keras.layers.Conv2D(filters, 5, strides=2, padding="same")(x)
            x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Flatten()(x)
        inputs += [residual, coarse]
        outputs.append(keras.layers.Dense(1, name=f"logits_{level}")(x))
    image = keras.Input((sizes[0], sizes[0], channels), name="image_0")
    x = keras.layers.Flatten()(image)
    for _ in range(2):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(hidden)(x))
    inputs.append(image)
    outputs.append(keras.layers.Dense(1, name="logits_0")(x))
    return keras.Model(inputs, outputs, name=name)
