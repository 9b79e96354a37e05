"""SimGAN: refining synthetic images towards real ones, with a history of refined images."""

import keras
import tensorflow as tf

from keras_gan.models.cyclegan import ImagePool, _critic_shape
from keras_gan.models.image_to_image import ImageToImageGAN, identity_inputs


@keras.saving.register_keras_serializable(package="keras_gan")
class SimGAN(ImageToImageGAN):
    """Simulated + unsupervised learning: a refiner `R` makes synthetic
    images look real while keeping their content (their labels, their gaze
    direction, ...).

    Refiner loss (Shrivastava et al. 2017, eq. 4): the *local* adversarial
    loss, averaged over the discriminator's per-patch logits (a patch
    discriminator returning `(batch, h, w, 1)`), plus `loss_weights
    ["self_regularization"]` times the self-regularization `mean |R(x) - x|`
    (the paper's L1 with the identity feature map; a mean here, so the weight
    does not grow with the image size). The discriminator learns from a
    history of refined images (`ImagePool`, section 3.3): each refined image
    of a batch is, once the pool is full, swapped with probability 1/2 for a
    stored one, so about half of every batch comes from earlier refiners
    (the paper's b/2 split, in expectation). The pool is saved with the
    model; under `tf.distribute` the first replica's pool is kept.

    Data: `fit(synthetic, real)` (unpaired; any pairing), or a dataset of
    `(synthetic, real)` batches.

    Args:
        generator: the refiner, a `keras.Model` from images to images of
            the same shape (e.g. `networks.simgan_refiner`); also
            `model.refiner`.
        discriminator: an unconditional patch discriminator (e.g.
            `networks.simgan_discriminator`).
        pool_size: refined images kept in the history (0 turns it off).
        seed, **kwargs: as for `ImageToImageGAN`.

    Compile defaults: the non-saturating loss, `loss_weights={"adversarial":
    1, "self_regularization": 1}`, Adam(2e-4, beta_1=0.5) (the paper uses
    SGD 0.001 and tunes the weight per task).

    Reference:
        Shrivastava et al., "Learning from Simulated and Unsupervised Images
        through Adversarial Training", CVPR 2017. https://arxiv.org/abs/1612.07828
    """

    def __init__(self, generator, discriminator, pool_size=512, seed=None, **kwargs):
        super().__init__(generator, discriminator, seed=seed, **kwargs)
        self.pool_size = int(pool_size)
        self.pool = ImagePool(pool_size, _critic_shape(discriminator, "discriminator"),
                              name="history")

    @property
    def refiner(self):
        """The refiner (the engine's generator)."""
        return self.generator

    def split_data(self, data, step):
        x, y = self._pair(data, "SimGAN trains on `(synthetic, real)` batches: fit(synthetic, "
                                "real) with unpaired arrays, or a dataset of such pairs.")
        return self._images(x, "synthetic images"), self._images(y, "real images"), None

    def generator_terms(self, *, inputs, targets, fake, labels):
        return {"self_regularization": tf.reduce_mean(tf.abs(tf.cast(fake, tf.float32)
                                                             - tf.cast(inputs, tf.float32)))}

    def default_compile_args(self):
        return {**super().default_compile_args(),
                "loss_weights": {"adversarial": 1.0, "self_regularization": 1.0}}

    def phase_loss(self, phase, batch, step):
        if phase.name != "d":
            return super().phase_loss(phase, batch, step)
        synthetic, real = batch["inputs"], batch["targets"]
        with step.untaped():
            refined = tf.stop_gradient(self.translate_batch(synthetic, training=True))
            history = self.pool(refined, step.draw("uniform", (2,)))
        loss, logs, _ = self.adversarial_d_loss(identity_inputs, real, history, step)
        return loss, logs

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}
