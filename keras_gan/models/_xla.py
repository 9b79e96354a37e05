"""What `jit_compile="auto"` means for a keras-gan model: measured, not assumed.

Whether XLA speeds up a training step depends on the networks and the
machine: on the same 2-core CPU it has always made the project's DCGAN-28
step faster, and the keras-io example networks 30% slower in one
measurement, 1.9x faster in another (`benchmarks/results_train_step_cpu2.json`).
So "auto" decides per model and machine, in its first long `fit`:

1. A run planned for fewer than `MIN_STEPS` steps keeps XLA off: its
   compile time could not pay for itself (smoke runs, tests, notebooks).
2. A verdict cached for this model's signature (its class, layer types and
   weight shapes, compile options, input shapes and dtypes, precision policy,
   TensorFlow/Keras versions and device) under
   `$KERAS_HOME/keras_gan/xla_decisions.json` is reused.
3. Otherwise the first steps of the run measure it: Keras's own train
   function is built both ways and the two alternate, in rounds of
   `ROUND_STEPS` steps, until one is clearly faster or `ROUNDS` rounds are
   done (the first call of each, which traces or compiles, is not compared).
   These are the run's real training steps on its real batches, nothing is
   repeated or undone, and the faster function then trains the rest of the
   run as it is (no second compile). XLA is kept only when its median step
   is at least `MARGIN` faster. The cost is one XLA compile when XLA loses.

The decision and both timings are printed once (when `fit` is verbose) and
kept in `model.xla_decision`.
"""

import hashlib
import json
import os
import platform
import statistics
import sys
import time

import keras
import numpy as np
import tensorflow as tf

#: Runs planned shorter than this keep XLA off without measuring.
MIN_STEPS = 500
#: Changes when the engine's step compiles to something else (cached
#: verdicts of an older step are then measured again): 2 = random draws on
#: Philox by name, dropout critics called once on real and fake.
STEP_REVISION = 2
#: XLA must be this much faster (median step time) to be chosen.
MARGIN = 0.05
#: At most this many rounds of `ROUND_STEPS` steps per mode.
ROUNDS = 3
ROUND_STEPS = 3


def planned_steps(x, batch_size, epochs, initial_epoch, steps_per_epoch):
    """The number of steps a `fit` call plans (None when it cannot tell)."""
    if steps_per_epoch is None:
        if isinstance(x, tf.data.Dataset):
            count = int(x.cardinality())
            if count < 0:
                return None
            steps_per_epoch = count
        else:
            try:
                first = keras.tree.flatten(x)[0]
                steps_per_epoch = -(-len(first) // (batch_size or 32))
            except (TypeError, IndexError):
                return None
    return max(0, epochs - initial_epoch) * steps_per_epoch


def input_spec(x, y, batch_size):
    """Shapes and dtypes of one batch of `fit`'s input (batch dimension
    included where it is fixed), without reading it."""
    if isinstance(x, tf.data.Dataset):
        spec = x.element_spec
    else:
        spec = x if y is None else (x, y)
    described = []
    for item in keras.tree.flatten(spec):
        shape = getattr(item, "shape", None)
        if shape is None:
            shape = np.shape(item)
        dims = list(shape) if isinstance(x, tf.data.Dataset) else [batch_size or 32,
                                                                   *list(shape)[1:]]
        described.append(([None if d is None else int(d) for d in dims],
                          str(getattr(item, "dtype", type(item).__name__))))
    return described


def signature(model, spec):
    """A digest of what decides XLA's speed-up: architecture, options, input
    shapes, precision, software and device."""
    layers = [(type(layer).__name__, [tuple(w.shape) for w in layer.weights])
              for layer in model._flatten_layers(include_self=False)]
    options = {key: value if isinstance(value, (bool, int, float, str, type(None)))
               else type(value).__name__
               for key, value in sorted(getattr(model, "_compile_options", {}).items())}
    options["penalties"] = [type(p).__name__ for p in getattr(model, "penalties", ())]
    described = {
        "model": type(model).__name__, "layers": layers, "options": options, "input": spec,
        "steps_per_execution": model.steps_per_execution, "step_revision": STEP_REVISION,
        "policy": keras.mixed_precision.global_policy().name, "tensorflow": tf.__version__,
        "keras": keras.__version__, "device": _device(), "xla_flags": os.environ.get("XLA_FLAGS"),
    }
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _device():
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"{len(gpus)}x {details.get('device_name', 'GPU')}"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{os.cpu_count()} cores {cpu}"


def _cache_path():
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "keras_gan", "xla_decisions.json")


def _read_cache():
    try:
        with open(_cache_path()) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def _write_cache(key, decision):
    from keras_gan._io import atomic_path

    cache = _read_cache()
    cache[key] = decision
    try:
        os.makedirs(os.path.dirname(_cache_path()), exist_ok=True)
        with atomic_path(_cache_path()) as temporary, open(temporary, "w") as handle:
            json.dump(cache, handle, indent=1, sort_keys=True)
    except OSError:  # a read-only home: decide again next time
        pass


def before_fit(model, x, y, batch_size, epochs, initial_epoch, steps_per_epoch):
    """Called by `fit` while "auto" is undecided: applies a cached verdict,
    or arms the measurement for a long run (`make_train_function` then
    builds a `DecidingFunction`), or leaves XLA off for a short one."""
    steps = planned_steps(x, batch_size, epochs, initial_epoch, steps_per_epoch)
    key = signature(model, input_spec(x, y, batch_size))
    cached = _read_cache().get(key)
    if cached is not None:
        model.__dict__["xla_decision"] = {**cached, "cached": True}
        return cached["xla"]
    if steps is not None and steps < MIN_STEPS:
        model.__dict__["xla_decision"] = {
            "xla": False, "measured": False,
            "reason": f"a run of {steps} steps (< {MIN_STEPS}) cannot amortise an XLA compile"}
        return None
    return key


class DecidingFunction:
    """A train function that measures: alternates Keras's train function
    without and with XLA over the first steps of a run, then installs the
    faster one as `model.train_function`."""

    def __init__(self, model, key, verbose, functions):
        self.model, self.key, self.functions, self.verbose = model, key, functions, verbose
        self.times = {False: [], True: []}
        self.first = {}
        self.schedule = [False, True] + [mode for _ in range(ROUNDS) for mode in (False, True)
                                         for _ in range(ROUND_STEPS)]
        self.calls = 0
        self.started = None

    def __call__(self, iterator):
        mode = self.schedule[self.calls]
        began = time.perf_counter()
        self.started = self.started or began
        logs = self.functions[mode](iterator)
        for value in keras.tree.flatten(logs):
            np.asarray(value)  # wait for the step
        elapsed = time.perf_counter() - began
        if mode not in self.first:
            self.first[mode] = elapsed
        else:
            self.times[mode].append(elapsed)
        self.calls += 1
        if self._done():
            self._decide()
        return logs

    def _done(self):
        if self.calls >= len(self.schedule):
            return True
        round_end = self.calls > 2 and (self.calls - 2) % (2 * ROUND_STEPS) == 0
        if not round_end:
            return False
        plain, xla = (statistics.median(self.times[m]) for m in (False, True))
        return abs(plain - xla) > 0.25 * min(plain, xla)  # clearly apart: stop early

    def _decide(self):
        model = self.model
        plain, xla = (statistics.median(self.times[m]) for m in (False, True))
        chosen = bool(xla < (1.0 - MARGIN) * plain)
        decision = {"xla": chosen,
                    "step_ms": {"off": round(1000 * plain, 2), "on": round(1000 * xla, 2)},
                    "first_call_s": {"off": round(self.first[False], 2),
                                     "on": round(self.first[True], 2)},
                    "measured_steps": len(self.times[False]) + len(self.times[True]) + 2,
                    "measured": True}
        _write_cache(self.key, decision)
        model.__dict__["xla_decision"] = {**decision, "cached": False}
        model.__dict__["_jit_undecided"] = False
        model.jit_compile = chosen
        model.train_function = self.functions[chosen]
        if self.verbose != 0:
            print(f"{type(model).__name__}: XLA {'on' if chosen else 'off'} (measured over the "
                  f"first {decision['measured_steps']} steps: {1000 * plain:.1f} ms per step "
                  f"without, {1000 * xla:.1f} ms with XLA; XLA compile "
                  f"{self.first[True]:.1f} s)", file=sys.stderr)
