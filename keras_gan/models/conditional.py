"""Class-conditional GANs: labels reach both networks through the engine's hooks."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class ConditionalGAN(GAN):
    """A class-conditional GAN: `G(z, y)` and `D(x, y)`.

    Both networks take `[inputs, labels]` with integer class ids `(batch,)`;
    how the label enters is the networks' business: concatenated embeddings
    or one-hot codes (Mirza & Osindero 2014; `networks.dcgan_*(num_classes=...)`),
    conditional BatchNorm in G and a projection head in D (Miyato & Koyama
    2018; `networks.resnet_*(num_classes=...)`). Training data must carry
    labels: `fit(images, labels)` or a dataset of `(images, labels)`; one-hot
    labels are accepted too. Sample by class with
    `model.generate(labels=[3, 3, 7])`; sample grids get one row per class.

    Args:
        generator: a `keras.Model` taking `[latents, labels]`.
        discriminator: a `keras.Model` taking `[images, labels]`, returning logits.
        latent_dim: size of the latent vector.
        num_classes: the number of classes; checked against the label
            embeddings of both networks.
        seed, generator_ema, **kwargs: as for `keras_gan.GAN`.

    Example:

    ```python
    g = networks.dcgan_generator(64, 28, 1, num_classes=10)
    d = networks.dcgan_discriminator(28, 1, num_classes=10)
    cgan = keras_gan.ConditionalGAN(g, d, latent_dim=64, num_classes=10)
    cgan.compile()
    cgan.fit(images, labels, batch_size=64, epochs=5)
    sevens = cgan.generate(labels=[7] * 16)
    ```

    Reference:
        Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014.
        https://arxiv.org/abs/1411.1784 ; Miyato & Koyama, "cGANs with
        Projection Discriminator", ICLR 2018. https://arxiv.org/abs/1802.05637
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, seed=None,
                 generator_ema=False, **kwargs):
        check_positive_int(num_classes=num_classes)
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        self.num_classes = int(num_classes)
        for role, network in (("generator", generator), ("discriminator", discriminator)):
            for layer, count in _declared_class_counts(network):
                if count != self.num_classes:
                    raise ValueError(
                        f"num_classes={self.num_classes} but the {role}'s layer "
                        f"{layer.name!r} encodes {count} classes. Build both networks with "
                        f"num_classes={self.num_classes}, or pass num_classes={count}.")

    def labels_spec(self, batch_size):
        return keras.KerasTensor((batch_size,), dtype="int32")

    def generator_inputs(self, latents, labels=None):
        return [latents, labels]

    def discriminator_inputs(self, images, labels=None):
        return [images, labels]

    def prepare_labels(self, labels):
        if labels is None:
            raise ValueError(
                f"{type(self).__name__} trains on labelled data: call fit(images, labels) "
                "or pass a dataset of (images, labels) (e.g. load_images(..., labels=True)).")
        labels = tf.convert_to_tensor(labels)
        if labels.shape.rank == 2 and labels.shape[-1] == self.num_classes:
            labels = tf.argmax(labels, axis=-1)  # one-hot
        return tf.cast(tf.reshape(labels, [-1]), tf.int32)

    def fit(self, x=None, y=None, *args, **kwargs):
        if isinstance(y, np.ndarray):
            _check_label_range(y, self.num_classes)
        return super().fit(x, y, *args, **kwargs)

    def _check_generate_labels(self, labels, count):
        labels = super()._check_generate_labels(labels, count)
        _check_label_range(labels, self.num_classes)
        return labels.astype(np.int32)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def _check_label_range(labels, num_classes):
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[-1] == num_classes:
        return  # one-hot
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"Labels must be class ids in [0, {num_classes}); received values in "
            f"[{labels.min()}, {labels.max()}].")


def _declared_class_counts(network):
    """`(layer, classes)` for every label-encoding layer of `network`."""
    found = []
    for layer in network._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Embedding):
            found.append((layer, layer.input_dim))
        elif isinstance(layer, keras.layers.CategoryEncoding):
            found.append((layer, layer.num_tokens))
        elif isinstance(getattr(layer, "num_classes", None), int):
            found.append((layer, layer.num_classes))
    return found
