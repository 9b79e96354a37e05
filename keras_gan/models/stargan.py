"""StarGAN: one generator translating between many domains, given target labels."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.image_to_image import ImageToImageGAN, identity_inputs


@keras.saving.register_keras_serializable(package="keras_gan")
class StarGAN(ImageToImageGAN):
    """Multi-domain translation: `G(x, c)` renders image `x` in target
    domain `c`; the discriminator has an adversarial head and a domain
    classification head.

    Losses (Choi et al. 2018, eqs. 5-6): the critic minimises the WGAN-GP
    loss plus `classification * L_cls(real)` (the real images' labels); the
    generator minimises `adversarial + classification * L_cls(G(x, c)) +
    reconstruction * |G(G(x, c), c_x) - x|_1` with `loss_weights`
    `{"adversarial": 1, "classification": 1, "reconstruction": 10}`, 5
    critic steps per generator step and Adam(1e-4, beta=(0.5, 0.999)).
    Target labels are drawn at random for every image and step (attributes
    independently with probability 1/2, one-hot groups uniformly), from the
    saved step counter, so runs resume exactly.

    Labels are float vectors. With one label group (`domains=5`) they are the
    domain labels themselves. With several datasets (`domains=[5, 8]`: e.g.
    CelebA attributes and RaFD expressions) each label is the paper's unified
    vector `[c_1, ..., c_n, m]`: every group's labels (zeros for the groups
    a sample does not have) followed by the one-hot mask vector `m` naming
    its dataset; classification losses use only the known group, and target
    labels change only that group.

    The discriminator returns `[adversarial logits, domain logits]` (see
    `keras_gan.networks.stargan_discriminator`); the generator takes
    `[images, labels]` (`keras_gan.networks.stargan_generator`).

    Args:
        generator, discriminator: the two networks.
        domains: labels per group: an int, or a list of ints (several datasets).
        multi_label: per group, whether its labels are independent binary
            attributes (sigmoid cross-entropy, e.g. CelebA's hair colour,
            gender, age) or one class (softmax cross-entropy, e.g. RaFD);
            a bool applies to every group.
        seed: training randomness seed.

    Reference:
        Choi et al., "StarGAN: Unified Generative Adversarial Networks for
        Multi-Domain Image-to-Image Translation", CVPR 2018.
        https://arxiv.org/abs/1711.09020
    """

    def __init__(self, generator, discriminator, domains, multi_label=True, seed=None, **kwargs):
        groups = [domains] if np.isscalar(domains) else list(domains)
        if not groups or any(isinstance(g, bool) or int(g) != g or g < 1 for g in groups):
            raise ValueError(f"`domains` must be a positive int or a list of them. "
                             f"Received: domains={domains!r}")
        flags = [multi_label] * len(groups) if isinstance(multi_label, bool) else list(multi_label)
        if len(flags) != len(groups):
            raise ValueError(f"`multi_label` needs one flag per label group ({len(groups)}). "
                             f"Received: multi_label={multi_label!r}")
        self.domains = [int(g) for g in groups]
        self.multi_label = [bool(f) for f in flags]
        self.label_dim = sum(self.domains) + (len(self.domains) if len(self.domains) > 1 else 0)
        super().__init__(generator, discriminator, seed=seed, **kwargs)

    def labels_spec(self, batch_size):
        return keras.KerasTensor((batch_size, self.label_dim))

    def generator_inputs(self, inputs, labels):
        return [inputs, labels]

    def _logits(self, outputs):
        return outputs[0]

    def check_networks(self):
        super().check_networks()
        shape = self._input_shape()
        outputs = self.discriminator(keras.KerasTensor((2, *shape)))
        if not isinstance(outputs, (list, tuple)) or len(outputs) != 2 or \
                outputs[1].shape[-1] != sum(self.domains):
            raise ValueError(
                "StarGAN's discriminator must return [adversarial logits, domain logits] with "
                f"{sum(self.domains)} domain logits (sum of `domains`); build it with "
                f"stargan_discriminator(num_domains={sum(self.domains)}).")

    def _input_shape(self, generator=None):
        network = generator or self.generator
        inputs = getattr(network, "inputs", None)
        if not inputs or len(inputs) != 2 or inputs[1].shape[-1] != self.label_dim:
            raise ValueError(
                f"StarGAN's generator must take [images, labels] with labels of size "
                f"{self.label_dim}; build it with stargan_generator(label_dim={self.label_dim}).")
        return tuple(inputs[0].shape[1:])

    def split_data(self, data, step):
        x, y = self._pair(data, "StarGAN trains on (images, labels): pass fit(images, labels) "
                                "or a dataset of (images, labels) batches.")
        labels = tf.cast(tf.convert_to_tensor(y), tf.float32)
        if labels.shape.rank != 2 or labels.shape[-1] != self.label_dim:
            raise ValueError(
                f"StarGAN labels must be float vectors of size {self.label_dim} "
                f"(domains={self.domains}"
                + (", followed by the mask vector" if len(self.domains) > 1 else "")
                + f"). Received shape {tuple(labels.shape)}.")
        images = self._images(x, "images")
        return images, images, labels

    def _groups(self, labels):
        """`[(labels of group g, mask of samples in g, multi_label)]`."""
        start, groups = 0, []
        batch = tf.shape(labels)[0]
        for index, (size, multi) in enumerate(zip(self.domains, self.multi_label)):
            member = labels[:, sum(self.domains) + index] if len(self.domains) > 1 \
                else tf.ones([batch])
            groups.append((labels[:, start:start + size], member, multi, start, size))
            start += size
        return groups

    def target_labels(self, labels, uniform):
        """Random target labels in each sample's own group (`uniform`:
        `(batch, sum(domains))` draws in [0, 1))."""
        parts = []
        for group, member, multi, start, size in self._groups(labels):
            draws = uniform[:, start:start + size]
            if multi:
                target = tf.cast(draws < 0.5, tf.float32)
            else:
                target = tf.one_hot(tf.minimum(tf.cast(draws[:, 0] * size, tf.int32), size - 1),
                                    size)
            parts.append(target * member[:, None])
        if len(self.domains) > 1:
            parts.append(labels[:, sum(self.domains):])
        return tf.concat(parts, axis=1)

    def classification_loss(self, logits, labels):
        """Domain classification loss of `logits` against `labels` (known groups only)."""
        logits = tf.cast(logits, tf.float32)
        total = 0.0
        for group, member, multi, start, size in self._groups(labels):
            group_logits = logits[:, start:start + size]
            if multi:
                loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(
                    labels=group, logits=group_logits), axis=1)
            else:
                loss = tf.nn.softmax_cross_entropy_with_logits(labels=group, logits=group_logits)
            total += tf.reduce_sum(loss * member) / tf.maximum(tf.reduce_sum(member), 1.0)
        return total

    def phase_loss(self, phase, batch, step):
        """Critic: WGAN-GP + classification of the real images' labels.
        Generator: adversarial + classification of the translations as their
        random target labels + reconstruction through the inputs' labels."""
        real, labels = batch["inputs"], batch["labels"]
        target = self.target_labels(labels, step.draw("uniform", (sum(self.domains),)))
        identity = identity_inputs
        weight = self.loss_weights["classification"]
        if phase.name == "d":
            with step.untaped():
                fake = tf.stop_gradient(self.translate_batch(real, target, training=True))
            loss, logs, (real_out, _) = self.adversarial_d_loss(identity, real, fake, step)
            logs["d_classification"] = self.classification_loss(real_out[1], labels)
            return loss + weight * logs["d_classification"], logs
        fake = self.translate_batch(real, target, training=True)
        reconstructed = self.translate_batch(fake, labels, training=True)
        terms = {
            "classification": self.classification_loss(
                self.discriminator(fake, training=True)[1], target),
            "reconstruction": tf.reduce_mean(tf.abs(tf.cast(reconstructed, tf.float32) - real)),
        }
        return self.weighted_generator_loss(identity, real, fake, terms)

    def evaluation_logs(self, batch, step):
        """Domain classification of the real images and reconstruction error
        through their own labels."""
        real, labels = batch["inputs"], batch["labels"]
        outputs = self.discriminator(real, training=False)
        rec = self.translate_batch(self.translate_batch(real, labels), labels)
        return {"d_classification": self.classification_loss(outputs[1], labels),
                "reconstruction": tf.reduce_mean(tf.abs(rec - real))}

    def translate(self, inputs, labels=None, batch_size=32, generator=None):
        """Renders `inputs` in the domains `labels` (`(n, label_dim)` floats)."""
        if labels is None:
            raise ValueError(f"StarGAN.translate needs target `labels` (n, {self.label_dim}).")
        labels = np.asarray(labels, np.float32)
        if labels.ndim == 1:  # one target for every image
            labels = np.repeat(labels[None], len(inputs) if np.ndim(inputs) == 4 else 1, axis=0)
        if labels.shape[-1] != self.label_dim:
            raise ValueError(f"Target labels must have {self.label_dim} entries per image. "
                             f"Received shape {labels.shape}.")
        return super().translate(inputs, labels, batch_size=batch_size, generator=generator)

    def preview(self, inputs, labels):
        """Columns: the inputs, then one translation per domain label of the
        first group, each with that label flipped (the paper's figures)."""
        labels = np.asarray(labels, np.float32)
        columns = [np.asarray(inputs, np.float32)]
        for index in range(self.domains[0]):
            flipped = labels.copy()
            if self.multi_label[0]:
                flipped[:, index] = 1.0 - flipped[:, index]
            else:
                flipped[:, : self.domains[0]] = np.eye(self.domains[0])[index]
            columns.append(self.translate(inputs, flipped))
        return columns

    def log_names(self):
        return super().log_names() + ["d_classification"]

    def default_compile_args(self):
        return {**super().default_compile_args(),
                "d_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.999),
                "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.999),
                "loss": "wasserstein", "penalties": ["gp"], "d_steps": 5,
                "loss_weights": {"adversarial": 1.0, "classification": 1.0,
                                 "reconstruction": 10.0}}

    def reserved_names(self):
        return super().reserved_names() | {"d_classification"}

    def get_config(self):
        return {**super().get_config(), "domains": self.domains, "multi_label": self.multi_label}
