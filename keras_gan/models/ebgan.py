"""EBGAN: an auto-encoder discriminator whose reconstruction error is the energy."""

import keras
import tensorflow as tf
from keras import ops

from keras_gan.divergences import EnergyMargin
from keras_gan.models.gan import GAN


def pulling_away(embeddings):
    """The pulling-away term of EBGAN (Zhao et al. 2017, eq. 5):
    `1 / (N (N - 1)) * sum_{i != j} cos(s_i, s_j)^2` over a batch of
    embeddings `s` (`(N, ...)`, flattened per sample; N >= 2)."""
    s = tf.reshape(tf.cast(embeddings, tf.float32), [tf.shape(embeddings)[0], -1])
    s = s / tf.maximum(tf.norm(s, axis=1, keepdims=True), 1e-12)
    cosine = tf.matmul(s, s, transpose_b=True)
    n = tf.cast(tf.shape(s)[0], tf.float32)
    return (tf.reduce_sum(tf.square(cosine)) - tf.linalg.trace(tf.square(cosine))) / (n * (n - 1.0))


@keras.saving.register_keras_serializable(package="keras_gan")
class EBGAN(GAN):
    """Energy-based GAN: the discriminator is an auto-encoder and a sample's
    energy is its reconstruction error.

    The discriminator network returns `[reconstruction, embedding]` (e.g.
    `networks.ebgan_discriminator`); the energy is the mean squared error
    `E(x) = mean((Dec(Enc(x)) - x)^2)` per sample (the paper's MSE), handed to
    the engine as the logit `-E(x)`. The loss is `EnergyMargin(margin)`: the
    discriminator lowers the energy of real samples and raises that of fakes
    up to the margin; the generator lowers the energy of its samples. With
    `pulling_away > 0` the generator also minimizes the pulling-away term of
    the fakes' embeddings (EBGAN-PT), which spreads them apart against mode
    collapse. Every engine option (penalties, augmentation, `d_steps`) works.
    The pulling-away term is computed over each replica's batch (pairs within
    it), so with `pulling_away > 0` N replicas are not exactly one device;
    without it EBGAN is replica-count invariant like every GAN here.

    Args:
        generator, latent_dim, seed, generator_ema: as for `GAN`.
        discriminator: a `keras.Model` from images to `[reconstruction,
            embedding]`.
        pulling_away: weight of the pulling-away term (the paper: 0.1).

    Compile defaults: `EnergyMargin(margin=1)` (`loss="energy_margin"`) and
    Adam(2e-4, beta_1=0.5) for both networks. The energies here are mean
    squared errors of images in [-1, 1], between 0 and 4, and the margin
    must sit inside that range; the paper grid-searches m per dataset for
    its own energy scale.

    Reference:
        Zhao, Mathieu & LeCun, "Energy-based Generative Adversarial
        Networks", ICLR 2017. https://arxiv.org/abs/1609.03126
    """

    def __init__(self, generator, discriminator, latent_dim, pulling_away=0.1, seed=None,
                 generator_ema=False, **kwargs):
        if not float(pulling_away) >= 0:
            raise ValueError(f"`pulling_away` must be >= 0. Received: pulling_away={pulling_away!r}")
        self.pulling_away = float(pulling_away)
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)

    def default_compile_args(self):
        return {**super().default_compile_args(), "loss": EnergyMargin(1.0)}

    def discriminator_outputs(self, images, labels=None, training=False):
        outputs = super().discriminator_outputs(images, labels, training)
        if not isinstance(outputs, (list, tuple)) or len(outputs) != 2:
            raise ValueError("EBGAN needs an auto-encoder discriminator returning "
                             "[reconstruction, embedding], e.g. networks.ebgan_discriminator.")
        reconstruction, embedding = outputs
        # keras.ops: the networks are also checked on symbolic KerasTensors.
        error = ops.square(ops.cast(reconstruction, "float32") - ops.cast(images, "float32"))
        energy = ops.mean(ops.reshape(error, (ops.shape(error)[0], -1)), axis=1)
        return [-energy[:, None], embedding]

    def split_outputs(self, outputs):
        return outputs[0], outputs[1]

    def auxiliary_names(self):
        return ["pulling_away"] if self.pulling_away else []

    def generator_terms(self, *, fake_aux, labels, latents):
        if not self.pulling_away:
            return {}, {}
        term = pulling_away(fake_aux)
        return {"pulling_away": self.pulling_away * term}, {}

    def get_config(self):
        return {**super().get_config(), "pulling_away": self.pulling_away}
