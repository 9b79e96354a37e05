"""Gradient updates, lazy penalties and stateless noise shared by every GAN model."""

import itertools
import os

import keras
import tensorflow as tf
from tensorflow.python.framework.config import is_op_determinism_enabled  # as Keras does

from keras_gan import _replicas

_JIT_SETTINGS = {"auto": True, "1": True, "on": True, "true": True,
                 "0": False, "off": False, "false": False}


class StepMixin:
    """The pieces of a training step that every keras-gan model shares: the
    optimizer update (loss scaling, replica scaling, gradient-norm tracking),
    weighted (lazy) penalties and the `(seed, step)`-keyed random draws.

    The host model provides `seed`, `d_steps` and a `_trackers` dict.
    """

    def _uses_float16(self):
        policies = [self.dtype_policy, self.generator.dtype_policy, self.discriminator.dtype_policy]
        return any(p.compute_dtype == "float16" for p in policies)

    # --- XLA by default -------------------------------------------------------

    def _resolve_auto_jit_compile(self):
        """What `compile(jit_compile="auto")`, the default, means for a GAN.

        Keras's "auto" turns XLA off on CPU-only machines; keras-gan turns it
        on there too, because it speeds up every benchmarked GAN step 1.2-1.7x
        on CPU (`benchmarks/results_train_step_models_cpu2.json`). Like Keras,
        "auto" stays off under `tf.distribute`, with op determinism enabled and
        for models with a layer that does not support XLA. The environment
        variable `KERAS_GAN_JIT=0` turns "auto" off (many short runs, where the
        compile time dominates); an explicit `jit_compile=True/False` always wins.
        """
        setting = os.environ.get("KERAS_GAN_JIT", "auto").strip().lower()
        if setting not in _JIT_SETTINGS:
            raise ValueError(
                f"KERAS_GAN_JIT={setting!r} is not understood: use 0 (no XLA unless "
                "compile(jit_compile=True)) or auto (the default: XLA where it helps).")
        if not _JIT_SETTINGS[setting] or not self._supports_auto_jit():
            return False
        if tf.distribute.has_strategy() or getattr(self, "_distribute_strategy", None):
            return False
        if is_op_determinism_enabled():  # not every XLA op is deterministic
            return False
        return all(layer.supports_jit for layer in self._flatten_layers())

    def _supports_auto_jit(self):
        """False for models whose step uses ops XLA cannot compile."""
        return True

    # --- saving the compile arguments (load_model restores both optimizers) ---

    def _compile_config_extras(self):
        """Compile arguments a model saves besides the shared ones."""
        return {}

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
            **self._compile_config_extras(),
            **self._user_compile_kwargs,
        }

    def compile_from_config(self, config):
        config = dict(config)
        deserialize = keras.saving.deserialize_keras_object
        for key in ("d_optimizer", "g_optimizer", "loss"):
            config[key] = deserialize(config[key])
        config["penalties"] = [deserialize(p) for p in config["penalties"]]
        self.compile(**config)

    def _attach(self, name, value):
        """Sets `self.<name>` to state added after construction (saved with
        the model)."""
        locked = self._tracker.locked
        self._tracker.unlock()
        setattr(self, name, value)
        if locked:
            self._tracker.lock()

    def _penalty_term(self, penalty, critic, real, fake, noise, step, index):
        """The weighted discriminator penalty; with `interval > 1`, evaluated lazily."""
        return self._lazy_term(
            penalty, lambda: penalty(critic, real=real, fake=fake, noise=noise),
            step * self.d_steps + index)

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

    def _noise_fn(self, batch, step, stream, first=1):
        """The `noise(kind, sample_shape)` callable handed to a penalty (and,
        from substream 0, to `training_latents`)."""
        substreams = itertools.count(first)

        def noise(kind, sample_shape):
            return self._draw(kind, batch, tuple(sample_shape), step, stream, next(substreams))

        return noise


def loss_scaled(optimizer, name):
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer, name=name)
