"""The engine of image-to-image GANs: a generator that maps images to images."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import _replicas
from keras_gan import losses as losses_lib
from keras_gan.metrics.image_quality import psnr, ssim
from keras_gan.models._fitting import FitMixin
from keras_gan.models._steps import StepMixin, loss_scaled
from keras_gan.models._validation import check_compile_args

_STREAMS_PER_STEP = 64


class ImageToImageGAN(FitMixin, StepMixin, keras.Model):
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
    `generator_inputs`, `critic_inputs`, `discriminated`, `generator_terms`.

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
        super().__init__(**kwargs)
        for role, network in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(f"`{role}` must be a keras.Model. Received: {role}={network!r}")
        self.generator = generator
        self.discriminator = discriminator
        self.seed = int(np.random.randint(0, 2**31 - 1) if seed is None else seed)
        self.step_counter = self.add_weight(
            shape=(), dtype="int64", initializer="zeros", trainable=False,
            name="step_counter", aggregation="only_first_replica")
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
            self.discriminator(self.critic_inputs(inputs, fake, labels))
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

    def critic_inputs(self, inputs, images, labels):
        """What the discriminator is called on for real or generated `images`."""
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

    def generator_variables(self):
        return self.generator.trainable_variables

    def discriminator_variables(self):
        return self.discriminator.trainable_variables

    # --- compile ----------------------------------------------------------

    def compile(self, d_optimizer=None, g_optimizer=None, loss=None, penalties=None,
                d_steps=None, loss_weights=None, auto_scale_loss=True, **kwargs):
        """Configures training; arguments left as None take the model's
        published defaults.

        Args:
            d_optimizer, g_optimizer: the two optimizers (instances or names).
            loss: adversarial loss name or `keras_gan.losses.AdversarialLoss`.
            penalties: discriminator penalties (e.g. `["gp"]`).
            d_steps: discriminator updates per generator update.
            loss_weights: dict of weights of the generator's loss terms, by
                name (`"adversarial"` and the model's own terms, e.g.
                Pix2Pix's `"l1"`); names left out keep their defaults.
            auto_scale_loss: loss scaling under the `"mixed_float16"` policy.
            **kwargs: `keras.Model.compile` arguments (`jit_compile`, ...).
        """
        defaults = self.default_compile_args()
        given = dict(d_optimizer=d_optimizer, g_optimizer=g_optimizer, loss=loss,
                     penalties=penalties, d_steps=d_steps)
        args = {k: defaults[k] if v is None else v for k, v in given.items()}
        args = check_compile_args(args, kwargs, reserved=self._reserved_names())
        self.loss_weights = _check_weights(defaults["loss_weights"], loss_weights, type(self))
        d_optimizer, g_optimizer = args["d_optimizer"], args["g_optimizer"]
        if auto_scale_loss and self._uses_float16():
            d_optimizer = loss_scaled(d_optimizer, "d_loss_scale_optimizer")
            g_optimizer = loss_scaled(g_optimizer, "g_loss_scale_optimizer")
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.loss_fn = losses_lib.get(args["loss"])
        self.penalties = args["penalties"]
        generator_penalties = [p.name for p in self.penalties if p.applies_to == "generator"]
        if generator_penalties:
            raise ValueError(
                f"{type(self).__name__} takes discriminator penalties only; "
                f"{generator_penalties} regularize a latent-to-image generator (use keras_gan.GAN "
                "or StyleGAN2).")
        self.d_steps = args["d_steps"]
        for optimizer, variables in ((d_optimizer, self.discriminator_variables()),
                                     (g_optimizer, self.generator_variables())):
            if not optimizer.built:
                optimizer.build(variables)
        self.__dict__["_trackers"] = {
            name: keras.metrics.Mean(name=name)
            for name in ["d_loss", "g_loss", *(p.name for p in self.penalties),
                         *self._term_names(), "d_grad_norm", "g_grad_norm"]}
        self._user_compile_kwargs = dict(kwargs)
        super().compile(optimizer=None, loss=None, auto_scale_loss=False, **kwargs)

    def _term_names(self):
        names = [name for name in self.loss_weights if name != "adversarial"]
        names += ["g_adversarial", "real_logits", "fake_logits"]
        return names + (["psnr", "ssim"] if self.reports_quality else [])

    def _reserved_names(self):
        defaults = self.default_compile_args()["loss_weights"]
        return {"d_loss", "g_loss", "real_logits", "fake_logits", "d_grad_norm", "g_grad_norm",
                "g_adversarial", "psnr", "ssim", *defaults}

    @property
    def metrics(self):
        return list(self.__dict__.get("_trackers", {}).values())

    # --- training ---------------------------------------------------------

    def train_step(self, data):
        step = tf.convert_to_tensor(self.step_counter)
        inputs, targets, labels = self.split_data(data, step)
        batch = tf.shape(targets)[0]
        for index in range(self.d_steps):
            fake = tf.stop_gradient(self.translate_batch(inputs, labels, training=True))
            fake = self.discriminated(fake, inputs, targets, labels)
            with tf.GradientTape() as tape:
                d_loss = self.adversarial_d_loss(
                    lambda x: self.critic_inputs(inputs, x, labels), targets, fake,
                    self._noise_fn(batch, step, index * _STREAMS_PER_STEP), step, index)
            self._update(self.d_optimizer, tape, d_loss, self.discriminator_variables(), "d")
        with tf.GradientTape() as tape:
            fake = self.translate_batch(inputs, labels, training=True)
            judged = self.discriminated(fake, inputs, targets, labels)
            terms = self.generator_terms(inputs=inputs, targets=targets, fake=fake, labels=labels)
            g_loss = self.weighted_generator_loss(
                lambda x: self.critic_inputs(inputs, x, labels), targets, judged, terms)
        self._update(self.g_optimizer, tape, g_loss, self.generator_variables(), "g")
        if self.reports_quality:
            self._report_quality(fake, targets)
        self.step_counter.assign_add(1)
        return self._logs()

    def test_step(self, data):
        """Generator terms, adversarial losses and PSNR/SSIM on held-out pairs."""
        step = tf.convert_to_tensor(self.step_counter)
        inputs, targets, labels = self.split_data(data, step)
        fake = self.translate_batch(inputs, labels, training=False)
        judged = self.discriminated(fake, inputs, targets, labels)
        critic = lambda x: self.critic_inputs(inputs, x, labels)  # noqa: E731
        real_logits = self._logits(self.discriminator(critic(targets), training=False))
        fake_logits = self._logits(self.discriminator(critic(judged), training=False))
        terms = self.generator_terms(inputs=inputs, targets=targets, fake=fake, labels=labels)
        d_loss = self._adversarial(self.loss_fn.discriminator_loss, real_logits, fake_logits)
        adversarial = self._adversarial(self.loss_fn.generator_loss, real_logits, fake_logits)
        self._trackers["d_loss"].update_state(d_loss)
        self._trackers["g_loss"].update_state(self._weighted(adversarial, terms))
        if self.reports_quality:
            self._report_quality(fake, targets)
        return self._logs()

    def translate_batch(self, inputs, labels=None, training=False):
        """Runs the generator on one batch (tensors in, tensors out)."""
        return self.generator(self.generator_inputs(inputs, labels), training=training)

    # --- pieces the steps of every image-to-image model share ---------------

    def adversarial_d_loss(self, critic_inputs, real, fake, noise, step, index=0,
                           discriminator=None):
        """The discriminator loss (adversarial + penalties + the network's own
        regularization losses), tracked; computed inside the caller's tape."""
        network = discriminator or self.discriminator
        real_out = network(critic_inputs(real), training=True)
        fake_out = network(critic_inputs(fake), training=True)
        real_logits, fake_logits = self._logits(real_out), self._logits(fake_out)
        d_loss = self._adversarial(self.loss_fn.discriminator_loss, real_logits, fake_logits)

        def critic(x):
            return _flat_logits(self._logits(network(critic_inputs(x), training=True)))

        for penalty in self.penalties:
            d_loss += self._penalty_term(penalty, critic, real, fake, noise, step, index)
        if network.losses:
            d_loss += tf.add_n([tf.cast(x, tf.float32) for x in network.losses])
        self._trackers["real_logits"].update_state(_mean_logit(real_logits))
        self._trackers["fake_logits"].update_state(_mean_logit(fake_logits))
        self._trackers["d_loss"].update_state(d_loss)
        return d_loss, (real_out, fake_out)

    def weighted_generator_loss(self, critic_inputs, real, fake, terms, discriminator=None,
                                adversarial_name="g_adversarial"):
        """`weights["adversarial"] * adversarial + sum(weights[k] * terms[k])`
        plus the generator's regularization losses, tracked term by term."""
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
        self._trackers[adversarial_name].update_state(adversarial)
        return self._weighted(adversarial, terms, track=True)

    def _weighted(self, adversarial, terms, track=False):
        total = self.loss_weights["adversarial"] * tf.cast(adversarial, tf.float32)
        for name, value in terms.items():
            value = tf.cast(value, tf.float32)
            if track:
                self._trackers[name].update_state(value)
            total += self.loss_weights[name] * value
        return total

    def _update(self, optimizer, tape, loss, variables, role):
        """Applies one optimizer update of a `role` ("d" or "g") loss computed
        in `tape` (a `(loss, outputs)` tuple is accepted)."""
        if isinstance(loss, tuple):
            loss = loss[0]
        if role == "g":
            regularization = [tf.cast(x, tf.float32) for x in self.generator_losses()]
            if regularization:
                loss += tf.add_n(regularization)
            self._trackers["g_loss"].update_state(loss)
        scaled = optimizer.scale_loss(_replicas.scale_for_replicas(loss))
        self._apply(optimizer, tape, scaled, variables, f"{role}_grad_norm")

    def generator_losses(self):
        """The generators' own regularization losses (e.g. kernel_regularizer)."""
        return list(self.generator.losses)

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

    def _report_quality(self, fake, targets):
        fake = tf.cast(fake, tf.float32)
        self._trackers["psnr"].update_state(tf.reduce_mean(psnr(fake, targets)))
        self._trackers["ssim"].update_state(tf.reduce_mean(ssim(fake, targets)))

    def _logs(self):
        return _replicas.logs_for_keras(
            {name: tracker.result() for name, tracker in self._trackers.items()})

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

    def _draw_uniform(self, batch, sample_shape, step, stream):
        return self._draw("uniform", batch, tuple(sample_shape), step, stream)

    # --- inference --------------------------------------------------------

    def call(self, inputs, training=False):
        """Translates a batch of input images."""
        return self.translate_batch(inputs, None, training=training)

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

    def _compile_config_extras(self):
        return {"loss_weights": dict(self.loss_weights)}


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
