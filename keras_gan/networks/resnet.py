"""ResNet generator and discriminator in the SNGAN / WGAN-GP CIFAR style."""

import keras

from keras_gan.layers import ConditionalBatchNormalization, SelfAttention2D
from keras_gan.networks._blocks import check_positive, maybe_spectral

_G_WIDTHS = {32: (256, 256, 256), 64: (512, 256, 128, 64)}
_D_WIDTHS = {32: (128, 128, 128, 128), 64: (64, 128, 256, 512, 512)}


def _check_resolution(resolution):
    if resolution not in _G_WIDTHS:
        raise ValueError(f"ResNet networks support resolution 32 or 64. Received: resolution={resolution}")


def _conv(filters, size, sn, name, regularizer=None):
    init = keras.initializers.GlorotUniform()
    return maybe_spectral(keras.layers.Conv2D(filters, size, padding="same", kernel_initializer=init,
                                              kernel_regularizer=regularizer, name=name), sn)


def _norm(x, labels, num_classes, name, condition=None):
    if condition is not None:
        return ConditionalBatchNormalization(None, name=name)([x, condition])
    if num_classes:
        return ConditionalBatchNormalization(num_classes, name=name)([x, labels])
    return keras.layers.BatchNormalization(name=name)(x)


def resnet_generator(latent_dim=128, resolution=32, channels=3, widths=None, num_classes=None,
                     spectral_norm=False, attention_resolution=None, shared_embedding_dim=None,
                     orthogonal_regularization=None, name="resnet_generator"):
    """ResNet generator: Dense to 4x4, up-sampling residual blocks, BN-ReLU-conv-tanh.

    Each block is `norm-ReLU-upsample-conv3-norm-ReLU-conv3` with an
    `upsample-conv1` shortcut. With `num_classes`, every BatchNorm becomes a
    `ConditionalBatchNormalization` and the model takes `[latents, labels]`.

    Args:
        latent_dim: size of the latent vector.
        resolution: 32 (3 blocks) or 64 (4 blocks).
        channels: output channels.
        widths: filters per block; defaults to (256, 256, 256) at 32 (SNGAN's
            CIFAR generator) and (512, 256, 128, 64) at 64.
        num_classes: enables class-conditional BatchNorm.
        spectral_norm: spectrally normalize every kernel (SAGAN, BigGAN).
        attention_resolution: insert a `SelfAttention2D` after the block that
            outputs this resolution (SAGAN).
        shared_embedding_dim: BigGAN's conditioning (needs `num_classes`):
            one class embedding of this size shared by all blocks,
            concatenated with the latents; each conditional BatchNorm
            projects that vector linearly to its gain and bias.
        orthogonal_regularization: beta of
            `regularizers.OffDiagonalOrthogonal` on every kernel (BigGAN: 1e-4).

    Returns:
        A `keras.Model` to images in [-1, 1].

    Reference:
        Miyato et al., "Spectral Normalization for GANs", 2018, appendix B.4;
        Gulrajani et al., "Improved Training of Wasserstein GANs", 2017.
    """
    _check_resolution(resolution)
    check_positive(latent_dim=latent_dim, channels=channels)
    widths = tuple(widths or _G_WIDTHS[resolution])
    if len(widths) != len(_G_WIDTHS[resolution]):
        raise ValueError(f"`widths` needs {len(_G_WIDTHS[resolution])} entries at resolution "
                         f"{resolution}. Received: widths={widths}")
    if shared_embedding_dim is not None:
        check_positive(shared_embedding_dim=shared_embedding_dim)
        if not num_classes:
            raise ValueError("`shared_embedding_dim` conditions on classes: set `num_classes` too.")
    regularizer = None
    if orthogonal_regularization:
        from keras_gan.regularizers import OffDiagonalOrthogonal

        regularizer = OffDiagonalOrthogonal(orthogonal_regularization)
    latents = keras.Input((latent_dim,), name="latents")
    inputs = [latents]
    labels = condition = None
    if num_classes:
        labels = keras.Input((), dtype="int32", name="labels")
        inputs.append(labels)
    if shared_embedding_dim:
        embedding = keras.layers.Embedding(num_classes, shared_embedding_dim,
                                           name="shared_embedding")(labels)
        condition = keras.layers.Concatenate(name="condition")([latents, embedding])
    dense = maybe_spectral(keras.layers.Dense(4 * 4 * widths[0], kernel_regularizer=regularizer,
                                              name="project"), spectral_norm)
    x = keras.layers.Reshape((4, 4, widths[0]))(dense(latents))
    size = 4
    for i, filters in enumerate(widths):
        shortcut = keras.layers.UpSampling2D(2)(x)
        shortcut = _conv(filters, 1, spectral_norm, f"block{i}_shortcut", regularizer)(shortcut)
        h = keras.layers.ReLU()(_norm(x, labels, num_classes, f"block{i}_bn0", condition))
        h = keras.layers.UpSampling2D(2)(h)
        h = _conv(filters, 3, spectral_norm, f"block{i}_conv0", regularizer)(h)
        h = keras.layers.ReLU()(_norm(h, labels, num_classes, f"block{i}_bn1", condition))
        h = _conv(filters, 3, spectral_norm, f"block{i}_conv1", regularizer)(h)
        x = keras.layers.Add()([shortcut, h])
        size *= 2
        if attention_resolution == size:
            x = SelfAttention2D(name=f"attention_{size}")(x)
    x = keras.layers.ReLU()(keras.layers.BatchNormalization(name="output_bn")(x))
    x = _conv(channels, 3, spectral_norm, "to_image", regularizer)(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs if num_classes else latents, outputs, name=name)


def resnet_discriminator(resolution=32, channels=3, widths=None, num_classes=None, spectral_norm=True,
                         attention_resolution=None, name="resnet_discriminator"):
    """ResNet discriminator: residual down-sampling blocks, ReLU, sum pooling, linear.

    The first block is SNGAN's "optimized" block (conv-ReLU-conv-pool with a
    pool-conv1 shortcut); later blocks are `ReLU-conv3-ReLU-conv3[-pool]` with
    a `conv1[-pool]` shortcut; the last blocks keep the resolution (8x8 at 32,
    4x4 at 64). With `num_classes` the model takes `[images, labels]` and adds
    the projection term `<embed(y), h>` (Miyato & Koyama 2018).

    Args:
        resolution: 32 or 64.
        channels: input channels.
        widths: filters per block; defaults to (128,) * 4 at 32 (SNGAN's CIFAR
            discriminator) and (64, 128, 256, 512, 512) at 64.
        num_classes: enables the projection head.
        spectral_norm: spectrally normalize every kernel (default, SNGAN).
        attention_resolution: insert a `SelfAttention2D` at this resolution.

    Returns:
        A `keras.Model` returning logits `(batch, 1)`.

    Reference:
        Miyato et al., "Spectral Normalization for GANs", 2018, appendix B.4;
        Miyato & Koyama, "cGANs with Projection Discriminator", 2018.
    """
    _check_resolution(resolution)
    check_positive(channels=channels)
    widths = tuple(widths or _D_WIDTHS[resolution])
    if len(widths) != len(_D_WIDTHS[resolution]):
        raise ValueError(f"`widths` needs {len(_D_WIDTHS[resolution])} entries at resolution "
                         f"{resolution}. Received: widths={widths}")
    downsample = [True] * (len(widths) - 2) + [False, False] if resolution == 32 else \
        [True] * (len(widths) - 1) + [False]
    images = keras.Input((resolution, resolution, channels), name="images")
    x = images
    size = resolution
    for i, (filters, down) in enumerate(zip(widths, downsample)):
        if i == 0:
            h = _conv(filters, 3, spectral_norm, f"block{i}_conv0")(x)
            h = _conv(filters, 3, spectral_norm, f"block{i}_conv1")(keras.layers.ReLU()(h))
            h = keras.layers.AveragePooling2D(2)(h)
            shortcut = _conv(filters, 1, spectral_norm, f"block{i}_shortcut")(keras.layers.AveragePooling2D(2)(x))
        else:
            h = _conv(filters, 3, spectral_norm, f"block{i}_conv0")(keras.layers.ReLU()(x))
            h = _conv(filters, 3, spectral_norm, f"block{i}_conv1")(keras.layers.ReLU()(h))
            shortcut = _conv(filters, 1, spectral_norm, f"block{i}_shortcut")(x)
            if down:
                h = keras.layers.AveragePooling2D(2)(h)
                shortcut = keras.layers.AveragePooling2D(2)(shortcut)
        x = keras.layers.Add()([shortcut, h])
        size = size // 2 if down else size
        if attention_resolution == size and down:
            x = SelfAttention2D(name=f"attention_{size}")(x)
    x = keras.layers.ReLU()(x)
    # Sum over positions (SNGAN), as a mean times the number of positions.
    features = keras.layers.Rescaling(float(size * size))(keras.layers.GlobalAveragePooling2D()(x))
    logits = maybe_spectral(keras.layers.Dense(1, name="logits"), spectral_norm)(features)
    inputs = images
    if num_classes:
        labels = keras.Input((), dtype="int32", name="labels")
        embedding = maybe_spectral(keras.layers.Embedding(num_classes, widths[-1], name="class_embedding"),
                                   spectral_norm)(labels)
        projection = keras.layers.Dot(axes=1, name="projection")([features, embedding])
        logits = keras.layers.Add()([logits, projection])
        inputs = [images, labels]
    logits = keras.layers.Activation("linear", dtype="float32", name="float32_logits")(logits)
    return keras.Model(inputs, logits, name=name)
