"""Variational auto-encoders on the phase engine: VAE and VAE-GAN."""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.models import _tricks
from keras_gan.models._sampling import SamplingMixin
from keras_gan.models.engine import Engine, Phase

_LIKELIHOODS = ("bernoulli", "gaussian")


def gaussian_kl(mean, log_var):
    """`KL(N(mean, exp(log_var)) || N(0, I))` per sample, summed over the
    latent axis: `0.5 * sum(mean^2 + exp(log_var) - 1 - log_var)` (Kingma &
    Welling 2014, appendix B)."""
    mean = tf.cast(mean, tf.float32)
    log_var = tf.cast(log_var, tf.float32)
    return 0.5 * tf.reduce_sum(tf.square(mean) + tf.exp(log_var) - 1.0 - log_var, axis=-1)


def _per_sample_sum(values):
    return tf.reduce_sum(tf.reshape(values, [tf.shape(values)[0], -1]), axis=1)


@keras.saving.register_keras_serializable(package="keras_gan")
class VAE(SamplingMixin, Engine):
    """Variational auto-encoder trained with `fit()` on the phase engine.

    The encoder maps images to a diagonal Gaussian `q(z | x)`; a sample
    `z = mean + exp(log_var / 2) * eps` (the reparameterisation trick) is
    decoded into the parameters of `p(x | z)`. Training minimizes the negative
    ELBO per image, `-E_q[log p(x | z)] + beta * KL(q(z | x) || N(0, I))`,
    with the KL in closed form (`gaussian_kl`), in nats, summed over pixels and
    averaged over the batch. One phase updates encoder and decoder together;
    the engine supplies what it gives every GAN: losses scaled for replicas
    and mixed precision (one or N replicas train identically), `(seed,
    step)`-keyed noise and exact resume.

    Likelihoods (images are in [-1, 1]):

    - `"bernoulli"`: the decoder returns per-pixel **logits**; the targets are
      the intensities `(x + 1) / 2` in [0, 1] (binary cross-entropy, as the
      paper's MNIST experiments); samples are the means `2 sigmoid - 1`.
    - `"gaussian"`: the decoder returns the mean in [-1, 1] (e.g. tanh);
      `p(x | z) = N(mean, gaussian_scale^2)`, fixed scale.

    Args:
        encoder: a `keras.Model` from images to `[mean, log_var]` (two
            outputs of width `latent_dim`) or to one output of width
            `2 * latent_dim` (mean first).
        decoder: a `keras.Model` from `(batch, latent_dim)` to images (logits
            or means, see above).
        latent_dim: the size of z.
        likelihood: `"bernoulli"` or `"gaussian"`.
        beta: the KL weight (1 is the ELBO; beta-VAE, Higgins et al. 2017,
            uses more).
        gaussian_scale: the standard deviation of the Gaussian likelihood.
        seed, **kwargs: as for `keras_gan.GAN`.

    Compile options: `vae_optimizer` (also accepted as `optimizer`; default
    Adam(1e-3)) and Keras's own arguments.

    Logged: `vae_loss` (the weighted objective), `reconstruction`
    (`-E log p(x | z)` per image), `kl`, `elbo` (`-(reconstruction + kl)`,
    beta-free) and `vae_grad_norm`; `evaluate()` reports the last three.

    Example:

    ```python
    vae = keras_gan.VAE(encoder, decoder, latent_dim=16)
    vae.compile()
    vae.fit(images, batch_size=64, epochs=10)
    mean, log_var = vae.encode(images[:8])
    reconstructions = vae.reconstruct(images[:8])
    samples = vae.generate(16, seed=0)
    ```

    Reference:
        Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014.
        https://arxiv.org/abs/1312.6114
        Rezende, Mohamed & Wierstra, "Stochastic Backpropagation and
        Approximate Inference in Deep Generative Models", ICML 2014.
    """

    def __init__(self, encoder, decoder, latent_dim, likelihood="bernoulli", beta=1.0,
                 gaussian_scale=0.1, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        for role, network in (("encoder", encoder), ("decoder", decoder)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(f"`{role}` must be a keras.Model. Received: {role}={network!r}")
        check_positive_int(latent_dim=latent_dim)
        if likelihood not in _LIKELIHOODS:
            raise ValueError(f"`likelihood` must be one of {_LIKELIHOODS}. "
                             f"Received: likelihood={likelihood!r}")
        if isinstance(beta, bool) or not float(beta) >= 0:
            raise ValueError(f"`beta` must be >= 0. Received: beta={beta!r}")
        if isinstance(gaussian_scale, bool) or not float(gaussian_scale) > 0:
            raise ValueError(f"`gaussian_scale` must be > 0. "
                             f"Received: gaussian_scale={gaussian_scale!r}")
        self.encoder, self.decoder = encoder, decoder
        self.latent_dim = int(latent_dim)
        self.likelihood = likelihood
        self.beta = float(beta)
        self.gaussian_scale = float(gaussian_scale)
        self.ema_generator = None
        self._generate_functions = {}
        self._sample_shape = self._check_networks()
        self.built = True

    # --- the networks ---------------------------------------------------------

    @property
    def generator(self):
        """The decoder: what sampling, `GeneratorEMA` and export use."""
        return self.decoder

    def labels_spec(self, batch_size):
        return None

    def _check_networks(self):
        latents = keras.KerasTensor((2, self.latent_dim))
        try:
            images = self.decoder.compute_output_spec(latents)
        except Exception as error:
            raise ValueError(f"The decoder cannot be called on latents of shape (batch, "
                             f"{self.latent_dim}): check latent_dim. Underlying error: "
                             f"{error}") from error
        try:
            outputs = self.encoder.compute_output_spec(keras.KerasTensor(images.shape))
        except Exception as error:
            raise ValueError(f"The encoder cannot be called on the decoder's images of shape "
                             f"{tuple(images.shape[1:])}. Underlying error: {error}") from error
        widths = [tuple(o.shape[1:]) for o in keras.tree.flatten(outputs)]
        if widths not in ([(self.latent_dim,)] * 2, [(2 * self.latent_dim,)]):
            raise ValueError(
                f"The encoder must return [mean, log_var] of width latent_dim={self.latent_dim} "
                f"each, or one output of width {2 * self.latent_dim}; it returns {widths}.")
        return tuple(images.shape[1:])

    def posterior(self, images, training=False):
        """`(mean, log_var)` of `q(z | x)` for a batch of images (tensors)."""
        outputs = self.encoder(images, training=training)
        if isinstance(outputs, (list, tuple)):
            mean, log_var = outputs
        else:
            mean, log_var = tf.split(outputs, 2, axis=-1)
        return tf.cast(mean, tf.float32), tf.cast(log_var, tf.float32)

    def generate_images(self, latents, labels=None, training=False, generator=None):
        """Decodes latents into images in [-1, 1] (the likelihood's mean)."""
        network = self.decoder if generator is None else generator
        return self.decoded_images(network(latents, training=training))

    def decoded_images(self, outputs):
        """The decoder's outputs as images in [-1, 1]."""
        if self.likelihood == "bernoulli":
            return tf.tanh(0.5 * tf.cast(outputs, tf.float32))  # 2 sigmoid(l) - 1
        return outputs

    def reconstruction_loss(self, images, outputs):
        """`-log p(x | z)` per image, in nats, from the decoder's outputs."""
        images = tf.cast(images, tf.float32)
        outputs = tf.cast(outputs, tf.float32)
        if self.likelihood == "bernoulli":
            targets = 0.5 * (images + 1.0)
            nll = tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=outputs)
        else:
            scale = self.gaussian_scale
            nll = 0.5 * tf.square((images - outputs) / scale) + math.log(scale) \
                + 0.5 * math.log(2.0 * math.pi)
        return _per_sample_sum(nll)

    def encoded_latents(self, mean, log_var, step):
        """A reparameterised sample of `q(z | x)` on a fresh stream of `step`."""
        eps = step.draw("normal", (self.latent_dim,))
        return mean + tf.exp(0.5 * log_var) * eps

    # --- the engine's hooks ---------------------------------------------------------

    def phases(self):
        return [Phase("vae", ("encoder", "decoder"), "vae_optimizer")]

    def compile(self, optimizer=None, **kwargs):
        """Configures training: `optimizer` (or `vae_optimizer`; default
        Adam(1e-3)) and `keras.Model.compile` arguments such as `jit_compile`."""
        if optimizer is not None:
            kwargs.setdefault("vae_optimizer", optimizer)
        super().compile(**kwargs)

    def default_compile_args(self):
        return {"vae_optimizer": keras.optimizers.Adam(1e-3)}

    def log_names(self):
        return ["reconstruction", "kl", "elbo"]

    def evaluation_names(self):
        return ["reconstruction", "kl", "elbo"]

    def unpack_batch(self, data, step):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, (tuple, list)):
            x = x[0]
        x = tf.convert_to_tensor(x)
        if x.dtype.is_integer or x.dtype == tf.bool:
            raise TypeError(f"{type(self).__name__} received images of dtype {x.dtype.name}; "
                            "scale them to floats in [-1, 1] first (x / 127.5 - 1).")
        if tuple(x.shape[1:]) != self._sample_shape and None not in x.shape[1:]:
            raise ValueError(f"Images have shape {tuple(x.shape[1:])} but the decoder produces "
                             f"{self._sample_shape}. Build the networks for the data's shape.")
        return {"real": tf.cast(x, tf.float32)}

    def elbo_terms(self, images, step, training):
        """`(reconstruction, kl, z, outputs)`: per-image terms of one
        reparameterised pass."""
        mean, log_var = self.posterior(images, training=training)
        z = self.encoded_latents(mean, log_var, step)
        outputs = self.decoder(z, training=training)
        return self.reconstruction_loss(images, outputs), gaussian_kl(mean, log_var), z, outputs

    def phase_loss(self, phase, batch, step):
        reconstruction, kl, _, _ = self.elbo_terms(batch["real"], step, training=True)
        loss = tf.reduce_mean(reconstruction + self.beta * kl)
        return loss, self._elbo_logs(reconstruction, kl)

    def evaluation_logs(self, batch, step):
        reconstruction, kl, _, _ = self.elbo_terms(batch["real"], step, training=False)
        return self._elbo_logs(reconstruction, kl)

    @staticmethod
    def _elbo_logs(reconstruction, kl):
        return {"reconstruction": tf.reduce_mean(reconstruction), "kl": tf.reduce_mean(kl),
                "elbo": -tf.reduce_mean(reconstruction + kl)}

    # --- using a trained model ------------------------------------------------------

    def encode(self, images, batch_size=64):
        """`(mean, log_var)` NumPy arrays of `q(z | x)` for `images`."""
        images = np.asarray(images, np.float32)
        parts = [self.posterior(images[i:i + batch_size]) for i in range(0, len(images),
                                                                         batch_size)]
        return tuple(np.concatenate([keras.ops.convert_to_numpy(p[k]) for p in parts])
                     for k in (0, 1))

    def decode(self, latents, batch_size=64, use_ema=True):
        """Images in [-1, 1] decoded from `(n, latent_dim)` latents."""
        return self.generate(latents=latents, batch_size=batch_size, use_ema=use_ema)

    def reconstruct(self, images, batch_size=64, use_ema=True):
        """`decode(encode(images)[0])`: reconstructions from the posterior means."""
        return self.decode(self.encode(images, batch_size)[0], batch_size, use_ema)

    def call(self, images, training=False):
        """Reconstructions (posterior means decoded) of a batch of images."""
        mean, _ = self.posterior(images, training=training)
        return self.generate_images(mean, training=training)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "latent_dim": self.latent_dim, "likelihood": self.likelihood,
                "beta": self.beta, "gaussian_scale": self.gaussian_scale, "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls._network_keys:
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    _network_keys = ("encoder", "decoder")


@keras.saving.register_keras_serializable(package="keras_gan")
class VAEGAN(VAE):
    """VAE-GAN: a VAE whose reconstruction error is measured in a
    discriminator's features, trained adversarially with it.

    Three phases, one per network, each with the paper's loss (Larsen et al.
    2016, algorithm 1; `Dis_l` are the discriminator's features at layer
    `feature_layer`, `x~ = Dec(z)` with `z ~ q(z | x)`, `x_p = Dec(z_p)` with
    `z_p ~ N(0, I)`):

    - discriminator (`d`): the GAN loss on `x` (real) against both `x~` and
      `x_p` (fake), each fake half-weighted;
    - encoder (`e`): `KL + L_llike`, with `L_llike = 0.5 * ||Dis_l(x) -
      Dis_l(x~)||^2` per image (a unit Gaussian in feature space);
    - decoder (`g`): `reconstruction_weight * L_llike` plus the generator's
      adversarial loss on `x~` and `x_p` (non-saturating by default).

    The networks each run their own forward pass (phases run in turn), so a
    phase sees the networks the previous phase updated.

    Args:
        encoder, decoder, latent_dim: as for `VAE` (the decoder returns
            images in [-1, 1], e.g. tanh).
        discriminator: a `keras.Model` from images to per-image logits.
        feature_layer: name of the discriminator layer whose output defines
            `Dis_l` (default: the input of its last layer).
        reconstruction_weight: gamma, the decoder's weight of `L_llike`.
        seed, **kwargs: as for `VAE`.

    Compile options: `d_optimizer`, `e_optimizer`, `g_optimizer` (RMSprop(3e-4),
    the paper's), `loss` (an adversarial loss, default non-saturating).

    Reference:
        Larsen et al., "Autoencoding beyond pixels using a learned similarity
        metric", ICML 2016. https://arxiv.org/abs/1512.09300
    """

    _network_keys = ("encoder", "decoder", "discriminator")

    def __init__(self, encoder, decoder, discriminator, latent_dim, feature_layer=None,
                 reconstruction_weight=1.0, seed=None, **kwargs):
        kwargs.pop("likelihood", None)
        super().__init__(encoder, decoder, latent_dim, likelihood="gaussian", seed=seed,
                         **kwargs)
        if not float(reconstruction_weight) >= 0:
            raise ValueError("`reconstruction_weight` must be >= 0. "
                             f"Received: reconstruction_weight={reconstruction_weight!r}")
        self.discriminator = discriminator
        self.feature_layer = feature_layer
        self.reconstruction_weight = float(reconstruction_weight)
        self._feature_model = _tricks.feature_model(discriminator, feature_layer or True)

    def phases(self):
        return [Phase("d", ("discriminator",), "d_optimizer"),
                Phase("e", ("encoder",), "e_optimizer"),
                Phase("g", ("decoder",), "g_optimizer")]

    def default_compile_args(self):
        return {"d_optimizer": keras.optimizers.RMSprop(3e-4),
                "e_optimizer": keras.optimizers.RMSprop(3e-4),
                "g_optimizer": keras.optimizers.RMSprop(3e-4),
                "loss": "non_saturating"}

    def compile(self, optimizer=None, **kwargs):
        if optimizer is not None:
            raise TypeError("VAEGAN trains three networks: pass d_optimizer, e_optimizer and "
                            "g_optimizer instead of optimizer.")
        Engine.compile(self, **kwargs)

    def log_names(self):
        return ["kl", "feature_reconstruction", "real_logits", "fake_logits"]

    def evaluation_names(self):
        return ["kl", "feature_reconstruction"]

    def _judge(self, images):
        *outputs, features = self._feature_model(images, training=True)
        logits = outputs[0] if len(outputs) == 1 else outputs
        return logits, tf.reshape(tf.cast(features, tf.float32), [tf.shape(images)[0], -1])

    def phase_loss(self, phase, batch, step):
        real = batch["real"]
        mean, log_var = self.posterior(real, training=True)
        z = self.encoded_latents(mean, log_var, step)
        reconstructed = self.decoder(z, training=True)
        prior = self.decoder(step.draw("normal", (self.latent_dim,)), training=True)
        if phase.name == "d":
            reconstructed, prior = tf.stop_gradient(reconstructed), tf.stop_gradient(prior)
        real_logits, real_features = self._judge(real)
        recon_logits, recon_features = self._judge(reconstructed)
        prior_logits, _ = self._judge(prior)
        feature_error = 0.5 * tf.reduce_sum(tf.square(real_features - recon_features), axis=1)
        logs = {"feature_reconstruction": tf.reduce_mean(feature_error)}
        if phase.name == "d":
            loss = 0.5 * (self.loss_fn.discriminator_loss(real_logits=real_logits,
                                                          fake_logits=recon_logits)
                          + self.loss_fn.discriminator_loss(real_logits=real_logits,
                                                            fake_logits=prior_logits))
            logs.update(real_logits=tf.reduce_mean(tf.cast(real_logits, tf.float32)),
                        fake_logits=tf.reduce_mean(tf.cast(prior_logits, tf.float32)))
            return loss, logs
        kl = gaussian_kl(mean, log_var)
        logs["kl"] = tf.reduce_mean(kl)
        if phase.name == "e":
            return tf.reduce_mean(kl + feature_error), logs
        adversarial = 0.5 * (
            self.loss_fn.generator_loss(fake_logits=recon_logits, real_logits=real_logits)
            + self.loss_fn.generator_loss(fake_logits=prior_logits, real_logits=real_logits))
        return self.reconstruction_weight * tf.reduce_mean(feature_error) + adversarial, logs

    def evaluation_logs(self, batch, step):
        real = batch["real"]
        mean, log_var = self.posterior(real)
        reconstructed = self.decoder(self.encoded_latents(mean, log_var, step))
        _, real_features = self._judge(real)
        _, recon_features = self._judge(reconstructed)
        error = 0.5 * tf.reduce_sum(tf.square(real_features - recon_features), axis=1)
        return {"kl": tf.reduce_mean(gaussian_kl(mean, log_var)),
                "feature_reconstruction": tf.reduce_mean(error)}

    def get_config(self):
        config = super().get_config()
        for key in ("likelihood", "beta", "gaussian_scale"):
            config.pop(key)
        return {**config, "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "feature_layer": self.feature_layer,
                "reconstruction_weight": self.reconstruction_weight}

