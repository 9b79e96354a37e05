"""CoGAN: two GANs with shared weights learn a joint distribution of two domains."""

import keras
import numpy as np

from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class CoGAN(GAN):
    """Coupled GAN: a pair of generators sharing their first layers and a
    pair of discriminators sharing their last layers, trained on unpaired
    images of two domains.

    Sharing the layers that decode high-level semantics (the generators'
    first, the discriminators' last) makes one latent produce corresponding
    images in both domains, without any paired example (Liu & Tuzel 2016).
    Here the pair is one network each: the generator maps `z` to both images
    stacked on the channel axis `(h, w, 2c)` (domain A's channels first), and
    the discriminator splits such a stack and returns the two domains'
    logits `(batch, 2)`; `networks.cogan_networks` builds them with the
    shared layers. The engine's adversarial loss averages over both logits,
    so each step trains both GANs on the same latents. Real batches are
    unpaired images stacked the same way (`CoGAN.pair_domains`).

    `generate()` returns each pair side by side, `(n, h, 2w, c)` with domain
    A on the left (so `SampleGrid` shows pairs); `generate_pairs()` returns
    the two arrays. Penalties differentiate the stacked input (a gradient
    penalty's norm spans both images).

    Args:
        generator: a `keras.Model` from `(batch, latent_dim)` to `(batch, h,
            w, 2c)`.
        discriminator: a `keras.Model` from `(batch, h, w, 2c)` to `(batch, 2)`.
        latent_dim, seed, generator_ema: as for `GAN`.

    Reference:
        Liu & Tuzel, "Coupled Generative Adversarial Networks", NeurIPS 2016.
        https://arxiv.org/abs/1606.07536
    """

    def __init__(self, generator, discriminator, latent_dim, seed=None, generator_ema=False,
                 **kwargs):
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        if len(self._sample_shape) != 3 or self._sample_shape[-1] % 2:
            raise ValueError(
                "CoGAN's generator must return both domains' images stacked on the channel "
                f"axis, (h, w, 2c); it returns {self._sample_shape}. Build the pair with "
                "networks.cogan_networks.")
        logits = discriminator.compute_output_spec(keras.KerasTensor((2, *self._sample_shape)))
        if tuple(keras.tree.flatten(logits)[0].shape[1:]) != (2,):
            raise ValueError("CoGAN's discriminator must return one logit per domain, shape "
                             f"(batch, 2); it returns {tuple(logits.shape[1:])}.")

    @property
    def domain_channels(self):
        """Channels of one domain's images."""
        return self._sample_shape[-1] // 2

    def generate_pairs(self, num_samples=None, **kwargs):
        """`(images_a, images_b)`: corresponding images of the two domains
        from the same latents (arguments as `generate`)."""
        stacked = super().generate(num_samples, **kwargs)
        c = self.domain_channels
        return stacked[..., :c], stacked[..., c:]

    def generate(self, num_samples=None, **kwargs):
        """Pairs side by side, `(n, h, 2w, c)`: domain A left, B right."""
        a, b = self.generate_pairs(num_samples, **kwargs)
        return np.concatenate([a, b], axis=2)

    @staticmethod
    def pair_domains(images_a, images_b, seed=0):
        """Unpaired training examples: random pairs of one image from each
        domain, stacked on the channel axis (as many as the smaller domain
        has). The pairing carries no information: each discriminator sees
        only its own half."""
        images_a, images_b = np.asarray(images_a), np.asarray(images_b)
        if images_a.shape[1:3] != images_b.shape[1:3] or images_a.shape[-1] != images_b.shape[-1]:
            raise ValueError(f"The two domains need images of one shape; received "
                             f"{images_a.shape[1:]} and {images_b.shape[1:]}.")
        rng = np.random.default_rng(seed)
        count = min(len(images_a), len(images_b))
        a = images_a[rng.permutation(len(images_a))[:count]]
        b = images_b[rng.permutation(len(images_b))[:count]]
        return np.concatenate([a, b], axis=-1)
