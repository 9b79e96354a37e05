"""Phases of a training step and the table of random streams they draw from.

`Phase` is what a model declares; `PhaseStep` is what its phase loss receives:
the step counter, the repeat, and random draws from the update's own block of
streams. See `keras_gan.models.engine` for the loop that runs them.
"""

import contextlib
import dataclasses
import itertools

import numpy as np

# --- the table of random streams --------------------------------------------------
#
# Every random draw of a training step is keyed by (seed, step, stream,
# substream) (see `_replicas.stateless_seed`). Each repeat of each phase owns
# one block of `STREAMS_PER_BLOCK` streams, in the order the phases run
# (block k = streams [64 k, 64 k + 64)); draws outside a phase use the named
# streams below, which lie above every block. `Engine.stream_table()` lists
# the table of a compiled model; no two owners share a stream.
STREAMS_PER_BLOCK = 64
BATCH_STREAM = 1 << 16        # preparing the batch (inpainting's hole positions)
EVALUATION_STREAM = 1 << 20   # test_step (`evaluate()`)
FIXED_STREAM = 1 << 21        # step-independent draws (SinGAN's reconstruction noise z*)
_NAMED_STREAMS = {"batch": BATCH_STREAM, "evaluation": EVALUATION_STREAM,
                  "fixed": FIXED_STREAM}


@dataclasses.dataclass(frozen=True)
class Phase:
    """One optimizer update of a training step.

    Args:
        name: short name; the phase logs `{name}_loss` and `{name}_grad_norm`
            (`"d"`, `"g"`, `"e"` for an encoder, ...).
        networks: attribute names of the networks whose trainable variables
            the update changes (their regularization losses join the loss).
        optimizer: attribute name of the phase's optimizer.
        repeats: updates per training step (e.g. `d_steps`).
        interval: run the phase only every `interval` training steps (lazy
            regularization as a phase of its own; terms inside a phase use
            a penalty's `interval` instead).
    """

    name: str
    networks: tuple
    optimizer: str
    repeats: int = 1
    interval: int = 1

    def __post_init__(self):
        object.__setattr__(self, "networks", tuple(self.networks))
        for field in ("repeats", "interval"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Phase `{field}` must be a positive integer. "
                                 f"Received: {field}={value!r}")

    @property
    def loss_name(self):
        return f"{self.name}_loss"

    @property
    def norm_name(self):
        return f"{self.name}_grad_norm"


class PhaseStep:
    """What a phase loss knows of the update it computes.

    Attributes:
        counter: the training step (the saved step counter, a tensor).
        phase: the `Phase` (None while unpacking the batch or evaluating).
        repeat: which repeat of the phase this is (0-based).
        batch_size: this replica's batch size (a scalar tensor).
        update_index: how many updates of this phase came before
            (`counter * repeats + repeat`), for lazy terms.
    """

    def __init__(self, model, counter, batch_size, owner, first_stream, phase=None, repeat=0):
        self.model, self.counter, self.batch_size = model, counter, batch_size
        self.owner, self.phase, self.repeat = owner, phase, repeat
        self.tape = None  # the update's GradientTape, set by the engine
        self._streams = itertools.count(first_stream)
        self._end = first_stream + STREAMS_PER_BLOCK

    @property
    def update_index(self):
        repeats = self.phase.repeats if self.phase is not None else 1
        return self.counter * repeats + self.repeat

    def stream(self):
        """The next unused stream of this update's block."""
        stream = next(self._streams)
        if stream >= self._end:
            raise RuntimeError(
                f"{type(self.model).__name__}: {self.owner} drew from more than "
                f"{STREAMS_PER_BLOCK} random streams in one update.")
        return stream

    def untaped(self):
        """A context whose ops the update's gradient tape does not record:
        for inputs the update never differentiates (a critic update's fakes),
        so their forward pass keeps no tensors for a backward pass."""
        return self.tape.stop_recording() if self.tape is not None else contextlib.nullcontext()

    def noise_fn(self, first=1):
        """A `noise(kind, sample_shape)` callable on a fresh stream (substreams
        from `first`): what penalties and `training_latents` take."""
        return self.model._noise_fn(self.batch_size, self.counter, self.stream(), first=first)

    def draw(self, kind, sample_shape, batch_size=None):
        """`kind` ("normal" or "uniform") noise of `(batch, *sample_shape)` on a fresh stream."""
        batch = self.batch_size if batch_size is None else batch_size
        return self.model._draw(kind, batch, tuple(sample_shape), self.counter, self.stream())

    def penalty(self, penalty, critic, real, fake):
        """The weighted value of a discriminator penalty (its noise on a fresh
        stream), lazily every `penalty.interval` updates of this phase; the
        unweighted value is logged under the penalty's name."""
        noise = self.noise_fn()
        return self.model._lazy_term(
            penalty, lambda: penalty(critic, real=real, fake=fake, noise=noise),
            self.update_index)
