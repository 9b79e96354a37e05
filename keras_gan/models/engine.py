"""The training engine of every keras-gan model: one `train_step` that walks a list of phases.

A model declares its *phases* (which networks an update changes, with which
optimizer, how many times per step and how often) and computes one loss per
phase; the engine owns everything else of the step, once: the random-stream
table, the saved step counter, loss scaling for replicas and mixed precision,
the gradient update and its diagnostics, regularization losses, metric
trackers, lazy intervals, `compile()` and its serialization, `test_step`,
XLA's default and the non-finite-loss guard of `fit()`.

It follows StyleGAN2-ADA's training loop (`training/loss.py`: the loop walks
the Gmain/Greg/Dmain/Dreg phases and calls `accumulate_gradients(phase, ...)`)
and Keras's own trainer (one `train_step`, a small override point).

A new model subclasses `Engine` (or `GAN`, which is an `Engine`) and supplies:

- `phases()`: the `Phase` list, in the order they run;
- `unpack_batch(data, step)`: the batch as a dict of tensors, first entry
  with the batch axis (phases may add entries for later phases);
- `phase_loss(phase, batch, step)`: `(loss, logs)` of one update;
- optionally `evaluation_logs(batch, step)` (`evaluate()`), `finish_step(batch)`,
  `log_names()` and `default_compile_args()` / `configure(options)`.

`Phase`, `PhaseStep` and the stream table live in `keras_gan.models.phases`
and are re-exported here.
"""

import inspect
import itertools
import os

import keras
import numpy as np
import tensorflow as tf
from tensorflow.python.framework.config import is_op_determinism_enabled  # as Keras does

from keras_gan import _replicas
from keras_gan import losses as losses_lib
from keras_gan import regularizers
from keras_gan.models import _rng
from keras_gan.models._guard import NonFiniteGuard
from keras_gan.models.phases import (
    _NAMED_STREAMS, BATCH_STREAM, EVALUATION_STREAM, FIXED_STREAM, STREAMS_PER_BLOCK, Phase,
    PhaseStep)

# The engine's vocabulary, importable from here.
__all__ = ["Engine", "Phase", "PhaseStep", "STREAMS_PER_BLOCK", "BATCH_STREAM",
           "EVALUATION_STREAM", "FIXED_STREAM"]

_JIT_SETTINGS = {"auto": "measure", "1": True, "on": True, "true": True,
                 "0": False, "off": False, "false": False}
_KERAS_ONLY = ("optimizer", "loss_weights", "metrics", "weighted_metrics")
_KERAS_COMPILE_ARGS = set(inspect.signature(keras.Model.compile).parameters) - {"self"}


class Engine(keras.Model):
    """Base class of keras-gan models: the training loop over phases.

    Subclasses supply `phases()`, `unpack_batch()` and `phase_loss()` (see
    the module docstring); the engine makes every one of them correct under
    `tf.distribute` (losses divided by the replica count, each replica's
    slice of one global random draw), mixed precision (loss scaling of every
    optimizer), XLA (`jit_compile="auto"`) and exact resume (randomness keyed
    by `(seed, step)` with `step` a saved variable).

    Args:
        seed: integer seed of the training randomness (drawn from NumPy's
            global generator when omitted, so `keras.utils.set_random_seed`
            makes runs reproducible).
        **kwargs: `keras.Model` arguments such as `name`.
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = int(np.random.randint(0, 2**31 - 1) if seed is None else seed)
        # The position in the random stream; saved with the model so a
        # resumed run draws what the uninterrupted run would have drawn.
        self.step_counter = self.add_weight(
            shape=(), dtype="int64", initializer="zeros", trainable=False,
            name="step_counter", aggregation="only_first_replica")

    # --- what a model supplies ---------------------------------------------------

    def phases(self):
        """The `Phase`s of one training step, in the order they run."""
        raise TypeError(f"{type(self).__name__} subclasses Engine but defines no phases().")

    def unpack_batch(self, data, step):
        """The training batch as a dict (first entry batch-major). `step` is
        a `PhaseStep` drawing from the batch stream."""
        raise TypeError(f"{type(self).__name__} subclasses Engine but defines no unpack_batch().")

    def phase_loss(self, phase, batch, step):
        """`(loss, logs)` of one update of `phase`, computed inside the
        engine's gradient tape; `logs` values are tensors or
        `(value, sample_weight)` pairs."""
        raise TypeError(f"{type(self).__name__} subclasses Engine but defines no phase_loss().")

    def finish_step(self, batch):
        """Runs after the last phase of every training step (state updates)."""

    def evaluation_logs(self, batch, step):
        """The values `evaluate()` reports for one batch, by name."""
        return {}

    def log_names(self):
        """Names of the values the phases log besides their losses and
        gradient norms (each gets a tracker)."""
        return []

    def evaluation_names(self):
        """Names logged by `evaluate()` only."""
        return []

    def default_compile_args(self):
        """Every `compile()` option of the model with its published default."""
        return {}

    def configure(self, options):
        """Takes the model's own compile options (after the shared ones); may
        normalize `options` in place (it is what `get_compile_config` saves)."""

    def networks_for_precision(self):
        """The networks whose dtype policy decides loss scaling."""
        names = {name for phase in self._phases for name in phase.networks}
        return [getattr(self, name) for name in sorted(names)]

    # --- export -----------------------------------------------------------------------

    def export_generator(self, path, format="saved_model", use_ema=True, verbose=False,
                         **options):
        """Exports the generator for serving outside Python's training code.

        `format="saved_model"` writes a TensorFlow SavedModel directory
        (`tf.saved_model.load(path).signatures["serving_default"]`, or TF
        Serving); `format="tflite"` one `.tflite` file (`tf.lite.Interpreter`,
        LiteRT). The signature takes float32 `latents` `(n, latent_dim)`,
        plus int32 class ids `labels` `(n,)` for conditional models and a
        float32 scalar `psi` (the truncation trick in W) for StyleGAN; an
        image-to-image model takes float32 `images` (plus StarGAN's target
        `labels`). It returns `{"images": float32 images in [-1, 1]}`.

        Args:
            path: a directory (SavedModel) or a file ending in `.tflite`;
                written atomically (an existing export is replaced only
                once the new one is complete).
            format: `"saved_model"` or `"tflite"`.
            use_ema: export the averaged generator when the model has one.
            verbose: print the archive's endpoints and variables.
            **options: `generator=` for an image-to-image model: one of its
                generators (e.g. CycleGAN's `inverse_generator`, B to A).

        Returns:
            `path`.
        """
        from keras_gan.models import _export

        return _export.export_generator(self, path, format, use_ema, verbose, **options)

    def _serving_endpoint(self, use_ema=True):
        """`(function, input_signature, network)` of `export_generator`."""
        raise NotImplementedError(
            f"{type(self).__name__} has no generator signature to export; use its own "
            "sampling method and save the model with model.save('run.keras').")

    # --- compile --------------------------------------------------------------------

    def compile(self, d_optimizer=None, g_optimizer=None, loss=None, penalties=None,
                d_steps=None, auto_scale_loss=True, **kwargs):
        """Configures training; options left as None take the model's
        published defaults (`default_compile_args()`).

        Args:
            d_optimizer, g_optimizer: the optimizers (instances or names); two
                different instances.
            loss: an adversarial loss name (`"non_saturating"`, `"minimax"`,
                `"wasserstein"`, `"hinge"`, `"least_squares"`,
                `"relativistic_average"`) or a `keras_gan.losses.AdversarialLoss`.
            penalties: list of penalties (names such as `"gp"`, `"r1"`,
                `"drift"`, `"pl"`, or `keras_gan.regularizers.Penalty`
                objects); with `interval=N` a penalty is evaluated lazily
                every N updates of its network.
            d_steps: discriminator updates per generator update.
            auto_scale_loss: wrap every optimizer in
                `keras.optimizers.LossScaleOptimizer` under the
                `"mixed_float16"` policy.
            **kwargs: the model's own options (see its docstring, e.g.
                `weight_clip`, `loss_weights`) and `keras.Model.compile`
                arguments such as `jit_compile` (default "auto": the first
                `fit` of at least 500 steps times the step with and without
                XLA and keeps the faster, see `_resolve_auto_jit_compile`;
                `False` or the environment variable `KERAS_GAN_JIT=0` turn
                it off), `steps_per_execution` and `run_eagerly`.
        """
        defaults = self.default_compile_args()
        given = dict(d_optimizer=d_optimizer, g_optimizer=g_optimizer, loss=loss,
                     penalties=penalties, d_steps=d_steps)
        given.update({key: kwargs.pop(key) for key in list(kwargs) if key in defaults})
        for key in _KERAS_ONLY:
            if kwargs.get(key) is not None:
                raise ValueError(
                    f"{type(self).__name__}.compile does not take `{key}`: use "
                    f"{', '.join(f'`{k}`' for k in defaults)}. Received: {key}={kwargs[key]!r}")
        unknown = [key for key, value in given.items() if value is not None and key not in defaults]
        unknown += [key for key in kwargs if key not in _KERAS_COMPILE_ARGS]
        if unknown:
            raise TypeError(f"{type(self).__name__}.compile has no option {unknown}; its "
                            f"options are {sorted(defaults)}.")
        options = {key: defaults[key] if given.get(key) is None else given[key]
                   for key in defaults}
        if kwargs.get("jit_compile") is True and self.jit_compile_unsupported:
            raise ValueError(f"{type(self).__name__} cannot train with jit_compile=True: "
                             f"{self.jit_compile_unsupported}. Leave jit_compile at its default.")
        self._check_options(options)
        self.configure(options)
        self._check_penalty_names()
        self.__dict__["_phases"] = tuple(self.phases())
        if any(p.interval > 1 for p in self._phases) and \
                self.distribute_strategy.num_replicas_in_sync > 1:
            raise ValueError(
                f"{type(self).__name__} has phases with an interval, which tf.distribute cannot "
                "run (an optimizer update inside tf.cond); give the lazy term an `interval` "
                "inside its phase instead (as penalties do).")
        scale = auto_scale_loss and self._uses_float16()
        for phase in self._phases:
            optimizer = options[phase.optimizer]
            if scale and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
                optimizer = loss_scaled(optimizer, phase.optimizer)
            options[phase.optimizer] = optimizer
            setattr(self, phase.optimizer, optimizer)
        # Build the optimizers on their variables now: MirroredStrategy with
        # two optimizers fails at the first step otherwise, and load_model
        # needs their slots to exist before restoring them.
        for name, variables in self._optimizer_variables().items():
            optimizer = getattr(self, name)
            if not optimizer.built:
                optimizer.build(variables)
        self.__dict__["_compile_options"] = options
        # Trackers are plain Python state (their values are not saved).
        names = [phase.loss_name for phase in self._phases]
        names += [p.name for p in getattr(self, "penalties", ())]
        names += [*self.log_names(), *(phase.norm_name for phase in self._phases)]
        training = list(dict.fromkeys(names))
        self.__dict__["_training_names"] = training
        self.__dict__["_trackers"] = {
            name: keras.metrics.Mean(name=name)
            for name in dict.fromkeys(training + self.evaluation_names())}
        self._user_compile_kwargs = dict(kwargs)
        super().compile(optimizer=None, loss=None, auto_scale_loss=False, **kwargs)

    def _check_options(self, options):
        """The shared options checked and converted in place."""
        optimizers = [key for key in options if key.endswith("_optimizer")]
        for key in optimizers:
            options[key] = keras.optimizers.get(options[key])
        for first, second in itertools.combinations(optimizers, 2):
            if options[first] is options[second]:
                raise ValueError(
                    f"`{first}` and `{second}` must be two optimizer instances: "
                    "one instance would mix the networks' moment estimates.")
        for key in ("d_steps", "g_steps"):
            if key in options:
                value = options[key]
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
                        or value < 1:
                    raise ValueError(f"`{key}` must be a positive integer. "
                                     f"Received: {key}={value!r}")
                options[key] = int(value)
                setattr(self, key, int(value))
        if "loss" in options:
            self.loss_fn = options["loss"] = losses_lib.get(options["loss"])
        if "penalties" in options:
            penalties = options["penalties"]
            if isinstance(penalties, (str, dict, regularizers.Penalty)):
                penalties = [penalties]
            self.penalties = options["penalties"] = tuple(regularizers.get(p) for p in penalties)

    def _check_penalty_names(self):
        names = [p.name for p in getattr(self, "penalties", ())]
        reserved = self.reserved_names()
        if len(set(names)) != len(names) or reserved & set(names):
            raise ValueError(
                f"Penalty names must be unique and differ from {sorted(reserved)}. "
                f"Received names: {names}. Pass `name=` to a penalty to rename it.")

    def reserved_names(self):
        """Log names a penalty may not take."""
        return {*self.log_names(), "d_loss", "g_loss", "d_grad_norm", "g_grad_norm"}

    def _optimizer_variables(self):
        variables = {}
        for phase in self._phases:
            owned = variables.setdefault(phase.optimizer, [])
            for name in phase.networks:
                owned += [v for v in getattr(self, name).trainable_variables
                          if all(v is not w for w in owned)]
        return variables

    def _uses_float16(self):
        policies = [self.dtype_policy] + [n.dtype_policy for n in self.networks_for_precision()]
        return any(p.compute_dtype == "float16" for p in policies)

    @property
    def metrics(self):
        return list(self.__dict__.get("_trackers", {}).values())

    def get_compile_config(self):
        if not self.compiled:
            return {}
        return {**{key: _serialize(value) for key, value in self._compile_options.items()},
                **self._user_compile_kwargs}

    def compile_from_config(self, config):
        self.compile(**{key: _deserialize(value) for key, value in config.items()})

    # --- XLA by default ---------------------------------------------------------------

    def _resolve_auto_jit_compile(self):
        """What `compile(jit_compile="auto")`, the default, means for a GAN.

        Measured, not assumed (`keras_gan/models/_xla.py`): XLA stays off at
        compile time, and the first `fit` planned for at least
        `_xla.MIN_STEPS` steps times the step with and without XLA on its
        first batch (or reuses the verdict cached for this model, data shape
        and machine under `$KERAS_HOME`), keeps the faster and restores the
        model's state; `model.xla_decision` says what was chosen and why. XLA
        helps some networks 1.2-1.7x and slows others by a third, on the same
        CPU, so no rule of thumb is right for all. Like Keras, "auto" stays off
        under `tf.distribute`, with op determinism enabled and for models with
        a layer that does not support XLA. The environment variable
        `KERAS_GAN_JIT` overrides "auto": `0` off, `1` on wherever supported
        (no measurement); an explicit `jit_compile=True/False` always wins.
        """
        self.__dict__["_jit_undecided"] = False
        setting = os.environ.get("KERAS_GAN_JIT", "auto").strip().lower()
        if setting not in _JIT_SETTINGS:
            raise ValueError(
                f"KERAS_GAN_JIT={setting!r} is not understood: use 0 (no XLA unless "
                "compile(jit_compile=True)), 1 (XLA wherever the model supports it) or auto "
                "(the default: measured on the first long fit).")
        if not _JIT_SETTINGS[setting] or self.jit_compile_unsupported:
            return False
        if tf.distribute.has_strategy() or getattr(self, "_distribute_strategy", None):
            return False
        if is_op_determinism_enabled():  # not every XLA op is deterministic
            return False
        if not all(layer.supports_jit for layer in self._flatten_layers()):
            return False
        if _JIT_SETTINGS[setting] == "measure":
            self.__dict__["_jit_undecided"] = True
            return False
        return True

    #: Why the model's step cannot run under XLA (None: it can); "auto"
    #: then leaves XLA off and `jit_compile=True` is refused with this reason.
    jit_compile_unsupported = None

    # --- the step ------------------------------------------------------------------------

    def train_step(self, data):
        # Keras's dropout and noise draws on TensorFlow's fast Philox kernels
        # (the same numbers; 15-40x faster under XLA on CPU, see _rng.py).
        with _rng.philox_by_default():
            return self._train_step(data)

    def _train_step(self, data):
        counter = tf.convert_to_tensor(self.step_counter)
        batch, size = self._batch(data, counter)
        block = 0
        for phase in self._phases:
            for repeat in range(phase.repeats):
                step = PhaseStep(self, counter, size, (phase.name, repeat),
                                 block * STREAMS_PER_BLOCK, phase, repeat)
                self._run_phase(phase, batch, step)
                block += 1
        self.finish_step(batch)
        self.step_counter.assign_add(1)
        return self._logs(self._training_names)

    def test_step(self, data):
        with _rng.philox_by_default():
            return self._test_step(data)

    def _test_step(self, data):
        counter = tf.convert_to_tensor(self.step_counter)
        batch, size = self._batch(data, counter)
        step = PhaseStep(self, counter, size, "evaluation", EVALUATION_STREAM)
        values = self._owned_by("evaluation", lambda: self.evaluation_logs(batch, step))
        self._track(values)
        return self._logs(list(values))

    def stream_table(self):
        """`{owner: range of streams}` of one training step of the compiled
        model: `(phase name, repeat)` for each update, and the named streams."""
        table, block = {}, 0
        for phase in self._phases:
            for repeat in range(phase.repeats):
                start = block * STREAMS_PER_BLOCK
                table[(phase.name, repeat)] = range(start, start + STREAMS_PER_BLOCK)
                block += 1
        for owner, start in _NAMED_STREAMS.items():
            table[owner] = range(start, start + STREAMS_PER_BLOCK)
        return table

    def _batch(self, data, counter):
        step = PhaseStep(self, counter, None, "batch", BATCH_STREAM)
        batch = self._owned_by("batch", lambda: self.unpack_batch(data, step))
        first = next(v for v in batch.values() if v is not None)
        step.batch_size = tf.shape(keras.tree.flatten(first)[0])[0]
        return batch, step.batch_size

    def _owned_by(self, owner, fn):
        """Runs `fn` with its random draws recorded as `owner`'s."""
        previous = self.__dict__.get("_stream_owner")
        self.__dict__["_stream_owner"] = owner
        try:
            return fn()
        finally:
            self.__dict__["_stream_owner"] = previous

    def _run_phase(self, phase, batch, step):
        networks = [getattr(self, name) for name in phase.networks]
        optimizer = getattr(self, phase.optimizer)
        variables = [v for network in networks for v in network.trainable_variables]

        def update():
            with tf.GradientTape() as tape:
                step.tape = tape
                loss, logs = self._owned_by(step.owner,
                                            lambda: self.phase_loss(phase, batch, step))
                loss = tf.cast(loss, tf.float32)
                regularization = [tf.cast(x, tf.float32) for n in networks for x in n.losses]
                if regularization:
                    loss += tf.add_n(regularization)
                scaled = optimizer.scale_loss(_replicas.scale_for_replicas(loss))
            self._apply(optimizer, tape, scaled, variables, phase.norm_name)
            self._trackers[phase.loss_name].update_state(loss)
            self._track(logs)
            return tf.constant(True)

        if phase.interval == 1:
            update()
        else:
            tf.cond(tf.equal(step.counter % phase.interval, 0), update,
                    lambda: tf.constant(False))

    def _track(self, logs):
        undeclared = sorted(set(logs) - set(self._trackers))
        if undeclared:
            raise ValueError(
                f"{type(self).__name__} logs {undeclared}, which it does not declare: return "
                "their names from log_names() (or evaluation_names() for evaluate()).")
        for name, value in logs.items():
            if isinstance(value, tuple):
                value, weight = value
                self._trackers[name].update_state(tf.cast(value, tf.float32),
                                                  sample_weight=weight)
            else:
                self._trackers[name].update_state(tf.cast(value, tf.float32))

    def _logs(self, names):
        return _replicas.logs_for_keras({name: self._trackers[name].result() for name in names})

    def _apply(self, optimizer, tape, scaled_loss, variables, norm_name):
        grads = tape.gradient(scaled_loss, variables)
        present = [g for g in grads if g is not None]
        if present:
            _, num_replicas = _replicas.replica_context()
            unscale = num_replicas / optimizer.scale_loss(tf.constant(1.0, tf.float32))
            norm = tf.linalg.global_norm([tf.cast(g, tf.float32) for g in present]) * unscale
            self._trackers[norm_name].update_state(
                norm, sample_weight=tf.cast(tf.math.is_finite(norm), tf.float32))
        optimizer.apply(grads, variables)

    # --- lazy terms and random draws ------------------------------------------------

    def _penalty_term(self, penalty, critic, real, fake, noise, step, index):
        """The weighted discriminator penalty of update `index` of step
        `step`; with `interval > 1`, evaluated lazily."""
        return self._lazy_term(
            penalty, lambda: penalty(critic, real=real, fake=fake, noise=noise),
            step * getattr(self, "d_steps", 1) + index)

    def _lazy_term(self, penalty, compute, update_index):
        """`penalty.weight * compute()`, or every `penalty.interval` updates
        `weight * interval * compute()` (0 otherwise); logs the unweighted value."""
        tracker = self._trackers[penalty.name]

        def value_fn():
            return tf.cast(compute(), tf.float32)

        if penalty.interval == 1:
            value = value_fn()
            tracker.update_state(value)
        else:
            due = tf.equal(update_index % penalty.interval, 0)
            value = tf.cond(due, value_fn, lambda: tf.zeros((), tf.float32))
            tracker.update_state(value, sample_weight=tf.cast(due, tf.float32))
        return value * (penalty.weight * penalty.interval)

    def _draw(self, kind, batch, sample_shape, step, stream, substream=0):
        log = self.__dict__.get("_stream_log")
        if log is not None:  # tests audit the stream table
            log.append((self.__dict__.get("_stream_owner"), stream))
        seed = _replicas.stateless_seed(self.seed, step, stream, substream)
        return _replicas.draw_global_slice(kind, batch, sample_shape, seed)

    def _noise_fn(self, batch, step, stream, first=1):
        """The `noise(kind, sample_shape)` callable handed to a penalty (and,
        from substream 0, to `training_latents`)."""
        substreams = itertools.count(first)

        def noise(kind, sample_shape):
            return self._draw(kind, batch, tuple(sample_shape), step, stream, next(substreams))

        return noise

    def _attach(self, name, value):
        """Sets `self.<name>` to state added after construction (saved with
        the model)."""
        locked = self._tracker.locked
        self._tracker.unlock()
        setattr(self, name, value)
        if locked:
            self._tracker.lock()

    # --- fit --------------------------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto",
            callbacks=None, **kwargs):
        """`keras.Model.fit`, with input checks and a non-finite loss guard.

        Training stops with `keras_gan.NonFiniteLossError` naming the loss and
        step when a phase's loss (`d_loss`, `g_loss`, ...) becomes NaN or
        infinite. keras-gan callbacks run before the others (`GeneratorEMA`
        first), so `ModelCheckpoint`, `CSVLogger` or `EarlyStopping` see the
        metrics that `Evaluation` logs, and `BackupAndRestore` finds the
        averaged generator.
        """
        if not self.compiled:
            raise RuntimeError(
                f"{type(self).__name__}.fit was called before compile(). Call "
                f"`model.compile()` for the published defaults, or e.g. "
                "`model.compile(d_optimizer=..., g_optimizer=..., loss='hinge')`.")
        from keras_gan.models._validation import check_array_range

        check_array_range(x)
        if isinstance(x, tf.data.Dataset):
            # A dataset is shuffled by its pipeline; Keras warns if asked to.
            kwargs.setdefault("shuffle", False)
        self.__dict__["_jit_deciding"] = None
        if self.__dict__.get("_jit_undecided") and not self.run_eagerly:
            from keras_gan.models import _xla

            verdict = _xla.before_fit(self, x, y, batch_size, epochs,
                                      kwargs.get("initial_epoch", 0),
                                      kwargs.get("steps_per_epoch"))
            if isinstance(verdict, bool):  # cached
                self.__dict__["_jit_undecided"] = False
                self.jit_compile = verdict
                self.train_function = None
            elif verdict is not None:  # measure in the first steps of this run
                self.__dict__["_jit_deciding"] = (verdict, verbose)
                if not isinstance(self.train_function, _xla.DecidingFunction):
                    self.train_function = None
        return super().fit(x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                           callbacks=self.training_callbacks(callbacks), **kwargs)

    def make_train_function(self, force=False):
        deciding = self.__dict__.get("_jit_deciding")
        if not deciding or (self.train_function is not None and not force):
            return super().make_train_function(force)
        from keras_gan.models import _xla

        functions = {}
        for mode in (False, True):
            self.jit_compile = mode
            functions[mode] = self._make_function(self.train_step)
        self.jit_compile = False
        self.train_function = _xla.DecidingFunction(self, *deciding, functions=functions)
        return self.train_function

    def training_callbacks(self, callbacks):
        """The callbacks `fit` runs: keras-gan callbacks first (the EMA before
        the ones that sample), the user's order otherwise kept, and a
        `NonFiniteGuard` on every phase loss."""
        from keras_gan.callbacks import GeneratorEMA
        from keras_gan.callbacks._base import GANCallback

        def rank(callback):
            if isinstance(callback, GeneratorEMA):
                return 0
            return 1 if isinstance(callback, GANCallback) else 2

        callbacks = sorted(list(callbacks or []), key=rank)
        if not any(isinstance(c, NonFiniteGuard) for c in callbacks):
            callbacks.append(NonFiniteGuard(losses=[p.loss_name for p in self._phases]))
        return callbacks


def loss_scaled(optimizer, attribute, **scaling):
    """`optimizer` wrapped in a `LossScaleOptimizer` named after the model
    attribute holding it (`d_optimizer` -> `d_loss_scale_optimizer`)."""
    name = f"{attribute.removesuffix('_optimizer')}_loss_scale_optimizer"
    return keras.optimizers.LossScaleOptimizer(optimizer, name=name, **scaling)


def _serialize(value):
    if isinstance(value, (list, tuple)):
        return [_serialize(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str, dict)):
        return value
    return keras.saving.serialize_keras_object(value)


def _deserialize(value):
    if isinstance(value, list):
        return [_deserialize(v) for v in value]
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        return keras.saving.deserialize_keras_object(value)
    return value
