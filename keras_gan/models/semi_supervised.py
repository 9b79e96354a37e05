"""Semi-supervised GAN: a K+1-class discriminator that doubles as a classifier."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.data.labels import UNLABELLED
from keras_gan.models.acgan import class_accuracy, class_cross_entropy
from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class SemiSupervisedGAN(GAN):
    """Semi-supervised learning with a GAN (Salimans et al. 2016, section 5).

    The discriminator is a K-class classifier returning logits `l(x)` of
    shape `(batch, num_classes)`; the "generated" class K+1 has its logit
    fixed at 0, so `D(x) = Z / (Z + 1)` with `Z = sum_k exp(l_k)`, i.e. the
    adversarial logit is `logsumexp(l)`. The discriminator minimizes the
    unsupervised GAN loss on all real and generated data plus
    `supervised_weight` times the cross-entropy on the labelled samples;
    the generator uses feature matching by default (`compile` defaults:
    non-saturating loss, `feature_matching=True`, Adam(3e-4, beta_1=0.5)).

    Training data carries labels with `-1` (`UNLABELLED`) for unlabelled
    examples; `keras_gan.data.keep_labels(labels, per_class)` makes such a
    split. `evaluate(x_test, y_test)` and validation data report the
    classifier's `accuracy`; `classify(images)` returns class ids.

    Args:
        generator: a `keras.Model` from latents to samples (unconditional).
        discriminator: a `keras.Model` from samples to `(batch, num_classes)`
            logits (e.g. `networks.dcgan_discriminator(..., num_logits=10)`).
        latent_dim: size of the latent vector.
        num_classes: K, the number of real classes.
        supervised_weight: weight of the labelled cross-entropy (1).
        seed, generator_ema, **kwargs: as for `keras_gan.GAN`.

    Logs, besides the engine's: `d_class_loss` (on the labelled part of the
    batch) and `labelled_accuracy` (on the same samples).

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016, section 5. https://arxiv.org/abs/1606.03498
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, supervised_weight=1.0,
                 seed=None, generator_ema=False, **kwargs):
        check_positive_int(num_classes=num_classes)
        if not float(supervised_weight) >= 0.0:
            raise ValueError(
                f"`supervised_weight` must be >= 0. Received: supervised_weight={supervised_weight!r}")
        self.supervised_weight = float(supervised_weight)
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        self.num_classes = int(num_classes)
        width = discriminator.compute_output_spec(
            keras.KerasTensor((2, *self._sample_shape))).shape[-1]
        if width != self.num_classes:
            raise ValueError(
                f"The discriminator returns {width} logits per sample but num_classes="
                f"{self.num_classes}: it must return one logit per real class (build it with "
                f"num_logits={self.num_classes}).")

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(3e-4, beta_1=0.5),
            "g_optimizer": keras.optimizers.Adam(3e-4, beta_1=0.5),
            "feature_matching": True,
        }

    def evaluation_names(self):
        return ["accuracy"]

    def prepare_labels(self, labels):
        if labels is None:
            raise ValueError(
                "SemiSupervisedGAN trains on (images, labels) with label -1 for unlabelled "
                "images; make them with keras_gan.data.keep_labels(labels, per_class).")
        return tf.cast(tf.reshape(labels, [-1]), tf.int32)

    def split_outputs(self, outputs):
        logits = keras.ops.cast(outputs, "float32")
        return keras.ops.logsumexp(logits, axis=-1, keepdims=True), logits

    def auxiliary_names(self):
        return ["d_class_loss", "labelled_accuracy"]

    def discriminator_terms(self, *, real_aux, fake_aux, labels, latents):
        labelled = labels >= 0
        loss = self.supervised_weight * class_cross_entropy(labels, real_aux, labelled)
        return {"d_class_loss": loss}, {"labelled_accuracy": class_accuracy(labels, real_aux, labelled)}

    def fit(self, x=None, y=None, *args, **kwargs):
        if isinstance(y, np.ndarray) and y.size and (y.min() < UNLABELLED or y.max() >= self.num_classes):
            raise ValueError(
                f"Labels must be class ids in [0, {self.num_classes}) or -1 for unlabelled "
                f"images; received values in [{y.min()}, {y.max()}].")
        return super().fit(x, y, *args, **kwargs)

    def evaluation_logs(self, batch, step):
        """Classification accuracy on the labelled images of a held-out batch."""
        labels = batch["labels"]
        logits = self.discriminator(batch["real"], training=False)
        labelled = labels >= 0
        return {"accuracy": (class_accuracy(labels, logits, labelled),
                             tf.reduce_sum(tf.cast(labelled, tf.float32)))}

    def classify(self, images, batch_size=256):
        """Class ids `(n,)` predicted by the discriminator for `images` in [-1, 1]."""
        logits = self.discriminator.predict(np.asarray(images, np.float32),
                                            batch_size=batch_size, verbose=0)
        return np.argmax(logits, axis=-1)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "supervised_weight": self.supervised_weight}
