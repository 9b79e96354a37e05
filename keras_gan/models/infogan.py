"""InfoGAN: latent codes whose mutual information with the samples is maximized."""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.models._sampling import truncated_normal
from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class InfoGAN(GAN):
    """InfoGAN: the generator's input is noise plus structured codes, and a Q
    head sharing the discriminator's body recovers the codes from the samples.

    Latents are laid out as `[noise (noise_dim), one-hot categorical codes,
    continuous codes]`, so `latent_dim = noise_dim + sum(categorical_codes) +
    continuous_codes` and the generator is an ordinary one of that input size.
    Categorical codes are uniform over their classes, continuous codes
    uniform on [-1, 1]. The discriminator returns `[logits, q]` with
    `q = [categorical logits..., continuous means]` of width
    `sum(categorical_codes) + continuous_codes` (e.g.
    `networks.dcgan_discriminator(..., auxiliary_units=model_width)`); Q's
    continuous factor is a unit-variance Gaussian (the authors' MNIST setting).

    Both networks minimize `info_weight * (CE_categorical +
    continuous_weight * 0.5 ||c - mu||^2)` on generated samples, which
    maximizes the variational lower bound `L_I = H(c) + E log Q(c | G(z, c))`
    on the mutual information; `L_I` (in nats) is logged as
    `mutual_information`.

    Args:
        generator: a `keras.Model` from `(batch, latent_dim)` to samples.
        discriminator: a `keras.Model` from samples to `[logits, q]`.
        noise_dim: size of the incompressible noise.
        categorical_codes: number of classes of each categorical code
            (MNIST: `(10,)`).
        continuous_codes: number of continuous codes (MNIST: 2).
        info_weight: lambda, the weight of the information term (1).
        continuous_weight: extra weight of the continuous codes' term.
        seed, generator_ema, **kwargs: as for `keras_gan.GAN`.

    Example:

    ```python
    model = InfoGAN(g, d, noise_dim=62, categorical_codes=(10,), continuous_codes=2)
    model.compile()
    model.fit(images, epochs=10, callbacks=[SampleGrid("grids/", traversal=True)])
    digits = model.generate(latents=model.traversal_latents(code=0))
    ```

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NeurIPS 2016.
        https://arxiv.org/abs/1606.03657
    """

    def __init__(self, generator, discriminator, noise_dim, categorical_codes=(10,),
                 continuous_codes=2, info_weight=1.0, continuous_weight=1.0, seed=None,
                 generator_ema=False, latent_dim=None, **kwargs):
        check_positive_int(noise_dim=noise_dim)
        categorical_codes = tuple(int(k) for k in (categorical_codes or ()))
        if any(k < 2 for k in categorical_codes):
            raise ValueError("Each categorical code needs at least 2 classes. Received: "
                             f"categorical_codes={categorical_codes}")
        if int(continuous_codes) < 0 or not (categorical_codes or continuous_codes):
            raise ValueError("InfoGAN needs at least one code: set categorical_codes and/or "
                             f"continuous_codes >= 1. Received: {categorical_codes}, "
                             f"continuous_codes={continuous_codes}")
        for name, value in (("info_weight", info_weight), ("continuous_weight", continuous_weight)):
            if not float(value) >= 0.0:
                raise ValueError(f"`{name}` must be >= 0. Received: {name}={value!r}")
        self.noise_dim = int(noise_dim)
        self.categorical_codes = categorical_codes
        self.continuous_codes = int(continuous_codes)
        self.info_weight = float(info_weight)
        self.continuous_weight = float(continuous_weight)
        width = self.noise_dim + sum(categorical_codes) + self.continuous_codes
        if latent_dim is not None and latent_dim != width:
            raise ValueError(f"latent_dim={latent_dim} disagrees with noise_dim + codes = {width}.")
        super().__init__(generator, discriminator, width, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        q_width = sum(categorical_codes) + self.continuous_codes
        outputs = discriminator.compute_output_spec(keras.KerasTensor((2, *self._sample_shape)))
        if outputs[1].shape[-1] != q_width:
            raise ValueError(
                f"The discriminator's Q head has {outputs[1].shape[-1]} outputs; the codes need "
                f"{q_width} (sum(categorical_codes) + continuous_codes). Build it with "
                f"auxiliary_units={q_width}.")

    # --- latents ------------------------------------------------------------

    def training_latents(self, noise):
        parts = [noise("normal", (self.noise_dim,))]
        for classes in self.categorical_codes:
            index = tf.floor(noise("uniform", (1,))[:, 0] * classes)
            parts.append(tf.one_hot(tf.cast(tf.minimum(index, classes - 1), tf.int32), classes))
        if self.continuous_codes:
            parts.append(noise("uniform", (self.continuous_codes,)) * 2.0 - 1.0)
        return tf.concat(parts, axis=-1)

    def latents_from(self, rng, num_samples, noise=None):
        num_samples = int(num_samples)
        noise = rng.standard_normal((num_samples, self.noise_dim)) if noise is None else noise
        parts = [noise]
        for classes in self.categorical_codes:
            parts.append(np.eye(classes)[rng.integers(0, classes, num_samples)])
        parts.append(rng.uniform(-1.0, 1.0, (num_samples, self.continuous_codes)))
        return np.concatenate(parts, axis=-1).astype(np.float32)

    def sample_latents(self, num_samples, seed=None, truncation=None):
        """Noise (truncated if asked) with random codes."""
        rng = np.random.default_rng(seed)
        noise = truncated_normal(rng, (int(num_samples), self.noise_dim), truncation)
        return tf.constant(self.latents_from(rng, num_samples, noise=noise))

    def traversal_latents(self, code, num_rows=8, num_values=10, seed=0, value_range=(-2.0, 2.0)):
        """Latents of a latent-traversal grid: one row per fixed (noise, other
        codes) draw, one column per value of code `code`.

        Codes are numbered categorical first, then continuous. A categorical
        code takes each of its classes (`num_values` is ignored); a continuous
        one takes `num_values` evenly spaced values in `value_range` (the
        paper varies them from -2 to 2, beyond the training range [-1, 1]).

        Returns:
            `(latents (num_rows * columns, latent_dim), columns)`.
        """
        check_positive_int(num_rows=num_rows, num_values=num_values)
        count = len(self.categorical_codes) + self.continuous_codes
        if not (isinstance(code, (int, np.integer)) and 0 <= code < count):
            raise ValueError(f"`code` must be an integer in [0, {count}) (categorical codes "
                             f"first, then continuous). Received: code={code!r}")
        base = self.latents_from(np.random.default_rng(seed), num_rows)
        if code < len(self.categorical_codes):
            classes = self.categorical_codes[code]
            start = self.noise_dim + sum(self.categorical_codes[:code])
            values = np.eye(classes)
        else:
            start = self.noise_dim + sum(self.categorical_codes) + code - len(self.categorical_codes)
            classes = 1
            values = np.linspace(*value_range, num_values)[:, None]
        latents = np.repeat(base, len(values), axis=0)
        latents[:, start:start + classes] = np.tile(values, (num_rows, 1))
        return latents.astype(np.float32), len(values)

    # --- the information term -----------------------------------------------

    def split_outputs(self, outputs):
        if not isinstance(outputs, (list, tuple)) or len(outputs) != 2:
            raise ValueError(
                "InfoGAN needs a discriminator returning [logits, q], e.g. "
                "networks.dcgan_discriminator(..., auxiliary_units=sum(categorical_codes) + "
                "continuous_codes).")
        return outputs[0], outputs[1]

    def information(self, q, latents):
        """`(loss, lower_bound)` of Q's outputs `q` for the codes in `latents`.

        `loss` is the weighted term both networks minimize; `lower_bound` is
        `L_I = H(c) + E log Q(c | x)` in nats: `sum log K - CE` for the
        categorical codes plus `log 2 - 0.5 (c - mu)^2 - 0.5 log(2 pi)` per
        continuous code (the entropy of U(-1, 1) is log 2).
        """
        q = tf.cast(q, tf.float32)
        latents = tf.cast(latents, tf.float32)
        offset, q_offset = self.noise_dim, 0
        cross_entropy = tf.zeros(())
        bound = tf.zeros(())
        for classes in self.categorical_codes:
            codes = latents[:, offset:offset + classes]
            logits = q[:, q_offset:q_offset + classes]
            ce = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(codes, logits))
            cross_entropy += ce
            bound += math.log(classes) - ce
            offset += classes
            q_offset += classes
        squared = tf.zeros(())
        if self.continuous_codes:
            error = latents[:, offset:] - q[:, q_offset:]
            squared = tf.reduce_mean(tf.reduce_sum(0.5 * tf.square(error), axis=-1))
            n = self.continuous_codes
            bound += n * math.log(2.0) - squared - 0.5 * n * math.log(2.0 * math.pi)
        loss = self.info_weight * (cross_entropy + self.continuous_weight * squared)
        return loss, bound

    def auxiliary_names(self):
        return ["d_info_loss", "g_info_loss", "mutual_information"]

    def discriminator_terms(self, *, real_aux, fake_aux, labels, latents):
        loss, bound = self.information(fake_aux, latents)
        return {"d_info_loss": loss}, {"mutual_information": bound}

    def generator_terms(self, *, fake_aux, labels, latents):
        loss, _ = self.information(fake_aux, latents)
        return {"g_info_loss": loss}, {}

    def get_config(self):
        return {**super().get_config(), "noise_dim": self.noise_dim,
                "categorical_codes": list(self.categorical_codes),
                "continuous_codes": self.continuous_codes, "info_weight": self.info_weight,
                "continuous_weight": self.continuous_weight}
