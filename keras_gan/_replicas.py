"""Helpers that make one training step mean the same thing on 1 or N replicas.

Under `tf.distribute` every replica sees `global_batch / R` samples and the
optimizers *sum* gradients across replicas. Two consequences, both handled
here so no model repeats them:

- A per-replica mean loss must be divided by `R` before differentiation
  (Keras's own trainer does the same with `scale_loss_for_distribution`).
- Random draws must differ between replicas and match a single-device run:
  every replica draws the *global* batch from a stateless generator keyed by
  (seed, step, stream) and keeps its own slice.
"""

import tensorflow as tf

# Pinned: the default "auto_select" picks different algorithms with and
# without XLA, which would change every draw when `jit_compile` changes.
_ALG = "philox"


def replica_context():
    """Returns `(replica_id, num_replicas)` of the current replica."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None:  # cross-replica context: behave as one replica
        return 0, 1
    return ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync


def scale_for_replicas(loss):
    """Divides a per-replica mean loss by the number of replicas in sync."""
    _, num_replicas = replica_context()
    if num_replicas == 1:
        return loss
    return loss / tf.cast(num_replicas, loss.dtype)


def cross_replica_mean(value):
    """Mean of `value` over replicas (a constant: no gradient flows through it)."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return tf.stop_gradient(value)
    total = ctx.all_reduce(tf.distribute.ReduceOp.MEAN, tf.stop_gradient(value))
    return total


def cross_replica_sum(value):
    """Sum of `value` over replicas (a constant: no gradient flows through it)."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return tf.stop_gradient(value)
    return ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.stop_gradient(value))


def all_gather(value):
    """Every replica's `value` concatenated along axis 0 in replica order (a
    constant), equal to the single-device tensor of the global batch."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return tf.stop_gradient(value)
    return ctx.all_gather(tf.stop_gradient(value), axis=0)


def stateless_seed(seed, step, stream, substream=0):
    """A stateless-RNG seed for draw `(stream, substream)` of training step `step`."""
    base = tf.stack([tf.cast(seed, tf.int64), tf.cast(step, tf.int64)])
    base = tf.random.experimental.stateless_fold_in(base, stream, alg=_ALG)
    return tf.random.experimental.stateless_fold_in(base, substream, alg=_ALG)


def draw_global_slice(kind, local_batch, sample_shape, seed, dtype="float32"):
    """Draws `kind` noise for the global batch and returns this replica's slice.

    Args:
        kind: `"normal"` or `"uniform"` (in [0, 1)).
        local_batch: the number of samples this replica sees (scalar tensor).
        sample_shape: shape of one sample's noise (tuple of ints).
        seed: a stateless seed from `stateless_seed`.
    """
    replica_id, num_replicas = replica_context()
    shape = tf.concat(
        [tf.reshape(local_batch * num_replicas, [1]), tf.constant(sample_shape, tf.int32)],
        axis=0,
    ) if sample_shape else tf.reshape(local_batch * num_replicas, [1])
    if kind == "normal":
        noise = tf.random.stateless_normal(shape, seed, dtype=dtype, alg=_ALG)
    elif kind == "uniform":
        noise = tf.random.stateless_uniform(shape, seed, dtype=dtype, alg=_ALG)
    else:
        raise ValueError(f"Unknown noise kind {kind!r}: use 'normal' or 'uniform'.")
    if num_replicas == 1:
        return noise
    start = replica_id * local_batch
    return noise[start : start + local_batch]


def logs_for_keras(logs):
    """Step outputs in the shape Keras can reduce across replicas.

    Under `MultiWorkerMirroredStrategy` Keras 3.15 reduces step outputs with
    `strategy.reduce("MEAN", value, axis=0)`, which fails on scalars
    ("Invalid reduction dimension 0 for input with 0 dimensions"). The metric
    results are already global, so each becomes a one-element vector there;
    the mean over replicas gives back the scalar.
    """
    strategy = tf.distribute.get_strategy()
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and \
        strategy.extended._in_multi_worker_mode()
    if not multi_worker:
        return logs
    return {name: tf.reshape(value, [1]) for name, value in logs.items()}
