"""The one adversarial training engine that every GAN variant configures."""

import itertools

import keras
import numpy as np
import tensorflow as tf

from keras_gan import _replicas
from keras_gan import losses as losses_lib
from keras_gan.constraints import apply_weight_clip
from keras_gan.models import _tricks
from keras_gan.models._fitting import FitMixin
from keras_gan.models._sampling import SamplingMixin
from keras_gan.models._steps import StepMixin, loss_scaled
from keras_gan.models._validation import check_compile_args, validate_networks

# Stream numbers of the stateless random draws inside one training step: each
# discriminator step owns a block of `_STREAMS_PER_STEP` draws, the generator
# step the block after the last discriminator step.
_STREAMS_PER_STEP = 64


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(FitMixin, SamplingMixin, StepMixin, keras.Model):
    """A generative adversarial network trained with `fit()`.

    Each `train_step` performs `d_steps` discriminator updates on the batch it
    receives (fresh latents for each), then one generator update. The loss
    family, penalties, optimizers and `d_steps` are chosen in `compile()`;
    named variants (`WGAN`, `WGANGP`, `LSGAN`, `DRAGAN`, `SNGAN`) only change
    the defaults of `compile()`.

    The training step is correct under `tf.distribute` (losses are divided by
    the number of replicas; each replica uses its own slice of one global
    random draw, so 1 or N devices give the same weights), under mixed
    precision (both optimizers get loss scaling; penalties differentiate in
    float32) and under XLA, which `compile()` turns on by default, on CPU too
    (`jit_compile="auto"`; see `StepMixin._resolve_auto_jit_compile`).

    Randomness comes from stateless generators keyed by `(seed, step)`, where
    `step` is a saved variable: a model reloaded with
    `keras.models.load_model` continues with exactly the latents an
    uninterrupted run would have drawn.

    Args:
        generator: a `keras.Model` mapping latents `(batch, latent_dim)` to
            samples.
        discriminator: a `keras.Model` mapping samples to per-sample
            **logits** (any rank with a leading batch axis; higher means
            "more real"). Networks with BatchNorm should use
            `BatchNormalization(synchronized=True)` for identical results on
            one and several replicas.
        latent_dim: the size of the latent vector.
        seed: integer seed of the training randomness. Drawn from NumPy's
            global generator when omitted, so `keras.utils.set_random_seed`
            makes runs reproducible.
        generator_ema: create `ema_generator`, an averaged copy of the
            generator (the `GeneratorEMA` callback adds it when missing).
        **kwargs: `keras.Model` arguments such as `name`.

    Logged metrics: `d_loss` (adversarial loss plus weighted penalties,
    auxiliary terms and the networks' own regularization losses, such as a
    layer's `kernel_regularizer`), `g_loss`, each penalty unweighted under its
    name (e.g. `gp`), the auxiliary terms of variants (e.g. ACGAN's
    `d_class_loss`),
    `real_logits` and `fake_logits` (mean discriminator outputs), and
    `d_grad_norm` / `g_grad_norm` (global L2 norm of each network's gradient
    on one replica's batch).

    Example:

    ```python
    gan = keras_gan.GAN(generator, discriminator, latent_dim=64)
    gan.compile(loss="hinge")
    gan.fit(images, batch_size=64, epochs=10)
    samples = gan.generate(16)
    ```

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014.
        https://arxiv.org/abs/1406.2661
    """

    def __init__(self, generator, discriminator, latent_dim, seed=None, generator_ema=False,
                 **kwargs):
        super().__init__(**kwargs)
        for role, network in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(
                    f"`{role}` must be a keras.Model (or keras.layers.Layer). "
                    f"Received: {role}={network!r}"
                )
        if not (isinstance(latent_dim, (int, np.integer)) and latent_dim > 0):
            raise ValueError(
                f"`latent_dim` must be a positive integer. Received: latent_dim={latent_dim!r}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.seed = int(np.random.randint(0, 2**31 - 1) if seed is None else seed)
        # The position in the random stream; saved with the model so a
        # resumed run draws what the uninterrupted run would have drawn.
        self.step_counter = self.add_weight(
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            name="step_counter",
            aggregation="only_first_replica",
        )
        self._sample_shape = validate_networks(self)
        self.ema_generator = None
        self._generate_functions = {}
        self.built = True
        if generator_ema:
            self.add_ema_generator()

    # --- hooks that variants override ------------------------------------

    def labels_spec(self, batch_size):
        """Symbolic labels passed to `generate_images`/`discriminate` when the
        networks are checked; None for unconditional models."""
        return None

    def generator_inputs(self, latents, labels=None):
        """What the generator is called on: the latents here; conditional
        variants add the labels."""
        del labels
        return latents

    def discriminator_inputs(self, images, labels=None):
        """What the discriminator is called on: the images here; conditional
        variants add the labels."""
        del labels
        return images

    def training_latents(self, noise):
        """The generator's latents for one training batch, drawn with
        `noise(kind, sample_shape)` (`kind` is "normal" or "uniform");
        InfoGAN adds its codes here."""
        return noise("normal", (self.latent_dim,))

    def generate_images(self, latents, labels=None, training=False, generator=None):
        """Runs `generator` (default `self.generator`; sampling from the
        averaged generator passes `self.ema_generator`)."""
        network = self.generator if generator is None else generator
        return network(self.generator_inputs(latents, labels), training=training)

    def discriminator_outputs(self, images, labels=None, training=False):
        """Runs the discriminator and returns all of its outputs."""
        return self.discriminator(self.discriminator_inputs(images, labels), training=training)

    def split_outputs(self, outputs):
        """`(adversarial logits, auxiliary outputs or None)` from the
        discriminator's outputs; ACGAN and InfoGAN have a second head."""
        return outputs, None

    def discriminate(self, images, labels=None, training=False):
        """Runs the discriminator and returns the adversarial logits."""
        return self.split_outputs(self.discriminator_outputs(images, labels, training))[0]

    def auxiliary_names(self):
        """Names of the values the two `*_terms` hooks return (for logging)."""
        return []

    def discriminator_terms(self, *, real_aux, fake_aux, labels, latents):
        """`(losses, logs)`: extra weighted loss terms added to the
        discriminator loss, and values only logged; both dicts by name."""
        return {}, {}

    def generator_terms(self, *, fake_aux, labels, latents):
        """`(losses, logs)` added to / logged with the generator loss."""
        return {}, {}

    def prepare_real(self, real):
        """Real images as the discriminator sees them (ProGAN fades them to
        the current level of detail)."""
        return real

    def intermediate_latents(self, latents, labels=None):
        """`(w, synthesize)`: the latents a generator penalty differentiates
        at and the map from them to images. Here the input latents and the
        generator; style-based models return the mapped `w` and their
        synthesis network."""
        return latents, lambda w: self.generate_images(w, labels, training=True)

    def condition_on(self, real, labels):
        """What the training step passes to the hooks as `labels`: the data's
        labels here; LAPGAN conditions on the real Laplacian pyramid."""
        del real
        return labels

    def prepare_labels(self, labels):
        """Labels from the data, as the networks take them (unconditional
        models ignore them)."""
        return labels

    def discriminator_loss(self, *, real_logits, fake_logits):
        """The adversarial part of the discriminator loss."""
        return self.loss_fn.discriminator_loss(
            real_logits=real_logits, fake_logits=fake_logits
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        """The generator loss."""
        return self.loss_fn.generator_loss(
            fake_logits=fake_logits, real_logits=real_logits
        )

    def default_compile_args(self):
        """Published defaults used for every `compile()` argument left as None."""
        return {
            "d_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "g_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "loss": "non_saturating",
            "penalties": [],
            "d_steps": 1,
            "weight_clip": None,
            "feature_matching": None,
            "historical_averaging": None,
        }

    # --- compile ----------------------------------------------------------

    def compile(
        self,
        d_optimizer=None,
        g_optimizer=None,
        loss=None,
        penalties=None,
        d_steps=None,
        weight_clip=None,
        feature_matching=None,
        historical_averaging=None,
        auto_scale_loss=True,
        **kwargs,
    ):
        """Configures training. Arguments left as None take the variant's defaults.

        Args:
            d_optimizer: optimizer of the discriminator (instance or name).
            g_optimizer: optimizer of the generator; must be a different
                instance from `d_optimizer`.
            loss: an adversarial loss name (`"non_saturating"`, `"minimax"`,
                `"wasserstein"`, `"hinge"`, `"least_squares"`,
                `"relativistic_average"`) or a `keras_gan.losses.AdversarialLoss`.
            penalties: list of penalties (names such as `"gp"`, `"r1"`,
                `"drift"`, `"pl"`, or `keras_gan.regularizers.Penalty`
                objects). Those whose `applies_to` is `"generator"`
                (`PathLengthPenalty`) join the generator loss; with
                `interval=N` any penalty is evaluated lazily every N updates
                of its network.
            d_steps: discriminator updates per generator update.
            weight_clip: clip every discriminator weight to
                `[-weight_clip, weight_clip]` after each update (WGAN); `False`
                or `0` turns off a variant's default.
            feature_matching: train the generator to match the mean
                discriminator features of real data instead of the
                adversarial generator loss (Salimans et al. 2016, 3.1):
                `True` uses the layer named `"features"` (or the input of the
                discriminator's last layer), a string names the layer.
            historical_averaging: weight of `||theta - mean of past theta||^2`
                added to each network's loss (Salimans et al. 2016, 3.3).
            auto_scale_loss: wrap both optimizers in
                `keras.optimizers.LossScaleOptimizer` under the
                `"mixed_float16"` policy.
            **kwargs: `keras.Model.compile` arguments such as `jit_compile`
                (default "auto": XLA wherever the model supports it, CPU
                included, except under `tf.distribute`; `False` or the
                environment variable `KERAS_GAN_JIT=0` turn it off),
                `steps_per_execution` and `run_eagerly`.
        """
        given = dict(d_optimizer=d_optimizer, g_optimizer=g_optimizer, loss=loss,
                     penalties=penalties, d_steps=d_steps, weight_clip=weight_clip,
                     feature_matching=feature_matching,
                     historical_averaging=historical_averaging)
        args = {key: self.default_compile_args().get(key) if value is None else value
                for key, value in given.items()}
        args = check_compile_args(args, kwargs, reserved=self._reserved_names())
        d_optimizer, g_optimizer = args["d_optimizer"], args["g_optimizer"]
        weight_clip, penalties = args["weight_clip"], args["penalties"]
        if auto_scale_loss and self._uses_float16():
            d_optimizer = loss_scaled(d_optimizer, "d_loss_scale_optimizer")
            g_optimizer = loss_scaled(g_optimizer, "g_loss_scale_optimizer")
        if weight_clip:
            apply_weight_clip(self.discriminator, weight_clip)

        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = losses_lib.get(args["loss"])
        self.penalties = penalties
        self.__dict__["_d_penalties"] = [p for p in penalties if p.applies_to != "generator"]
        self.__dict__["_g_penalties"] = [p for p in penalties if p.applies_to == "generator"]
        self._add_penalty_means()
        self.d_steps = args["d_steps"]
        self.weight_clip = float(weight_clip) if weight_clip else 0.0
        self.feature_matching = args["feature_matching"] or None
        self.historical_averaging = float(args["historical_averaging"] or 0.0)
        self.__dict__["_feature_model"] = (
            _tricks.feature_model(self.discriminator, self.feature_matching)
            if self.feature_matching else None)
        self._add_history()
        # Build the optimizers on their variables now: MirroredStrategy with two
        # optimizers fails at the first step otherwise, and load_model needs
        # their slots to exist before restoring them.
        for optimizer, network in ((d_optimizer, self.discriminator), (g_optimizer, self.generator)):
            if not optimizer.built:
                optimizer.build(network.trainable_variables)
        # Trackers are plain Python state (their values are not saved).
        self.__dict__["_trackers"] = {
            name: keras.metrics.Mean(name=name)
            for name in ["d_loss", "g_loss", *(p.name for p in penalties),
                         *self.auxiliary_names(), "real_logits", "fake_logits",
                         "d_grad_norm", "g_grad_norm"]
        }
        self._user_compile_kwargs = dict(kwargs)
        super().compile(optimizer=None, loss=None, auto_scale_loss=False, **kwargs)

    def _reserved_names(self):
        return {"d_loss", "g_loss", "real_logits", "fake_logits", "d_grad_norm", "g_grad_norm",
                *self.auxiliary_names()}

    def _add_history(self):
        if not self.historical_averaging:
            self.__dict__["_history"] = None
            return
        history = getattr(self, "historical_average", None)
        if history is None or history.weight != self.historical_averaging:
            with self.distribute_strategy.scope():
                history = _tricks.HistoricalAverage(
                    {"d": self.discriminator, "g": self.generator}, self.historical_averaging,
                    name="historical_average")
            self._attach("historical_average", history)
        self.__dict__["_history"] = history

    def _add_penalty_means(self):
        """The saved running means of generator penalties (path length)."""
        names = [p.name for p in self._g_penalties]
        means = getattr(self, "penalty_means", None)
        if names and (means is None or means.names != names):
            with self.distribute_strategy.scope():
                self._attach("penalty_means", _tricks.RunningMeans(names, name="penalty_means"))

    @property
    def metrics(self):
        return list(self.__dict__.get("_trackers", {}).values())

    # --- training ---------------------------------------------------------

    def train_step(self, data):
        real, labels = self._unpack(data)
        real = self.prepare_real(real)
        labels = self.condition_on(real, labels)
        batch = tf.shape(real)[0]
        step = tf.convert_to_tensor(self.step_counter)
        for index in range(self.d_steps):
            self._discriminator_step(real, labels, batch, step, index)
        self._generator_step(real, labels, batch, step)
        self.step_counter.assign_add(1)
        return _replicas.logs_for_keras(
            {name: tracker.result() for name, tracker in self._trackers.items()})

    def _discriminator_step(self, real, labels, batch, step, index):
        streams = itertools.count(index * _STREAMS_PER_STEP)
        latents = self.training_latents(self._noise_fn(batch, step, next(streams), first=0))
        fake = keras.tree.map_structure(
            tf.stop_gradient, self.generate_images(latents, labels, training=True))
        critic = lambda x: self.discriminate(x, labels, training=True)  # noqa: E731
        network = self.discriminator
        with tf.GradientTape() as tape:
            real_logits, real_aux = self.split_outputs(
                self.discriminator_outputs(real, labels, training=True))
            fake_logits, fake_aux = self.split_outputs(
                self.discriminator_outputs(fake, labels, training=True))
            d_loss = self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits)
            d_loss += self._extra_terms(self.discriminator_terms(
                real_aux=real_aux, fake_aux=fake_aux, labels=labels, latents=latents), network, "d")
            for penalty in self._d_penalties:
                noise = self._noise_fn(batch, step, next(streams))
                d_loss += self._penalty_term(penalty, critic, real, fake, noise, step, index)
            scaled = self.d_optimizer.scale_loss(_replicas.scale_for_replicas(d_loss))
        self._apply(self.d_optimizer, tape, scaled, network.trainable_variables, "d_grad_norm")
        self._trackers["d_loss"].update_state(d_loss)
        self._trackers["real_logits"].update_state(tf.reduce_mean(tf.cast(real_logits, tf.float32)))
        self._trackers["fake_logits"].update_state(tf.reduce_mean(tf.cast(fake_logits, tf.float32)))

    def _generator_step(self, real, labels, batch, step):
        stream = self.d_steps * _STREAMS_PER_STEP
        latents = self.training_latents(self._noise_fn(batch, step, stream, first=0))
        with tf.GradientTape() as tape:
            fake = self.generate_images(latents, labels, training=True)
            if self._feature_model is not None:
                fake_out, fake_features = self._with_features(fake, labels)
                _, real_features = self._with_features(real, labels)
                fake_logits, fake_aux = self.split_outputs(fake_out)
                g_loss = _tricks.feature_matching_loss(real_features, fake_features)
            else:
                fake_logits, fake_aux = self.split_outputs(
                    self.discriminator_outputs(fake, labels, training=True))
                real_logits = None
                if self.loss_fn.generator_needs_real_logits:
                    real_logits = self.discriminate(real, labels, training=True)
                g_loss = self.generator_loss(fake_logits=fake_logits, real_logits=real_logits)
            g_loss += self._extra_terms(self.generator_terms(
                fake_aux=fake_aux, labels=labels, latents=latents), self.generator, "g")
            for number, penalty in enumerate(self._g_penalties, start=1):
                g_loss += self._generator_penalty(penalty, latents, labels, batch, step,
                                                  stream + number)
            scaled = self.g_optimizer.scale_loss(_replicas.scale_for_replicas(g_loss))
        self._apply(self.g_optimizer, tape, scaled, self.generator.trainable_variables, "g_grad_norm")
        self._trackers["g_loss"].update_state(g_loss)
        if self._history is not None:
            self._history.update()

    def _generator_penalty(self, penalty, latents, labels, batch, step, stream):
        mean = self.penalty_means.means[penalty.name]

        def compute():
            w, synthesize = self.intermediate_latents(latents, labels)
            noise = self._draw("normal", batch, self._sample_shape, step, stream)
            value, new_mean = penalty(synthesize, latents=w, noise=noise,
                                      mean=tf.convert_to_tensor(mean))
            mean.assign(new_mean)
            return value

        return self._lazy_term(penalty, compute, step)

    def _with_features(self, images, labels):
        """The discriminator's outputs and feature-matching features in one call."""
        *outputs, features = self._feature_model(
            self.discriminator_inputs(images, labels), training=True)
        return (outputs[0] if len(outputs) == 1 else outputs), features

    def _extra_terms(self, terms, network, role):
        """Adds up a variant's auxiliary losses (tracking them and its logs), the
        network's own regularization losses and the historical average."""
        losses, logs = terms
        total = tf.zeros((), tf.float32)
        for name, value in {**losses, **logs}.items():
            value = tf.cast(value, tf.float32)
            self._trackers[name].update_state(value)
            if name in losses:
                total += value
        if network.losses:
            total += tf.add_n([tf.cast(x, tf.float32) for x in network.losses])
        if self._history is not None:
            total += self._history.penalty(role)
        return total

    # --- generation -------------------------------------------------------

    def call(self, latents, training=False):
        """Generates samples from latents of shape `(batch, latent_dim)`."""
        return self.generate_images(latents, training=training)

    # --- serialization ----------------------------------------------------

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "seed": self.seed,
            "generator_ema": self.ema_generator is not None,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    def _compile_config_extras(self):
        return {
            "weight_clip": self.weight_clip or False,
            "feature_matching": self.feature_matching or False,
            "historical_averaging": self.historical_averaging or False,
        }
