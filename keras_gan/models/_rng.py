"""The random draws of a traced training step on TensorFlow's Philox kernels.

TensorFlow's stateless random ops default to `alg="auto_select"`, which on
CPU and GPU is Philox (TensorFlow's documentation; checked here on CPU): the
same numbers for a seed computed at run time, as every Keras seed
generator's is. Under XLA on CPU, though, the "auto_select" lowering is
15-40x slower than the explicit Philox one (a (64, 512) uniform draw: 9.2 ms
against 0.38 ms on the 2-core CPU of `benchmarks/`; 128 x 512: 18 ms against
0.48 ms). Keras's random functions (`keras.random.normal`, `uniform`,
`truncated_normal` and the `Dropout`, `GaussianNoise`, ... layers built on
them) pass no algorithm, so a dropout critic under XLA spent most of its
step drawing masks: the keras-io step on the tutorial MLP ran at 17.8
steps/s, and at 74.5 with Philox named.

While the engine traces its step, `philox_by_default()` makes Philox the
default of those four functions, so the graph holds the fast lowering of the
same numbers (`tests/models/test_rng.py` checks the draws are equal with and
without XLA). One exception: a seed that is a compile-time constant (an
integer seed of `keras.random.normal(..., seed=7)` called inside a network)
draws other numbers under XLA with "auto_select" than with Philox named (the
latter are then the numbers TensorFlow draws without XLA). A draw that names
its algorithm keeps it. TPUs (where "auto_select" means ThreeFry) are not a
keras-gan target; on them the override would change the numbers, so it
stays off where one is visible.
"""

import contextlib
import functools
import inspect
import threading

import tensorflow as tf

#: (namespace, function name, algorithm argument) of the draws Keras makes.
_DRAWS = (
    (tf.random, "stateless_uniform", "alg"),
    (tf.random, "stateless_normal", "alg"),
    (tf.random, "stateless_truncated_normal", "alg"),
    (tf.nn.experimental, "stateless_dropout", "rng_alg"),
)

_lock = threading.Lock()
_depth = 0
_originals = {}


def _is_default(algorithm):
    auto = tf.random.Algorithm.AUTO_SELECT
    if algorithm is None or algorithm is auto:
        return True
    if isinstance(algorithm, str):
        return algorithm.lower() == "auto_select"
    return isinstance(algorithm, int) and not isinstance(algorithm, bool) \
        and algorithm == auto.value


def _pinned(function, argument):
    signature = inspect.signature(function)

    @functools.wraps(function)
    def draw(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        if _is_default(bound.arguments.get(argument)):
            bound.arguments[argument] = "philox"
        return function(*bound.args, **bound.kwargs)

    return draw


@functools.cache
def _tpu_visible():
    return bool(tf.config.list_logical_devices("TPU"))


@contextlib.contextmanager
def philox_by_default():
    """Within the context, TensorFlow's stateless uniform, normal,
    truncated-normal and dropout draws default to Philox (re-entrant and
    thread-safe: MirroredStrategy traces its replicas in threads)."""
    global _depth
    if _tpu_visible():
        yield
        return
    with _lock:
        if _depth == 0:
            for namespace, name, argument in _DRAWS:
                original = getattr(namespace, name)
                _originals[(namespace, name)] = original
                setattr(namespace, name, _pinned(original, argument))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for (namespace, name), original in _originals.items():
                    setattr(namespace, name, original)
                _originals.clear()
