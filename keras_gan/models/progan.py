"""ProGAN: the engine with a level of detail that grows over training."""

import math

import keras
import tensorflow as tf

from keras_gan import losses, regularizers
from keras_gan.layers import LevelOfDetail
from keras_gan.models.gan import GAN


def _lod_layers(network):
    return [layer for layer in network._flatten_layers() if isinstance(layer, LevelOfDetail)]


@keras.saving.register_keras_serializable(package="keras_gan")
class ProGAN(GAN):
    """Progressive growing of GANs (Karras et al. 2018) on the one engine.

    The networks (e.g. `networks.progan_generator` / `progan_discriminator`)
    contain a `LevelOfDetail` layer; this model keeps both (and the averaged
    generator) at the same level of detail `lod` and shows the critic real
    images at that level: downscaled by `2**floor(lod)` (average pooling),
    faded towards the next coarser level by `lod - floor(lod)`, and upscaled
    back (nearest), as the official code's `process_reals`. The
    `keras_gan.callbacks.ProgressiveGrowing` callback moves `lod` from the
    images seen (`images_seen`, saved with the model, so training resumes on
    the same schedule).

    Defaults: Wasserstein loss, `GradientPenalty(10)` plus
    `DriftPenalty(0.001)`, Adam(1e-3, beta_1=0, beta_2=0.99, epsilon=1e-8)
    for both networks, one critic step.

    Args:
        generator, discriminator: networks with a `LevelOfDetail` layer of
            the same resolution.
        latent_dim, seed, generator_ema: as `keras_gan.GAN`.

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018. https://arxiv.org/abs/1710.10196
    """

    def __init__(self, generator, discriminator, latent_dim, seed=None, generator_ema=False,
                 **kwargs):
        for role, network in (("generator", generator), ("discriminator", discriminator)):
            if isinstance(network, keras.layers.Layer) and not _lod_layers(network):
                raise ValueError(
                    f"ProGAN's {role} has no keras_gan.layers.LevelOfDetail layer; build it "
                    f"with keras_gan.networks.progan_{role}.")
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        resolution = self._sample_shape[0]
        self.max_lod = float(int(math.log2(resolution)) - 2)
        self.images_seen = self.add_weight(shape=(), dtype="int64", initializer="zeros",
                                           trainable=False, name="images_seen",
                                           aggregation="only_first_replica")

    @property
    def lod(self):
        """The current level of detail (0 = full resolution)."""
        return float(_lod_layers(self.discriminator)[0].lod.numpy())

    @property
    def resolution(self):
        """The resolution being trained: `full / 2**floor(lod)`."""
        return self._sample_shape[0] >> int(math.floor(self.lod))

    def set_lod(self, value):
        """Sets the level of detail of every network (clipped to [0, max_lod])."""
        value = min(max(float(value), 0.0), self.max_lod)
        networks = [self.generator, self.discriminator]
        if self.ema_generator is not None:
            networks.append(self.ema_generator)
        for network in networks:
            for layer in _lod_layers(network):
                layer.lod.assign(value)

    def unpack_batch(self, data, step):
        """The real images faded to the current level of detail."""
        batch = super().unpack_batch(data, step)
        lod = tf.convert_to_tensor(_lod_layers(self.discriminator)[0].lod)
        return {**batch, "real": fade_images(batch["real"], lod)}

    def finish_step(self, batch):
        super().finish_step(batch)
        local = tf.cast(tf.shape(batch["real"])[0], tf.int64)
        replicas = tf.distribute.get_replica_context().num_replicas_in_sync
        self.images_seen.assign_add(local * replicas)

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8),
            "g_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8),
            "loss": losses.Wasserstein(),
            "penalties": [regularizers.GradientPenalty(10.0), regularizers.DriftPenalty(0.001)],
        }


def fade_images(images, lod):
    """Real images at level of detail `lod` (a float scalar), at full size.

    `floor(lod)` halvings by 2x2 averaging, a linear fade towards one more
    halving by `lod - floor(lod)`, then nearest upsampling back to full size;
    the same images the generator's `FadeBlend` output looks like.
    """
    images = tf.cast(images, tf.float32)
    size = images.shape[1]
    levels = int(math.log2(size)) - 2
    lod = tf.clip_by_value(tf.cast(lod, tf.float32), 0.0, float(levels))
    whole = tf.floor(lod)
    # Average-pool k times then upsample back == mean over 2^k x 2^k blocks;
    # computed for every k (static shapes) and selected by floor(lod).
    blocks = [images]
    for k in range(1, levels + 2):
        factor = 2**k
        if factor > size:
            blocks.append(blocks[-1])
            continue
        pooled = tf.nn.avg_pool2d(images, factor, factor, "VALID")
        blocks.append(tf.repeat(tf.repeat(pooled, factor, axis=1), factor, axis=2))
    stacked = tf.stack(blocks)  # (levels + 2, batch, h, w, c)
    index = tf.cast(whole, tf.int32)
    current, coarser = tf.gather(stacked, index), tf.gather(stacked, index + 1)
    return current + (coarser - current) * (lod - whole)
