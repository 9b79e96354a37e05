"""The one adversarial training engine that every GAN variant configures."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import _replicas
from keras_gan import augment as augment_lib
from keras_gan.constraints import apply_weight_clip
from keras_gan.models import _critic, _tricks
from keras_gan.models._sampling import SamplingMixin
from keras_gan.models._validation import shapes_compatible, validate_networks
from keras_gan.models.engine import Engine, Phase


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(SamplingMixin, Engine):
    """A generative adversarial network trained with `fit()`.

    The engine's training step runs two phases: `d_steps` discriminator
    updates on the batch it receives (fresh latents for each), then one
    generator update. The loss
    family, penalties, optimizers and `d_steps` are chosen in `compile()`;
    named variants (`WGAN`, `WGANGP`, `LSGAN`, `DRAGAN`, `SNGAN`) only change
    the defaults of `compile()`.

    The training step is correct under `tf.distribute` (losses are divided by
    the number of replicas; each replica uses its own slice of one global
    random draw, so 1 or N devices give the same weights), under mixed
    precision (both optimizers get loss scaling; penalties differentiate in
    float32) and under XLA, which the default `jit_compile="auto"` turns on
    where it measures faster on this model and machine (see
    `Engine._resolve_auto_jit_compile`).

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

    Compile options (besides those of `Engine.compile`: `d_optimizer`,
    `g_optimizer`, `loss`, `penalties`, `d_steps`, `auto_scale_loss` and
    Keras's own arguments):

    - `weight_clip`: clip every discriminator weight to
      `[-weight_clip, weight_clip]` after each update (WGAN); `False` or `0`
      turns off a variant's default.
    - `feature_matching`: train the generator to match the mean
      discriminator features of real data instead of the adversarial
      generator loss (Salimans et al. 2016, 3.1): `True` uses the layer named
      `"features"` (or the input of the discriminator's last layer), a string
      names the layer.
    - `historical_averaging`: weight of `||theta - mean of past theta||^2`
      added to each network's loss (Salimans et al. 2016, 3.3).
    - `augment`: augment every image the discriminator sees (real and fake,
      in both updates and inside penalties; see `keras_gan.augment`): a
      DiffAugment policy such as `"color,translation,cutout"` (Zhao et al.
      2020), `"ada"` (adaptive augmentation, Karras et al. 2020; its
      probability is saved with the model and logged as `augment_p`), or a
      `keras_gan.augment.DiffAugment` / `AdaptiveAugment`.
    - `lecam`: weight of the LeCam regularizer (Tseng et al. 2021):
      `E[relu(D(x) - a_F)^2] + E[relu(a_R - D(G(z)))^2]` with `a_R`, `a_F`
      exponential moving averages (decay 0.99, saved) of the mean real and
      fake logits, as the authors' code computes it; logged as `lecam`.
    - `top_k`: top-k training (Sinha et al. 2020): the generator learns only
      from the k fakes the discriminator scores highest, `k = max(decay^(t /
      every) * B, fraction * B)` of the global batch `B` at step `t`. A
      fraction (e.g. `0.5`, the paper's nu) or a dict with `fraction`,
      `decay` (0.99) and `every` (1000 steps, the paper's "epoch"); the k
      samples are chosen over all replicas. Logged as `top_k` (the count).

    Consistency regularization (CR, bCR) is a penalty:
    `penalties=["cr"]`, `["bcr"]` or `keras_gan.regularizers.ConsistencyPenalty`.

    Penalties whose `applies_to` is `"generator"` (`PathLengthPenalty`) join
    the generator loss.

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

    # Compile options of data-efficient training (set by `configure`).
    augment = None
    lecam = 0.0
    top_k = None

    def __init__(self, generator, discriminator, latent_dim, seed=None, generator_ema=False,
                 **kwargs):
        super().__init__(seed=seed, **kwargs)
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

    def intermediate_latents(self, latents, labels=None):
        """`(w, synthesize)`: the latents a generator penalty differentiates
        at and the map from them to images. Here the input latents and the
        generator; style-based models return the mapped `w` and their
        synthesis network."""
        return latents, lambda w: self.generate_images(w, labels, training=True)

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
            "augment": None,
            "lecam": None,
            "top_k": None,
        }

    # --- compile options -------------------------------------------------

    def configure(self, options):
        """`weight_clip`, `feature_matching` and `historical_averaging`
        (see the class docstring)."""
        weight = options["historical_averaging"] or 0.0
        if isinstance(weight, bool) or not float(weight) >= 0.0:
            raise ValueError(
                "`historical_averaging` must be a weight >= 0 (Salimans et al. use values "
                f"around 1e-4 to 1). Received: historical_averaging={weight!r}")
        penalties = self.penalties
        self.__dict__["_d_penalties"] = [p for p in penalties if p.applies_to != "generator"]
        self.__dict__["_g_penalties"] = [p for p in penalties if p.applies_to == "generator"]
        self._add_penalty_means()
        weight_clip = options["weight_clip"]
        if weight_clip:
            apply_weight_clip(self.discriminator, weight_clip)
        self.weight_clip = float(weight_clip) if weight_clip else 0.0
        self.feature_matching = options["feature_matching"] or None
        self.historical_averaging = float(weight)
        self.__dict__["_feature_model"] = (
            _tricks.feature_model(self.discriminator, self.feature_matching)
            if self.feature_matching else None)
        self._add_history()
        # Plain Python options, kept out of Keras's attribute tracking.
        self.__dict__["augment"] = augment_lib.get(options["augment"])
        self.__dict__["lecam"] = _check_weight("lecam", options["lecam"])
        self.__dict__["top_k"] = _check_top_k(options["top_k"])
        if self.top_k and self.loss_fn.generator_needs_real_logits:
            raise ValueError(
                f"top_k needs a generator loss that is a mean over the fakes; {self.loss_fn!r} "
                "also averages over the real logits. Use another loss or leave top_k unset.")
        self._add_training_state()
        # Saved as False, not None: None would take the variant's default on load.
        options.update(weight_clip=self.weight_clip or False,
                       feature_matching=self.feature_matching or False,
                       historical_averaging=self.historical_averaging or False,
                       augment=self.augment or False, lecam=self.lecam or False,
                       top_k=self.top_k or False)

    def log_names(self):
        names = [*self.auxiliary_names(), "real_logits", "fake_logits"]
        if isinstance(self.__dict__.get("augment"), augment_lib.AdaptiveAugment):
            names.append("augment_p")
        if self.__dict__.get("lecam"):
            names.append("lecam")
        if self.__dict__.get("top_k"):
            names.append("top_k")
        return names

    def _add_training_state(self):
        """The saved state of ADA (`augment_p` and its running sums) and
        LeCam (the moving averages), as `self.training_state`."""
        names = []
        if isinstance(self.augment, augment_lib.AdaptiveAugment):
            names += ["augment_p", "ada_sign_sum", "ada_count", "ada_updates"]
        if self.lecam:
            names += ["lecam_real", "lecam_fake", "lecam_count"]
        state = getattr(self, "training_state", None)
        if names and (state is None or state.names != names):
            with self.distribute_strategy.scope():
                state = _tricks.RunningMeans(names, name="training_state")
            self._attach("training_state", state)
            if "augment_p" in names:
                state.means["augment_p"].assign(self.augment.initial_p)

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

    # --- training: the phases -----------------------------------------------

    def phases(self):
        """`d_steps` discriminator updates, then one generator update."""
        return [Phase("d", ("discriminator",), "d_optimizer", repeats=self.d_steps),
                Phase("g", ("generator",), "g_optimizer")]

    def unpack_batch(self, data, step):
        """`{"real": images, "labels": labels or None}`: what every phase
        (and `evaluate()`) passes to the hooks."""
        real, labels = self._unpack(data)
        return {"real": real, "labels": labels}

    def phase_loss(self, phase, batch, step):
        if phase.name == "d":
            return self.discriminator_phase_loss(batch, step)
        return self.generator_phase_loss(batch, step)

    def finish_step(self, batch):
        if self._history is not None:
            self._history.update()

    def discriminator_phase_loss(self, batch, step):
        """Adversarial loss, the variant's terms and the penalties on one
        real batch and fresh fakes."""
        real, labels = batch["real"], batch["labels"]
        with step.untaped():
            latents = self.training_latents(step.noise_fn(first=0))
            fake = keras.tree.map_structure(
                tf.stop_gradient, self.generate_images(latents, labels, training=True))
        real_out, fake_out = self._critic_outputs(
            self.augmented(real, step), self.augmented(fake, step), labels)
        real_logits, real_aux = self.split_outputs(real_out)
        fake_logits, fake_aux = self.split_outputs(fake_out)
        loss = self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits)
        extra, logs = self._terms(self.discriminator_terms(
            real_aux=real_aux, fake_aux=fake_aux, labels=labels, latents=latents), "d")
        loss = tf.cast(loss, tf.float32) + extra
        critic = lambda x: self.discriminate(self.augmented(x, step), labels,  # noqa: E731
                                             training=True)
        for penalty in self._d_penalties:
            loss += step.penalty(penalty, critic, real, fake)
        if self.lecam:
            logs["lecam"] = self._lecam(real_logits, fake_logits)
            loss += self.lecam * logs["lecam"]
        if isinstance(self.augment, augment_lib.AdaptiveAugment):
            logs["augment_p"] = self._adapt_augment(real_logits, step)
        logs["real_logits"] = _mean(real_logits)
        logs["fake_logits"] = _mean(fake_logits)
        return loss, logs

    # --- data-efficient training: augmentation, ADA, LeCam, top-k ------------------

    def augmented(self, images, step):
        """`images` as the discriminator sees them in training: augmented by
        `compile(augment=...)` (its random parameters on a fresh stream of
        `step`), unchanged without it."""
        if self.augment is None:
            return images
        if not tf.is_tensor(images) or images.shape.rank != 4:
            raise ValueError(
                f"compile(augment=...) augments image batches (batch, height, width, channels); "
                f"{type(self).__name__}'s discriminator receives "
                f"{getattr(images, 'shape', type(images).__name__)}. Leave augment unset.")
        noise = self._noise_fn(tf.shape(images)[0], step.counter, step.stream(), first=0)
        if isinstance(self.augment, augment_lib.AdaptiveAugment):
            p = (self.augment.fixed_p if self.augment.fixed_p is not None
                 else tf.convert_to_tensor(self.training_state.means["augment_p"]))
        else:
            p = 1.0
        return self.augment(images, noise, p)

    def _adapt_augment(self, real_logits, step):
        """ADA's update of `p` from the signs of the real logits (every
        `interval` discriminator updates, over every replica); returns `p`."""
        ada, means = self.augment, self.training_state.means
        p = tf.convert_to_tensor(means["augment_p"])
        if not ada.adaptive:
            return p
        logits = tf.reshape(tf.cast(real_logits, tf.float32), [-1])
        _, num_replicas = _replicas.replica_context()
        sums = _replicas.cross_replica_sum(tf.stack([
            tf.reduce_sum(tf.sign(logits)), tf.cast(tf.size(logits), tf.float32),
            tf.cast(step.batch_size, tf.float32)]))
        sign_sum = means["ada_sign_sum"] + sums[0]
        count = means["ada_count"] + sums[1]
        updates = means["ada_updates"] + 1.0
        due = tf.equal(tf.math.floormod(updates, float(ada.interval)), 0.0)
        r_t = sign_sum / tf.maximum(count, 1.0)
        adjust = tf.sign(r_t - ada.target) * (sums[2] * ada.interval) / (ada.kimg * 1000.0)
        p = tf.where(due, tf.clip_by_value(p + adjust, 0.0, 1.0), p)
        means["augment_p"].assign(p)
        means["ada_sign_sum"].assign(tf.where(due, 0.0, sign_sum))
        means["ada_count"].assign(tf.where(due, 0.0, count))
        means["ada_updates"].assign(updates)
        return p

    def _lecam(self, real_logits, fake_logits, decay=0.99):
        """The LeCam regularizer with the moving averages updated first (the
        authors' order); the averages are of the global-batch means."""
        means = self.training_state.means
        real = tf.cast(real_logits, tf.float32)
        fake = tf.cast(fake_logits, tf.float32)
        current = _replicas.cross_replica_mean(tf.stack([tf.reduce_mean(real),
                                                         tf.reduce_mean(fake)]))
        first = tf.equal(means["lecam_count"], 0.0)
        averages = []
        for index, name in enumerate(("lecam_real", "lecam_fake")):
            value = tf.where(first, current[index],
                             decay * means[name] + (1.0 - decay) * current[index])
            means[name].assign(value)
            averages.append(value)
        means["lecam_count"].assign_add(1.0)
        return (tf.reduce_mean(tf.square(tf.nn.relu(real - averages[1])))
                + tf.reduce_mean(tf.square(tf.nn.relu(averages[0] - fake))))

    def _top_k_loss(self, fake_logits, real_logits, step):
        """`(generator loss, k)` over the k fakes of the global batch that the
        discriminator scores highest (ties may add a sample)."""
        fake = tf.cast(fake_logits, tf.float32)
        per_sample = tf.vectorized_map(
            lambda logits: tf.cast(self.generator_loss(
                fake_logits=logits[None], real_logits=real_logits), tf.float32),
            fake, fallback_to_while_loop=False)
        scores = tf.reduce_mean(tf.reshape(fake, [tf.shape(fake)[0], -1]), axis=1)
        _, num_replicas = _replicas.replica_context()
        everyone = _replicas.all_gather(scores)
        total = tf.shape(everyone)[0]
        options = self.top_k
        shrink = tf.pow(options["decay"], tf.floor(
            tf.cast(step.counter, tf.float32) / float(options["every"])))
        total_f = tf.cast(total, tf.float32)
        k = tf.maximum(tf.floor(shrink * total_f), tf.math.ceil(options["fraction"] * total_f))
        k = tf.clip_by_value(tf.cast(k, tf.int32), 1, total)
        threshold = tf.gather(tf.sort(everyone, direction="DESCENDING"), k - 1)
        keep = tf.cast(scores >= threshold, tf.float32)
        kept = _replicas.cross_replica_sum(tf.reduce_sum(keep))
        loss = float(num_replicas) * tf.reduce_sum(keep * per_sample) / kept
        return loss, kept

    def _critic_outputs(self, real, fake, labels):
        """The discriminator's outputs on the real and the fake batch (one
        call on both when it judges each sample alone: `_critic.judge_both`)."""
        conditions = () if labels is None else (labels,)
        return _critic.judge_both(
            self.discriminator,
            lambda images, *paired: self.discriminator_outputs(
                images, paired[0] if paired else None, training=True),
            real, fake, conditions)

    def generator_phase_loss(self, batch, step):
        """The generator loss (or feature matching), the variant's terms and
        the generator penalties on fresh latents."""
        real, labels = batch["real"], batch["labels"]
        latents = self.training_latents(step.noise_fn(first=0))
        fake = self.generate_images(latents, labels, training=True)
        seen = self.augmented(fake, step)
        if self._feature_model is not None:
            fake_out, fake_features = self._with_features(seen, labels)
            _, real_features = self._with_features(self.augmented(real, step), labels)
            fake_logits, fake_aux = self.split_outputs(fake_out)
            loss = _tricks.feature_matching_loss(real_features, fake_features)
        else:
            fake_logits, fake_aux = self.split_outputs(
                self.discriminator_outputs(seen, labels, training=True))
            real_logits = None
            if self.loss_fn.generator_needs_real_logits:
                real_logits = self.discriminate(self.augmented(real, step), labels,
                                                training=True)
            if self.top_k:
                loss, kept = self._top_k_loss(fake_logits, real_logits, step)
            else:
                loss = self.generator_loss(fake_logits=fake_logits, real_logits=real_logits)
        extra, logs = self._terms(self.generator_terms(
            fake_aux=fake_aux, labels=labels, latents=latents), "g")
        if self.top_k and self._feature_model is None:
            logs["top_k"] = kept
        loss = tf.cast(loss, tf.float32) + extra
        for penalty in self._g_penalties:
            loss += self._generator_penalty(penalty, latents, labels, step)
        return loss, logs

    def evaluation_logs(self, batch, step):
        """Adversarial losses and mean logits on a held-out batch."""
        real, labels = batch["real"], batch["labels"]
        latents = self.training_latents(step.noise_fn(first=0))
        fake = self.generate_images(latents, labels, training=False)
        real_logits = self.discriminate(real, labels, training=False)
        fake_logits = self.discriminate(fake, labels, training=False)
        return {
            "d_loss": self.discriminator_loss(real_logits=real_logits, fake_logits=fake_logits),
            "g_loss": self.generator_loss(fake_logits=fake_logits, real_logits=real_logits),
            "real_logits": _mean(real_logits),
            "fake_logits": _mean(fake_logits),
        }

    def _generator_penalty(self, penalty, latents, labels, step):
        mean = self.penalty_means.means[penalty.name]
        stream = step.stream()

        def compute():
            w, synthesize = self.intermediate_latents(latents, labels)
            noise = self._draw("normal", step.batch_size, self._sample_shape, step.counter, stream)
            value, new_mean = penalty(synthesize, latents=w, noise=noise,
                                      mean=tf.convert_to_tensor(mean))
            mean.assign(new_mean)
            return value

        return self._lazy_term(penalty, compute, step.update_index)

    def _with_features(self, images, labels):
        """The discriminator's outputs and feature-matching features in one call."""
        *outputs, features = self._feature_model(
            self.discriminator_inputs(images, labels), training=True)
        return (outputs[0] if len(outputs) == 1 else outputs), features

    def _terms(self, terms, role):
        """`(total, logs)` of a variant's `(losses, logs)` terms: the losses
        added up with the historical average of `role` ("d" or "g"); every
        value logged."""
        losses, logs = terms
        total = tf.zeros((), tf.float32)
        for value in losses.values():
            total += tf.cast(value, tf.float32)
        if self._history is not None:
            total += self._history.penalty(role)
        return total, {**losses, **logs}

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



def _check_weight(name, value):
    if value is None or value is False:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"`{name}` must be a weight >= 0 (or None). Received: {name}={value!r}")
    return float(value)


def _check_top_k(value):
    """`top_k` as a dict `{fraction, decay, every}`, or None."""
    if value is None or value is False:
        return None
    options = {"fraction": value} if not isinstance(value, dict) else dict(value)
    unknown = set(options) - {"fraction", "decay", "every"}
    options = {"fraction": 0.5, "decay": 0.99, "every": 1000, **options}
    fraction, decay, every = options["fraction"], options["decay"], options["every"]
    if unknown or isinstance(fraction, bool) or not 0 < fraction <= 1 or not 0 < decay <= 1 \
            or isinstance(every, bool) or int(every) != every or every < 1:
        raise ValueError(
            "`top_k` takes the smallest fraction of the batch kept (0 < fraction <= 1, the "
            "paper's nu, e.g. top_k=0.5) or a dict with `fraction`, `decay` (0 < decay <= 1) "
            f"and `every` (steps, >= 1). Received: top_k={value!r}")
    return {"fraction": float(fraction), "decay": float(decay), "every": int(every)}


def _mean(logits):
    return tf.reduce_mean(tf.cast(logits, tf.float32))
