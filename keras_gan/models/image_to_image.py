"""The engine of image-to-image GANs: a generator that maps images to images."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.metrics.image_quality import psnr, ssim
from keras_gan.models import _critic
from keras_gan.models._export import images_output
from keras_gan.models.engine import Engine, Phase


def identity_inputs(images):
    """The critic inputs of an unconditional critic (CycleGAN, StarGAN): the
    images; `adversarial_d_loss` then judges real and fake in one call when
    the critic is per-sample (`_critic.judge_both`)."""
    return images


class ImageToImageGAN(Engine):
    """Base of the image-to-image models (`Pix2Pix`, `SRGAN`, `ContextEncoder`,
    `CycleGAN`, `StarGAN`): one conditional training engine for all of them.

    A training step runs `d_steps` discriminator updates, then one generator
    update whose loss is `sum(loss_weights[name] * term)` over the adversarial
    term and the variant's reconstruction terms (`generator_terms`). The loss
    family, penalties and optimizers come from the same pieces as
    `keras_gan.GAN`, with the same guarantees: per-replica losses scaled for
    `tf.distribute`, loss scaling under mixed precision, randomness keyed by
    `(seed, step)` in a saved counter, so reloaded models resume exactly.

    Training data are `(inputs, targets)` pairs: `fit(inputs, targets)`, or a
    `tf.data.Dataset` of `(inputs, targets)` batches, all in [-1, 1].

    Subclasses configure the step through hooks: `split_data`,
    `generator_inputs`, `discriminator_inputs`, `discriminated`,
    `generator_terms`; models with more networks (CycleGAN) supply their own
    phases and phase losses from the same pieces (`adversarial_d_loss`,
    `weighted_generator_loss`).

    Compile options (besides `Engine.compile`'s): `loss_weights`, a dict of
    weights of the generator's loss terms by name (`"adversarial"` and the
    model's own terms, e.g. Pix2Pix's `"l1"`); names left out keep their
    defaults. Only discriminator penalties are accepted.

    Args:
        generator: a `keras.Model` from input images to output images.
        discriminator: a `keras.Model` returning logits (any rank, e.g.
            PatchGAN maps); or a list of per-scale outputs (see
            `keras_gan.networks.multiscale_discriminator`).
        seed: integer seed of the training randomness (drawn from NumPy's
            global generator when omitted).
        **kwargs: `keras.Model` arguments such as `name`.
    """

    #: Quality metrics logged on every step (PSNR/SSIM of generated vs target).
    reports_quality = False

    def __init__(self, generator, discriminator, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        for role, network in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(f"`{role}` must be a keras.Model. Received: {role}={network!r}")
        self.generator = generator
        self.discriminator = discriminator
        self._translate_functions = {}
        self.built = True
        self.check_networks()

    def check_networks(self):
        """Runs G and D once on symbolic inputs; raises a clear error when
        their shapes do not fit together."""
        shape = self._input_shape()
        if shape is None:
            return
        inputs = keras.KerasTensor((2, *shape))
        labels = self.labels_spec(2)
        try:
            fake = self.translate_batch(inputs, labels)
        except Exception as error:
            raise ValueError(
                f"The generator of {type(self).__name__} cannot be called on its inputs "
                f"{tuple(shape)}. Underlying error: {error}") from error
        try:
            self.discriminator(self.discriminator_inputs(fake, labels, inputs=inputs))
        except Exception as error:
            raise ValueError(
                f"The discriminator of {type(self).__name__} cannot judge generated images "
                f"of shape {tuple(fake.shape[1:])}"
                + (" together with the inputs" if self._conditional_critic() else "")
                + ". Build both networks for the same resolution and channel counts. "
                f"Underlying error: {error}") from error

    def labels_spec(self, batch_size):
        """Symbolic labels for `check_networks` (None: the model has none)."""
        return None

    def _conditional_critic(self):
        return len(getattr(self.discriminator, "inputs", None) or []) == 2

    # --- hooks ------------------------------------------------------------

    def split_data(self, data, step):
        """`(inputs, targets, labels)` of a training batch."""
        x, y = self._pair(data, (
            f"{type(self).__name__} trains on pairs: pass `fit(inputs, targets)` or a "
            "dataset of `(inputs, targets)` batches (every input needs its paired target "
            "image; see keras_gan.data.load_pairs)."))
        return self._images(x, "inputs"), self._images(y, "targets"), None

    @staticmethod
    def _pair(data, missing_message):
        """`(x, y)` of a batch given as `(x, y)` or `((x, y),)`; raises
        `ValueError(missing_message)` without `y`."""
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, (tuple, list)) and y is None and len(x) == 2:
            x, y = x
        if y is None:
            raise ValueError(missing_message)
        return x, y

    def generator_inputs(self, inputs, labels):
        """What the generator is called on."""
        return inputs

    def discriminator_inputs(self, images, labels=None, inputs=None):
        """What the discriminator is called on for real or generated `images`
        translated from `inputs`."""
        return images

    def discriminated(self, fake, inputs, targets, labels):
        """The generated images as the discriminator judges them (inpainting
        pastes the generated hole into the real context)."""
        return fake

    def generator_terms(self, *, inputs, targets, fake, labels):
        """Unweighted reconstruction terms of the generator loss, by name."""
        return {}

    def default_compile_args(self):
        return {
            "d_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "g_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "loss": "non_saturating",
            "penalties": [],
            "d_steps": 1,
            "loss_weights": {"adversarial": 1.0},
        }

    # --- compile options -----------------------------------------------------

    def configure(self, options):
        """`loss_weights` (see the class docstring); discriminator penalties only."""
        defaults = self.default_compile_args()["loss_weights"]
        self.loss_weights = options["loss_weights"] = _check_weights(
            defaults, options["loss_weights"], type(self))
        generator_penalties = [p.name for p in self.penalties if p.applies_to == "generator"]
        if generator_penalties:
            raise ValueError(
                f"{type(self).__name__} takes discriminator penalties only; "
                f"{generator_penalties} regularize a latent-to-image generator (use keras_gan.GAN "
                "or StyleGAN2).")

    def log_names(self):
        names = [name for name in self.loss_weights if name != "adversarial"]
        names += ["g_adversarial", "real_logits", "fake_logits"]
        return names + (["psnr", "ssim"] if self.reports_quality else [])

    def reserved_names(self):
        defaults = self.default_compile_args()["loss_weights"]
        return super().reserved_names() | {"g_adversarial", "real_logits", "fake_logits",
                                           "psnr", "ssim", *defaults}

    # --- training: the phases -------------------------------------------------

    def phases(self):
        """`d_steps` discriminator updates, then one generator update."""
        return [Phase("d", ("discriminator",), "d_optimizer", repeats=self.d_steps),
                Phase("g", ("generator",), "g_optimizer")]

    def unpack_batch(self, data, step):
        inputs, targets, labels = self.split_data(data, step.counter)
        return {"inputs": inputs, "targets": targets, "labels": labels}

    def phase_loss(self, phase, batch, step):
        inputs, targets, labels = batch["inputs"], batch["targets"], batch["labels"]
        critic_inputs = self._critic_inputs(inputs, labels)
        if phase.name == "d":
            with step.untaped():
                fake = tf.stop_gradient(self.translate_batch(inputs, labels, training=True))
                fake = self.discriminated(fake, inputs, targets, labels)
            loss, logs, _ = self.adversarial_d_loss(critic_inputs, targets, fake, step)
            return loss, logs
        fake = self.translate_batch(inputs, labels, training=True)
        judged = self.discriminated(fake, inputs, targets, labels)
        terms = self.generator_terms(inputs=inputs, targets=targets, fake=fake, labels=labels)
        loss, logs = self.weighted_generator_loss(critic_inputs, targets, judged, terms)
        if self.reports_quality:
            logs.update(self._quality(fake, targets))
        return loss, logs

    def evaluation_logs(self, batch, step):
        """Adversarial losses, the weighted generator loss (and PSNR/SSIM) on
        held-out pairs."""
        inputs, targets, labels = batch["inputs"], batch["targets"], batch["labels"]
        fake = self.translate_batch(inputs, labels, training=False)
        judged = self.discriminated(fake, inputs, targets, labels)
        critic = self._critic_inputs(inputs, labels)
        real_logits = self._logits(self.discriminator(critic(targets), training=False))
        fake_logits = self._logits(self.discriminator(critic(judged), training=False))
        terms = self.generator_terms(inputs=inputs, targets=targets, fake=fake, labels=labels)
        adversarial = self._adversarial(self.loss_fn.generator_loss, real_logits, fake_logits)
        logs = {"d_loss": self._adversarial(self.loss_fn.discriminator_loss, real_logits,
                                            fake_logits),
                "g_loss": self._weighted(adversarial, terms)}
        if self.reports_quality:
            logs.update(self._quality(fake, targets))
        return logs

    def translate_batch(self, inputs, labels=None, training=False):
        """Runs the generator on one batch (tensors in, tensors out)."""
        return self.generator(self.generator_inputs(inputs, labels), training=training)

    # --- pieces the phase losses of every image-to-image model share ---------

    def _critic_inputs(self, inputs, labels):
        return lambda images: self.discriminator_inputs(images, labels, inputs=inputs)

    def adversarial_d_loss(self, critic_inputs, real, fake, step, discriminator=None):
        """`(loss, logs, (real outputs, fake outputs))` of one critic: the
        adversarial loss plus the penalties (drawn from `step`, a `PhaseStep`)."""
        network = discriminator or self.discriminator
        if critic_inputs is identity_inputs:  # an unconditional critic: maybe one call
            real_out, fake_out = _critic.judge_both(
                network, lambda images: network(images, training=True), real, fake)
        else:
            real_out = network(critic_inputs(real), training=True)
            fake_out = network(critic_inputs(fake), training=True)
        real_logits, fake_logits = self._logits(real_out), self._logits(fake_out)
        d_loss = self._adversarial(self.loss_fn.discriminator_loss, real_logits, fake_logits)

        def critic(x):
            return _flat_logits(self._logits(network(critic_inputs(x), training=True)))

        for penalty in self.penalties:
            d_loss += step.penalty(penalty, critic, real, fake)
        logs = {"real_logits": _mean_logit(real_logits), "fake_logits": _mean_logit(fake_logits)}
        return d_loss, logs, (real_out, fake_out)

    def weighted_generator_loss(self, critic_inputs, real, fake, terms, discriminator=None):
        """`(loss, logs)`: `weights["adversarial"] * adversarial + sum(weights[k]
        * terms[k])`, logging every term and the adversarial part."""
        network = discriminator or self.discriminator
        fake_out = network(critic_inputs(fake), training=True)
        fake_logits = self._logits(fake_out)
        real_out = real_logits = None
        if self.loss_fn.generator_needs_real_logits or self._uses_feature_matching():
            real_out = network(critic_inputs(real), training=True)
            real_logits = self._logits(real_out)
        if self._uses_feature_matching():
            terms = {**terms, "feature_matching": _feature_matching(real_out, fake_out)}
        adversarial = self._adversarial(self.loss_fn.generator_loss, real_logits, fake_logits)
        return self._weighted(adversarial, terms), {"g_adversarial": adversarial, **terms}

    def _weighted(self, adversarial, terms):
        total = self.loss_weights["adversarial"] * tf.cast(adversarial, tf.float32)
        for name, value in terms.items():
            total += self.loss_weights[name] * tf.cast(value, tf.float32)
        return total

    def _uses_feature_matching(self):
        return self.loss_weights.get("feature_matching", 0.0) > 0

    def _logits(self, outputs):
        """The adversarial logits: a tensor, or a list with one per scale."""
        if isinstance(outputs, (list, tuple)):
            return [o[-1] if isinstance(o, (list, tuple)) else o for o in outputs]
        return outputs

    def _adversarial(self, loss, real_logits, fake_logits):
        """A loss function summed over the scales of a multi-scale critic."""
        if isinstance(fake_logits, list):
            return tf.add_n([
                loss(real_logits=None if real_logits is None else r, fake_logits=f)
                for r, f in zip(real_logits or [None] * len(fake_logits), fake_logits)])
        return loss(real_logits=real_logits, fake_logits=fake_logits)

    @staticmethod
    def _quality(fake, targets):
        fake = tf.cast(fake, tf.float32)
        return {"psnr": tf.reduce_mean(psnr(fake, targets)),
                "ssim": tf.reduce_mean(ssim(fake, targets))}

    def _images(self, x, role):
        x = tf.convert_to_tensor(x)
        if x.dtype.is_integer or x.dtype == tf.bool:
            raise TypeError(
                f"{type(self).__name__} received {role} of dtype {x.dtype.name}; it expects "
                "floats in [-1, 1]: scale them first (x / 127.5 - 1) or load them with "
                "keras_gan.data.load_pairs.")
        if x.shape.rank != 4:
            raise ValueError(
                f"{type(self).__name__} expects {role} as image batches (batch, H, W, C). "
                f"Received shape {tuple(x.shape)}.")
        return tf.cast(x, tf.float32)

    # --- inference --------------------------------------------------------

    def call(self, inputs, training=False):
        """Translates a batch of input images."""
        return self.translate_batch(inputs, None, training=training)

    def _serving_endpoint(self, use_ema=True, generator=None):
        """images (and StarGAN's target labels) -> images, for `export_generator`;
        `generator` picks another of the model's generators."""
        del use_ema  # image-to-image models keep no averaged generator
        network = generator or self.generator
        shape = self._input_shape(network)
        if shape is None:
            raise ValueError(f"The generator {network.name!r} has no input shape to export.")
        images = tf.TensorSpec((None, *shape), tf.float32, name="images")
        labels = self.labels_spec(1)
        if labels is not None:
            def serve(images, labels):
                return images_output(network(self.generator_inputs(images, labels),
                                             training=False))

            spec = tf.TensorSpec((None, *labels.shape[1:]), labels.dtype, name="labels")
            return serve, [images, spec], network

        def serve(images):
            return images_output(network(self.generator_inputs(images, None), training=False))

        return serve, [images], network

    def translate(self, inputs, labels=None, batch_size=32, generator=None):
        """Translates `inputs` (NumPy or tensor images in [-1, 1]) batch by
        batch; returns a float32 NumPy array in the generator's range."""
        inputs = np.asarray(inputs, np.float32)
        if inputs.ndim == 3:
            inputs = inputs[None]
        if inputs.ndim != 4:
            raise ValueError(
                f"translate() takes images (n, H, W, C) in [-1, 1]. Received {inputs.shape}.")
        expected = self._input_shape(generator)
        if expected is not None and not _compatible(expected, inputs.shape[1:]):
            raise ValueError(
                f"translate() received images of shape {inputs.shape[1:]} but the generator "
                f"takes {tuple(expected)}; resize them first (e.g. keras_gan.data."
                "load_images(folder, image_size=...)).")
        network = generator or self.generator
        if network not in self._translate_functions:
            self._translate_functions[network] = tf.function(
                lambda x, y: network(self.generator_inputs(x, y), training=False))
        outputs = []
        for start in range(0, len(inputs), batch_size):
            stop = min(start + batch_size, len(inputs))
            batch_labels = None if labels is None else tf.constant(labels[start:stop])
            result = self._translate_functions[network](tf.constant(inputs[start:stop]),
                                                        batch_labels)
            outputs.append(np.asarray(tf.cast(result, tf.float32)))
        return np.concatenate(outputs)

    def preview(self, inputs, targets=None):
        """Columns of a comparison grid for a few examples given as training
        data: inputs, outputs (and targets), as NumPy images (used by
        `TranslationGrid`)."""
        columns = [np.asarray(inputs, np.float32), self.translate(inputs)]
        return columns + ([np.asarray(targets, np.float32)] if targets is not None else [])

    def _input_shape(self, generator=None):
        network = generator or self.generator
        shape = getattr(network, "inputs", None)
        return tuple(shape[0].shape[1:]) if shape else None

    # --- serialization ----------------------------------------------------

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key, value in config.items():
            if isinstance(value, dict) and "class_name" in value and "config" in value:
                config[key] = keras.saving.deserialize_keras_object(value)
        return cls(**config)


def _check_weights(defaults, given, model_class):
    weights = dict(defaults)
    unknown = set(given or {}) - set(defaults)
    if unknown:
        raise ValueError(
            f"{model_class.__name__} has no loss term(s) {sorted(unknown)}; its `loss_weights` "
            f"are {sorted(defaults)}.")
    for name, value in (given or {}).items():
        if isinstance(value, bool) or not float(value) >= 0:
            raise ValueError(f"loss_weights[{name!r}] must be a number >= 0. Received: {value!r}")
        weights[name] = float(value)
    return weights


def _compatible(expected, actual):
    return len(expected) == len(actual) and all(
        e is None or e == a for e, a in zip(expected, actual))


def _flat_logits(logits):
    """One logit tensor from one or several scales (for penalties)."""
    if not isinstance(logits, list):
        return logits
    batch = tf.shape(logits[0])[0]
    return tf.concat([tf.reshape(tf.cast(x, tf.float32), [batch, -1]) for x in logits], axis=1)


def _mean_logit(logits):
    if isinstance(logits, list):
        return tf.add_n([tf.reduce_mean(tf.cast(x, tf.float32)) for x in logits]) / len(logits)
    return tf.reduce_mean(tf.cast(logits, tf.float32))


def _feature_matching(real_out, fake_out):
    """pix2pixHD's discriminator feature matching: L1 between the
    intermediate features of real and generated images, summed over layers and
    averaged over scales (Wang et al. 2018, eq. 4)."""
    if not (isinstance(fake_out, (list, tuple)) and isinstance(fake_out[0], (list, tuple))):
        raise ValueError(
            "loss_weights['feature_matching'] > 0 needs a discriminator that returns its "
            "features: build it with keras_gan.networks.multiscale_discriminator.")
    total = 0.0
    for real_scale, fake_scale in zip(real_out, fake_out):
        for real, fake in zip(real_scale[:-1], fake_scale[:-1]):
            total += tf.reduce_mean(tf.abs(tf.stop_gradient(tf.cast(real, tf.float32))
                                           - tf.cast(fake, tf.float32)))
    return total / len(fake_out)
