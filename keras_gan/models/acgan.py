"""Auxiliary-classifier GAN and the BigGAN-style conditional model."""

import keras
from keras import ops

from keras_gan import losses
from keras_gan.models.conditional import ConditionalGAN


def class_cross_entropy(labels, logits, mask=None):
    """Mean sparse softmax cross-entropy of `logits` for class ids `labels`
    (over the samples where `mask` is true, 0 when there are none)."""
    logits = ops.cast(logits, "float32")
    if mask is None:
        return ops.mean(ops.sparse_categorical_crossentropy(labels, logits, from_logits=True))
    safe = ops.where(mask, labels, ops.zeros_like(labels))
    values = ops.sparse_categorical_crossentropy(safe, logits, from_logits=True)
    weights = ops.cast(mask, "float32")
    return ops.sum(values * weights) / ops.maximum(ops.sum(weights), 1.0)


def class_accuracy(labels, logits, mask=None):
    """Fraction of samples whose argmax of `logits` is `labels` (within `mask`)."""
    correct = ops.cast(ops.equal(ops.cast(ops.argmax(logits, axis=-1), "int32"),
                                 ops.cast(labels, "int32")), "float32")
    if mask is None:
        return ops.mean(correct)
    weights = ops.cast(mask, "float32")
    return ops.sum(correct * weights) / ops.maximum(ops.sum(weights), 1.0)


@keras.saving.register_keras_serializable(package="keras_gan")
class ACGAN(ConditionalGAN):
    """Auxiliary-classifier GAN: `G(z, y)`, and a discriminator that sees only
    images and also predicts their class.

    The discriminator returns `[logits, class_logits]` (e.g.
    `networks.dcgan_discriminator(..., auxiliary_units=num_classes)`). Its loss
    adds `class_weight * (CE(real) + CE(fake))`; the generator's adds
    `class_weight * CE(fake)`, so it learns to make images the classifier
    assigns to the requested class. Fakes are generated for the labels of
    the real batch.

    Args:
        generator: a `keras.Model` taking `[latents, labels]`.
        discriminator: a `keras.Model` taking images and returning
            `[logits (batch, 1), class_logits (batch, num_classes)]`.
        latent_dim: size of the latent vector.
        num_classes: number of classes.
        class_weight: weight of the classification losses (1 in the paper).
        seed, generator_ema, **kwargs: as for `keras_gan.GAN`.

    Logs, besides the engine's: `d_class_loss`, `g_class_loss` and
    `real_accuracy` (classifier accuracy on the real batch).

    Reference:
        Odena et al., "Conditional Image Synthesis with Auxiliary Classifier
        GANs", ICML 2017. https://arxiv.org/abs/1610.09585
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, class_weight=1.0,
                 seed=None, generator_ema=False, **kwargs):
        if not float(class_weight) >= 0.0:
            raise ValueError(f"`class_weight` must be >= 0. Received: class_weight={class_weight!r}")
        self.class_weight = float(class_weight)
        super().__init__(generator, discriminator, latent_dim, num_classes, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        outputs = discriminator.compute_output_spec(
            keras.KerasTensor((2, *self._sample_shape)))
        width = outputs[1].shape[-1]
        if width != self.num_classes:
            raise ValueError(
                f"The discriminator's class head has {width} outputs but num_classes="
                f"{self.num_classes}. Build it with auxiliary_units={self.num_classes}.")

    def discriminator_inputs(self, images, labels=None):
        return images

    def split_outputs(self, outputs):
        if not isinstance(outputs, (list, tuple)) or len(outputs) != 2:
            raise ValueError(
                f"{type(self).__name__} needs a discriminator returning [logits, class_logits], "
                "e.g. networks.dcgan_discriminator(..., auxiliary_units=num_classes).")
        return outputs[0], outputs[1]

    def auxiliary_names(self):
        return ["d_class_loss", "g_class_loss", "real_accuracy"]

    def discriminator_terms(self, *, real_aux, fake_aux, labels, latents):
        loss = class_cross_entropy(labels, real_aux) + class_cross_entropy(labels, fake_aux)
        return ({"d_class_loss": self.class_weight * loss},
                {"real_accuracy": class_accuracy(labels, real_aux)})

    def generator_terms(self, *, fake_aux, labels, latents):
        return {"g_class_loss": self.class_weight * class_cross_entropy(labels, fake_aux)}, {}

    def get_config(self):
        return {**super().get_config(), "class_weight": self.class_weight}


@keras.saving.register_keras_serializable(package="keras_gan")
class BigGAN(ConditionalGAN):
    """A BigGAN-style class-conditional GAN (Brock et al. 2019) at any scale.

    The model is a `ConditionalGAN` with BigGAN's defaults: hinge loss,
    Adam(beta_1=0, beta_2=0.999) with learning rates 2e-4 (D) and 5e-5 (G),
    2 discriminator steps per generator step, and an averaged generator
    (`generator_ema=True`; keep it updated with `callbacks.GeneratorEMA`). The
    architecture comes from the networks:
    `networks.resnet_generator(num_classes=..., shared_embedding_dim=128,
    spectral_norm=True, orthogonal_regularization=1e-4)` (conditional
    BatchNorm from a shared class embedding, spectral norm, orthogonal
    regularization, which the engine adds to the generator loss) and
    `networks.resnet_discriminator(num_classes=...)` (projection head,
    spectral norm). Sample with the truncation trick:
    `model.generate(n, labels=..., truncation=0.5)`.

    Args: as for `ConditionalGAN`; `generator_ema` defaults to True.

    Reference:
        Brock et al., "Large Scale GAN Training for High Fidelity Natural
        Image Synthesis", ICLR 2019. https://arxiv.org/abs/1809.11096
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, seed=None,
                 generator_ema=True, **kwargs):
        super().__init__(generator, discriminator, latent_dim, num_classes, seed=seed,
                         generator_ema=generator_ema, **kwargs)

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.999),
            "g_optimizer": keras.optimizers.Adam(5e-5, beta_1=0.0, beta_2=0.999),
            "loss": losses.Hinge(),
            "d_steps": 2,
        }
