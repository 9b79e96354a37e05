"""The one adversarial training engine that every GAN variant configures."""

import itertools

import keras
import numpy as np
import tensorflow as tf

from keras_gan import _replicas
from keras_gan import losses as losses_lib
from keras_gan import regularizers
from keras_gan.constraints import apply_weight_clip
from keras_gan.models._guard import NonFiniteGuard
from keras_gan.models._sampling import SamplingMixin
from keras_gan.models._validation import (
    check_array_range,
    shapes_compatible,
    validate_networks,
)

# Stream numbers of the stateless random draws inside one training step: each
# discriminator step owns a block of `_STREAMS_PER_STEP` draws, the generator
# step the block after the last discriminator step.
_STREAMS_PER_STEP = 64
_EVAL_STREAM = 1 << 20


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(SamplingMixin, keras.Model):
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
    float32) and under XLA (`compile(jit_compile=True)`).

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

    Logged metrics: `d_loss` (adversarial loss plus weighted penalties),
    `g_loss`, each penalty unweighted under its name (e.g. `gp`),
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

    def generate_images(self, latents, labels=None, training=False, generator=None):
        """Runs `generator` (default `self.generator`; sampling from the
        averaged generator passes `self.ema_generator`)."""
        network = self.generator if generator is None else generator
        return network(self.generator_inputs(latents, labels), training=training)

    def discriminate(self, images, labels=None, training=False):
        """Runs the discriminator and returns logits."""
        return self.discriminator(self.discriminator_inputs(images, labels), training=training)

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
            penalties: list of discriminator penalties (names such as `"gp"`,
                `"r1"`, or `keras_gan.regularizers.Penalty` objects).
            d_steps: discriminator updates per generator update.
            weight_clip: clip every discriminator weight to
                `[-weight_clip, weight_clip]` after each update (WGAN); `False`
                or `0` turns off a variant's default.
            auto_scale_loss: wrap both optimizers in
                `keras.optimizers.LossScaleOptimizer` under the
                `"mixed_float16"` policy.
            **kwargs: `keras.Model.compile` arguments such as `jit_compile`,
                `steps_per_execution` and `run_eagerly`.
        """
        for name in ("optimizer", "loss_weights", "metrics", "weighted_metrics"):
            if kwargs.get(name) is not None:
                raise ValueError(
                    f"GAN.compile does not take `{name}`: use `d_optimizer`, "
                    "`g_optimizer`, `loss` and `penalties`. Received: "
                    f"{name}={kwargs[name]!r}"
                )
        defaults = self.default_compile_args()
        d_optimizer = defaults["d_optimizer"] if d_optimizer is None else d_optimizer
        g_optimizer = defaults["g_optimizer"] if g_optimizer is None else g_optimizer
        loss = defaults["loss"] if loss is None else loss
        penalties = defaults["penalties"] if penalties is None else penalties
        d_steps = defaults["d_steps"] if d_steps is None else d_steps
        weight_clip = defaults["weight_clip"] if weight_clip is None else weight_clip

        d_optimizer = keras.optimizers.get(d_optimizer)
        g_optimizer = keras.optimizers.get(g_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError(
                "`d_optimizer` and `g_optimizer` must be two optimizer instances: "
                "one instance would mix the two networks' moment estimates."
            )
        if not (isinstance(d_steps, (int, np.integer)) and d_steps >= 1):
            raise ValueError(
                f"`d_steps` must be a positive integer. Received: d_steps={d_steps!r}"
            )
        if isinstance(penalties, (str, dict, regularizers.Penalty)):
            penalties = [penalties]
        penalties = tuple(regularizers.get(p) for p in penalties)
        names = [p.name for p in penalties]
        reserved = {"d_loss", "g_loss", "real_logits", "fake_logits", "d_grad_norm", "g_grad_norm"}
        if len(set(names)) != len(names) or reserved & set(names):
            raise ValueError(
                f"Penalty names must be unique and differ from {sorted(reserved)}. "
                f"Received names: {names}. Pass `name=` to a penalty to rename it."
            )

        if auto_scale_loss and self._uses_float16():
            d_optimizer = _loss_scaled(d_optimizer, "d_loss_scale_optimizer")
            g_optimizer = _loss_scaled(g_optimizer, "g_loss_scale_optimizer")
        if weight_clip:
            apply_weight_clip(self.discriminator, weight_clip)

        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = losses_lib.get(loss)
        self.penalties = penalties
        self.d_steps = int(d_steps)
        self.weight_clip = float(weight_clip) if weight_clip else 0.0
        # Build the optimizers on their variables now: MirroredStrategy with two
        # optimizers fails at the first step otherwise, and load_model needs
        # their slots to exist before restoring them.
        for optimizer, network in ((d_optimizer, self.discriminator), (g_optimizer, self.generator)):
            if not optimizer.built:
                optimizer.build(network.trainable_variables)
        # Trackers are plain Python state (their values are not saved).
        self.__dict__["_trackers"] = {
            name: keras.metrics.Mean(name=name)
            for name in ["d_loss", "g_loss", *names, "real_logits", "fake_logits",
                         "d_grad_norm", "g_grad_norm"]
        }
        self._user_compile_kwargs = dict(kwargs)
        super().compile(optimizer=None, loss=None, auto_scale_loss=False, **kwargs)

    def _uses_float16(self):
        policies = [self.dtype_policy, self.generator.dtype_policy, self.discriminator.dtype_policy]
        return any(p.compute_dtype == "float16" for p in policies)

    @property
    def metrics(self):
        return list(self.__dict__.get("_trackers", {}).values())

    # --- training ---------------------------------------------------------

    def train_step(self, data):
        real, labels = self._unpack(data)
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
        latents = self._draw("normal", batch, (self.latent_dim,), step, next(streams))
        fake = tf.stop_gradient(self.generate_images(latents, labels, training=True))
        critic = lambda x: self.discriminate(x, labels, training=True)  # noqa: E731
        network = self.discriminator
        with tf.GradientTape() as tape:
            real_logits = critic(real)
            fake_logits = critic(fake)
            d_loss = self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits)
            for penalty in self.penalties:
                noise = self._noise_fn(batch, step, next(streams))
                d_loss += self._penalty_term(penalty, critic, real, fake, noise, step, index)
            scaled = self.d_optimizer.scale_loss(_replicas.scale_for_replicas(d_loss))
        self._apply(self.d_optimizer, tape, scaled, network.trainable_variables, "d_grad_norm")
        self._trackers["d_loss"].update_state(d_loss)
        self._trackers["real_logits"].update_state(tf.reduce_mean(tf.cast(real_logits, tf.float32)))
        self._trackers["fake_logits"].update_state(tf.reduce_mean(tf.cast(fake_logits, tf.float32)))

    def _generator_step(self, real, labels, batch, step):
        stream = self.d_steps * _STREAMS_PER_STEP
        latents = self._draw("normal", batch, (self.latent_dim,), step, stream)
        with tf.GradientTape() as tape:
            fake = self.generate_images(latents, labels, training=True)
            fake_logits = self.discriminate(fake, labels, training=True)
            real_logits = None
            if self.loss_fn.generator_needs_real_logits:
                real_logits = self.discriminate(real, labels, training=True)
            g_loss = self.generator_loss(fake_logits=fake_logits, real_logits=real_logits)
            scaled = self.g_optimizer.scale_loss(_replicas.scale_for_replicas(g_loss))
        self._apply(self.g_optimizer, tape, scaled, self.generator.trainable_variables, "g_grad_norm")
        self._trackers["g_loss"].update_state(g_loss)

    def _penalty_term(self, penalty, critic, real, fake, noise, step, index):
        """The weighted penalty; with `interval > 1`, evaluated lazily."""
        tracker = self._trackers[penalty.name]

        def compute():
            return tf.cast(penalty(critic, real=real, fake=fake, noise=noise), tf.float32)

        if penalty.interval == 1:
            value = compute()
            tracker.update_state(value)
        else:
            d_update = step * self.d_steps + index
            due = tf.equal(d_update % penalty.interval, 0)
            value = tf.cond(due, compute, lambda: tf.zeros((), tf.float32))
            tracker.update_state(value, sample_weight=tf.cast(due, tf.float32))
        return value * (penalty.weight * penalty.interval)

    def _apply(self, optimizer, tape, scaled_loss, variables, norm_name):
        grads = tape.gradient(scaled_loss, variables)
        present = [g for g in grads if g is not None]
        if present:
            _, num_replicas = _replicas.replica_context()
            unscale = num_replicas / optimizer.scale_loss(tf.constant(1.0, tf.float32))
            norm = tf.linalg.global_norm([tf.cast(g, tf.float32) for g in present]) * unscale
            self._trackers[norm_name].update_state(
                norm, sample_weight=tf.cast(tf.math.is_finite(norm), tf.float32)
            )
        optimizer.apply(grads, variables)

    def _draw(self, kind, batch, sample_shape, step, stream, substream=0):
        seed = _replicas.stateless_seed(self.seed, step, stream, substream)
        return _replicas.draw_global_slice(kind, batch, sample_shape, seed)

    def _noise_fn(self, batch, step, stream):
        """The `noise(kind, sample_shape)` callable handed to a penalty."""
        substreams = itertools.count(1)

        def noise(kind, sample_shape):
            return self._draw(kind, batch, tuple(sample_shape), step, stream, next(substreams))

        return noise

    def _unpack(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, (tuple, list)) and y is None and len(x) == 2:
            x, y = x
        x = tf.convert_to_tensor(x)
        if x.dtype.is_integer or x.dtype == tf.bool:
            raise TypeError(
                f"GAN training received images of dtype {x.dtype.name}. The engine "
                "expects floats in [-1, 1]: scale them first, e.g. "
                "`images.astype('float32') / 127.5 - 1`, or load them with "
                "keras_gan.data.load_images."
            )
        if not shapes_compatible(self._sample_shape, tuple(x.shape[1:])):
            raise ValueError(
                f"Real samples have shape {tuple(x.shape[1:])} but the generator "
                f"produces {self._sample_shape}. Resize the data or build the "
                "networks for the data's resolution and channel count."
            )
        return tf.cast(x, tf.float32), self.prepare_labels(y)

    def test_step(self, data):
        real, labels = self._unpack(data)
        batch = tf.shape(real)[0]
        latents = self._draw("normal", batch, (self.latent_dim,), self.step_counter, _EVAL_STREAM)
        fake = self.generate_images(latents, labels, training=False)
        real_logits = self.discriminate(real, labels, training=False)
        fake_logits = self.discriminate(fake, labels, training=False)
        values = {
            "d_loss": self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits),
            "g_loss": self.generator_loss(fake_logits=fake_logits, real_logits=real_logits),
            "real_logits": tf.reduce_mean(tf.cast(real_logits, tf.float32)),
            "fake_logits": tf.reduce_mean(tf.cast(fake_logits, tf.float32)),
        }
        for name, value in values.items():
            self._trackers[name].update_state(value)
        return _replicas.logs_for_keras({name: self._trackers[name].result() for name in values})

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto",
            callbacks=None, **kwargs):
        """`keras.Model.fit`, with input checks and a non-finite loss guard.

        Training stops with `keras_gan.NonFiniteLossError` naming the loss and
        step when `d_loss` or `g_loss` becomes NaN or infinite. keras-gan
        callbacks run before the others (`GeneratorEMA` first), so
        `ModelCheckpoint`, `CSVLogger` or `EarlyStopping` see the metrics that
        `Evaluation` logs, and `BackupAndRestore` finds the averaged generator.
        """
        if not self.compiled:
            raise RuntimeError(
                f"{type(self).__name__}.fit was called before compile(). Call "
                f"`model.compile()` for the published defaults, or e.g. "
                "`model.compile(d_optimizer=..., g_optimizer=..., loss='hinge')`."
            )
        check_array_range(x)
        if isinstance(x, tf.data.Dataset):
            # A dataset is shuffled by its pipeline; Keras warns if asked to.
            kwargs.setdefault("shuffle", False)
        callbacks = _ordered_callbacks(callbacks)
        if not any(isinstance(c, NonFiniteGuard) for c in callbacks):
            callbacks.append(NonFiniteGuard())
        return super().fit(x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                           callbacks=callbacks, **kwargs)

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

    def get_compile_config(self):
        if not self.compiled:
            return {}
        serialize = keras.saving.serialize_keras_object
        return {
            "d_optimizer": serialize(self.d_optimizer),
            "g_optimizer": serialize(self.g_optimizer),
            "loss": serialize(self.loss_fn),
            "penalties": [serialize(p) for p in self.penalties],
            "d_steps": self.d_steps,
            "weight_clip": self.weight_clip or False,
            **self._user_compile_kwargs,
        }

    def compile_from_config(self, config):
        config = dict(config)
        deserialize = keras.saving.deserialize_keras_object
        for key in ("d_optimizer", "g_optimizer", "loss"):
            config[key] = deserialize(config[key])
        config["penalties"] = [deserialize(p) for p in config["penalties"]]
        self.compile(**config)


def _loss_scaled(optimizer, name):
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer, name=name)


def _ordered_callbacks(callbacks):
    """keras-gan callbacks first (the EMA before the ones that sample), the
    user's order otherwise kept."""
    from keras_gan.callbacks import GeneratorEMA
    from keras_gan.callbacks._base import GANCallback

    def rank(callback):
        if isinstance(callback, GeneratorEMA):
            return 0
        return 1 if isinstance(callback, GANCallback) else 2

    return sorted(list(callbacks or []), key=rank)
