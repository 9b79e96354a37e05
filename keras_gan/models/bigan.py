"""BiGAN / ALI: a generator and an encoder, judged on joint (image, code) pairs."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models import _critic
from keras_gan.models.engine import Phase
from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class BiGAN(GAN):
    """Bidirectional GAN (BiGAN, Donahue et al. 2017; ALI, Dumoulin et al. 2017).

    Besides the generator `G: z -> x`, an encoder `E: x -> z` learns the
    inverse map. The discriminator judges pairs: `(x, E(x))` for real images
    against `(G(z), z)` for generated ones. It minimizes the adversarial
    loss; generator and encoder, updated together in one phase, minimize it
    with the labels swapped: the generator loss on `(G(z), z)` plus the
    generator loss on the negated logits of `(x, E(x))` (for the
    non-saturating loss: `-log(1 - D(x, E(x)))`, the paper's inverted
    objective). At the optimum `E = G^-1`, so `G(E(x))` reconstructs `x`.

    Args:
        generator: a `keras.Model` from `(batch, latent_dim)` to images.
        encoder: a `keras.Model` from images to codes `(batch, latent_dim)`
            (e.g. `networks.conv_encoder(gaussian=False)`).
        discriminator: a `keras.Model` from `[images, codes]` to per-pair
            logits (e.g. `networks.bigan_discriminator`).
        latent_dim, seed, generator_ema: as for `GAN`.

    Compile: the adversarial loss, optimizers (`g_optimizer` trains generator
    and encoder; the paper's Adam(2e-4, beta_1=0.5) by default) and `d_steps`.
    Penalties and augmentation are refused: the discriminator sees pairs.

    Example:

    ```python
    bigan = keras_gan.BiGAN(generator, encoder, discriminator, latent_dim=50)
    bigan.compile()
    bigan.fit(images, epochs=10)
    codes = bigan.encode(images[:8])
    reconstructions = bigan.reconstruct(images[:8])
    ```

    Reference:
        Donahue, Krähenbühl & Darrell, "Adversarial Feature Learning", ICLR
        2017. https://arxiv.org/abs/1605.09782
        Dumoulin et al., "Adversarially Learned Inference", ICLR 2017.
        https://arxiv.org/abs/1606.00704
    """

    def __init__(self, generator, encoder, discriminator, latent_dim, seed=None,
                 generator_ema=False, **kwargs):
        if not isinstance(encoder, keras.layers.Layer):
            raise TypeError(f"`encoder` must be a keras.Model. Received: encoder={encoder!r}")
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        codes = encoder.compute_output_spec(keras.KerasTensor((2, *self._sample_shape)))
        if tuple(codes.shape[1:]) != (self.latent_dim,):
            raise ValueError(f"The encoder must map images {self._sample_shape} to codes of "
                             f"shape ({self.latent_dim},); it returns {tuple(codes.shape[1:])}.")
        self.encoder = encoder

    # --- the pairs the discriminator judges -----------------------------------------

    def discriminator_inputs(self, images, labels=None):
        """`[images, codes]`: `labels` carries the codes; without them an
        image is paired with its encoding `E(x)`."""
        if isinstance(images, np.ndarray):
            images = tf.convert_to_tensor(images)
        codes = labels
        if codes is None:
            encoder = getattr(self, "encoder", None)
            codes = (encoder(images) if encoder is not None  # zeros only while checking D
                     else keras.ops.zeros((images.shape[0], self.latent_dim)))
        return [images, codes]

    def _judge_pairs(self, real, codes, fake, latents):
        def call(images, paired):
            return self.discriminator([images, paired], training=True)

        if _critic.per_sample_network(self.discriminator):
            both = call(tf.concat([real, tf.cast(fake, real.dtype)], 0),
                        tf.concat([tf.cast(codes, tf.float32), tf.cast(latents, tf.float32)], 0))
            count = tf.shape(real)[0]
            return both[:count], both[count:]
        return call(real, codes), call(fake, latents)

    def configure(self, options):
        super().configure(options)
        if self.penalties or self.augment is not None or self.top_k or self.lecam \
                or self.feature_matching or self.weight_clip:
            raise ValueError("BiGAN's discriminator judges (image, code) pairs: penalties, "
                             "augment, lecam, top_k, feature_matching and weight_clip are not "
                             "supported. Leave them unset.")

    def phases(self):
        """`d_steps` discriminator updates, then one update of generator and encoder."""
        return [Phase("d", ("discriminator",), "d_optimizer", repeats=self.d_steps),
                Phase("g", ("generator", "encoder"), "g_optimizer")]

    def discriminator_phase_loss(self, batch, step):
        real = batch["real"]
        with step.untaped():
            latents = self.training_latents(step.noise_fn(first=0))
            fake = tf.stop_gradient(self.generate_images(latents, training=True))
            codes = tf.stop_gradient(self.encoder(real, training=True))
        real_logits, fake_logits = self._judge_pairs(real, codes, fake, latents)
        loss = self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits)
        return tf.cast(loss, tf.float32), {
            "real_logits": tf.reduce_mean(tf.cast(real_logits, tf.float32)),
            "fake_logits": tf.reduce_mean(tf.cast(fake_logits, tf.float32))}

    def generator_phase_loss(self, batch, step):
        real = batch["real"]
        latents = self.training_latents(step.noise_fn(first=0))
        fake = self.generate_images(latents, training=True)
        codes = self.encoder(real, training=True)
        real_logits, fake_logits = self._judge_pairs(real, codes, fake, latents)
        loss = (self.generator_loss(fake_logits=fake_logits)
                + self.generator_loss(fake_logits=-tf.cast(real_logits, tf.float32)))
        return tf.cast(loss, tf.float32), {}

    def evaluation_logs(self, batch, step):
        real = batch["real"]
        latents = self.training_latents(step.noise_fn(first=0))
        fake = self.generate_images(latents)
        real_logits = self.discriminator([real, self.encoder(real)])
        fake_logits = self.discriminator([fake, latents])
        return {"d_loss": self.discriminator_loss(real_logits=real_logits,
                                                  fake_logits=fake_logits),
                "g_loss": self.generator_loss(fake_logits=fake_logits)
                + self.generator_loss(fake_logits=-tf.cast(real_logits, tf.float32)),
                "real_logits": tf.reduce_mean(tf.cast(real_logits, tf.float32)),
                "fake_logits": tf.reduce_mean(tf.cast(fake_logits, tf.float32))}

    # --- using the encoder -------------------------------------------------------------

    def encode(self, images, batch_size=64):
        """The codes `E(x)` of `images` as a NumPy array `(n, latent_dim)`."""
        images = np.asarray(images, np.float32)
        return np.concatenate([keras.ops.convert_to_numpy(self.encoder(images[i:i + batch_size]))
                               for i in range(0, len(images), batch_size)]).astype(np.float32)

    def reconstruct(self, images, batch_size=64, use_ema=True):
        """`G(E(x))`: the generator's images of the codes of `images`."""
        return self.generate(latents=self.encode(images, batch_size), batch_size=batch_size,
                             use_ema=use_ema)

    def get_config(self):
        return {**super().get_config(),
                "encoder": keras.saving.serialize_keras_object(self.encoder)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        return super().from_config(config)
