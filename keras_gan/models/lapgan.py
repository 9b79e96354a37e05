"""LAPGAN: a Laplacian pyramid of conditional GANs on the one engine."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class LAPGAN(GAN):
    """Laplacian pyramid GAN (Denton et al. 2015).

    Each real image is split into a Laplacian pyramid: the coarsest image
    `I_0` (halved `levels - 1` times by 2x2 averaging) and, per finer level
    `k`, the upsampled coarser image `l_k` (bilinear) and the high-pass
    residual `h_k = I_k - l_k`. Level 0 is an unconditional GAN on `I_0`;
    level `k` a GAN on `h_k` conditioned on `l_k`, its generator fed a noise
    plane and the *real* `l_k`, as in the paper's training. All levels train
    in one step (their losses are summed; their weights are disjoint, so this
    equals training them independently). Sampling runs coarse to fine: each
    generated image is upsampled and refined by the next level's residual.

    The networks come from `networks.lapgan_generator` (one model from the
    concatenated latents `[z_0, noise planes]` to images, holding sub-models
    `level_0 ... level_{L-1}`) and `networks.lapgan_discriminator`. The
    model's `latent_dim` is the full latent length, so `generate`,
    `SampleGrid` and FID work unchanged; `coarse_latent_dim` is `z_0`'s size.

    Defaults: non-saturating loss, Adam(2e-4, beta_1=0.5) (the paper used
    SGD with momentum). Penalties and the Salimans tricks are not supported.

    Args:
        generator, discriminator: the pyramid networks.
        latent_dim: size of `z_0` (optional: read from the generator).
        seed, generator_ema: as `keras_gan.GAN`.

    Reference:
        Denton et al., "Deep Generative Image Models using a Laplacian Pyramid
        of Adversarial Networks", NIPS 2015. https://arxiv.org/abs/1506.05751
    """

    def __init__(self, generator, discriminator, latent_dim=None, seed=None, generator_ema=False,
                 **kwargs):
        names = [layer.name for layer in generator.layers if layer.name.startswith("level_")]
        if not names or "level_0" not in names:
            raise ValueError("LAPGAN's generator needs sub-models level_0, level_1, ...; build it "
                             "with keras_gan.networks.lapgan_generator.")
        self.levels = len(names)
        self.coarse_latent_dim = int(generator.get_layer("level_0").input.shape[-1])
        if latent_dim is not None and int(latent_dim) != self.coarse_latent_dim:
            raise ValueError(f"latent_dim={latent_dim} differs from the generator's z_0 size "
                             f"{self.coarse_latent_dim}.")
        self._upsample = keras.layers.UpSampling2D(2, interpolation="bilinear")
        super().__init__(generator, discriminator, int(generator.input.shape[-1]), seed=seed,
                         generator_ema=generator_ema, **kwargs)

    def decompose(self, images):
        """The discriminator's inputs for real images, finest level first:
        `[h_L, l_L, ..., h_1, l_1, I_0]`."""
        current, parts = images, []
        for _ in range(self.levels - 1):
            coarser = keras.ops.average_pool(current, 2, 2, "valid")
            coarse = self._upsample(coarser)
            parts += [current - coarse, coarse]
            current = coarser
        return [*parts, current]

    def _coarse_index(self, level):
        """Position of `l_level` in the pyramid list."""
        return 2 * (self.levels - 1 - level) + 1

    def generate_images(self, latents, labels=None, training=False, generator=None):
        network = self.generator if generator is None else generator
        if labels is None:  # sampling: coarse to fine
            return network(latents, training=training)
        # Training: each level refines the *real* coarse image (`labels` is
        # the real pyramid), giving the critic's fake inputs.
        z0 = latents[:, :self.coarse_latent_dim]
        fake = [network.get_layer("level_0")(z0, training=training)]
        start = self.coarse_latent_dim
        for level in range(1, self.levels):
            coarse = labels[self._coarse_index(level)]
            size = coarse.shape[1]
            noise = tf.reshape(latents[:, start:start + size * size], (-1, size, size, 1))
            start += size * size
            residual = network.get_layer(f"level_{level}")([noise, coarse], training=training)
            fake = [residual, coarse, *fake]
        return fake

    def discriminator_inputs(self, images, labels=None):
        return images if isinstance(images, (list, tuple)) else self.decompose(images)

    def discriminator_loss(self, *, real_logits, fake_logits):
        return tf.add_n([self.loss_fn.discriminator_loss(real_logits=r, fake_logits=f)
                         for r, f in zip(real_logits, fake_logits)])

    def generator_loss(self, *, fake_logits, real_logits=None):
        real_logits = real_logits or [None] * len(fake_logits)
        return tf.add_n([self.loss_fn.generator_loss(fake_logits=f, real_logits=r)
                         for r, f in zip(real_logits, fake_logits)])

    def configure(self, options):
        for key in ("penalties", "weight_clip", "feature_matching", "historical_averaging"):
            if options[key]:
                raise ValueError(f"LAPGAN does not support `{key}` (its critics judge pyramid "
                                 f"levels). Received: {key}={options[key]!r}")
        super().configure(options)

    def unpack_batch(self, data, step):
        """The labels the hooks see are the real pyramid: each level's fake
        refines the real coarse image."""
        batch = super().unpack_batch(data, step)
        return {**batch, "labels": self.decompose(batch["real"])}

    def generate_levels(self, num_samples, seed=None, use_ema=True):
        """The images of every level while sampling coarse to fine:
        a list of `(num_samples, s_k, s_k, c)` arrays, coarsest first."""
        latents = tf.constant(self.sample_latents(num_samples, seed))
        network = self.ema_generator if (use_ema and self.ema_generator is not None) \
            else self.generator
        images = [network.get_layer("level_0")(latents[:, :self.coarse_latent_dim])]
        start = self.coarse_latent_dim
        for level in range(1, self.levels):
            coarse = self._upsample(images[-1])
            size = coarse.shape[1]
            noise = tf.reshape(latents[:, start:start + size * size], (-1, size, size, 1))
            start += size * size
            images.append(coarse + network.get_layer(f"level_{level}")([noise, coarse]))
        return [np.asarray(x) for x in images]

    def get_config(self):
        return {**super().get_config(), "latent_dim": self.coarse_latent_dim}
