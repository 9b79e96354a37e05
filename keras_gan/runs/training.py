"""`train`: a configuration into a run directory, resumed exactly.

Resuming is exact: the model, both optimizers and the random step counter
come back from the checkpoint, and the data order of epoch `e` depends only
on `(seed, e)`, so an interrupted run continues with the batches the
uninterrupted run would have seen.
"""

import os
import time

import keras
import tensorflow as tf

from keras_gan.distributed import is_chief
from keras_gan.runs import directory
from keras_gan.runs.checkpoints import existing_checkpoints
from keras_gan.runs.config import RunError
from keras_gan.runs.kinds import kind_of


def build_examples(config):
    """The unbatched, unshuffled examples `(dataset, count, sample_shape)`."""
    return kind_of(config).build_examples(config)


def build_model(config, sample_shape, total_steps=None):
    """The model of `config`, compiled (under the current strategy's scope).
    `sample_shape` is the shape of one sample (a dict of input/target shapes
    for image-to-image models); `total_steps` sizes learning-rate schedules."""
    return kind_of(config).build_model(config, sample_shape, total_steps)


def schedule(config, count, sample_shape=None):
    """`(epochs, steps_per_epoch)` of `config` on `count` examples."""
    return kind_of(config).schedule(config, count, sample_shape)


def epoch_batches(examples, count, config, steps_per_epoch, initial_epoch, epochs):
    """Batches for epochs `initial_epoch .. epochs - 1`; epoch `e` is
    shuffled with a seed derived from `(seed, e)` alone."""
    buffer = min(count, 10_000)
    seed, batch = config["seed"], config["batch_size"]
    blocks = [examples.shuffle(buffer, seed=seed * 1_000_003 + e, reshuffle_each_iteration=False)
              .batch(batch, drop_remainder=True).take(steps_per_epoch)
              for e in range(initial_epoch, epochs)]
    dataset = blocks[0]
    for block in blocks[1:]:
        dataset = dataset.concatenate(block)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _strategy(name):
    if name in (None, "none"):
        return tf.distribute.get_strategy()
    if name == "auto":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise RunError(f"strategy={name!r}: use auto, none, mirrored or multi_worker.")


# The optimizer attributes of the models and the learning rate each takes.
_LEARNING_RATES = (("d_optimizer", "d_learning_rate"), ("g_optimizer", "g_learning_rate"),
                   ("e_optimizer", "g_learning_rate"), ("vae_optimizer", "g_learning_rate"))


def _set_learning_rates(model, config):
    """A resumed run's (possibly new) constant learning rates. Schedules
    continue from the checkpoint; SinGAN makes its optimizers per scale from
    the saved templates (its attributes are None)."""
    for attribute, key in _LEARNING_RATES:
        optimizer = getattr(model, attribute, None)
        if optimizer is None:
            continue
        if isinstance(optimizer.get_config().get("learning_rate"), dict):
            continue  # a LearningRateSchedule
        optimizer.learning_rate = config[key]


def train(config, out, resume=False, strategy="auto", precision="float32", verbose="auto"):
    """Trains `config` into run directory `out`; returns the summary dict
    (None on a non-chief worker).

    With `resume=True` an existing run continues from its newest checkpoint
    that loads (refused when the configuration differs, except for a larger
    `epochs`, new learning rates, `keep_checkpoints` or `tensorboard`). A
    non-finite loss stops training with `NonFiniteLossError`; the checkpoint
    of the last finished epoch stays.
    """
    from keras_gan import callbacks

    out = os.fspath(out)
    # First: MultiWorkerMirroredStrategy must exist before any other TF op.
    strategy = _strategy(strategy)
    kind = kind_of(config)
    directory.check_start(config, out, resume)
    chief = is_chief()
    if chief:
        directory.check_writable(out)
        directory.write_json(os.path.join(out, "config.json"), config)

    keras.mixed_precision.set_global_policy(precision)
    keras.utils.set_random_seed(config["seed"])
    examples, count, sample_shape = kind.build_examples(config)
    epochs, steps_per_epoch = kind.schedule(config, count, sample_shape)
    initial_epoch = 0
    with strategy.scope():
        if resume and existing_checkpoints(out):
            gan, initial_epoch = directory.resume_model(out, steps_per_epoch)
            if not config.get("linear_decay"):
                _set_learning_rates(gan, config)
        else:
            gan = kind.build_model(config, sample_shape, total_steps=epochs * steps_per_epoch)
    if initial_epoch >= epochs:
        raise RunError(f"The run in {out} already finished its {epochs} epochs; raise --epochs "
                       "(or --steps) to train longer.")
    data = epoch_batches(examples, count, config, steps_per_epoch, initial_epoch, epochs)
    run_callbacks = []
    if config["ema_decay"] is not None:
        run_callbacks.append(callbacks.GeneratorEMA(config["ema_decay"]))
    if config["progressive"]:
        run_callbacks.append(callbacks.ProgressiveGrowing(
            **config["progressive"], directory=os.path.join(out, "resolutions")))
    if not chief:
        # Other workers of a multi-worker run train in lockstep but leave the
        # run directory to the chief.
        gan.fit(data, epochs=epochs, initial_epoch=initial_epoch,
                steps_per_epoch=steps_per_epoch, callbacks=run_callbacks, verbose=0)
        return None
    if initial_epoch:
        directory.drop_metrics_after(os.path.join(out, "metrics.csv"), initial_epoch)
    samples = os.path.join(out, "samples")
    run_callbacks += [directory.RunCheckpoint(out, config.get("keep_checkpoints", 2)),
                      directory.RunCSVLogger(os.path.join(out, "metrics.csv"),
                                             append=initial_epoch > 0),
                      directory.RunPlots(out)]
    run_callbacks += kind.callbacks(config, gan, examples, sample_shape, samples)
    if config.get("tensorboard", True):
        run_callbacks.append(directory.RunTensorBoard(os.path.join(out, "tensorboard"), samples))
    start = time.perf_counter()
    history = gan.fit(data, epochs=epochs, initial_epoch=initial_epoch,
                      steps_per_epoch=steps_per_epoch, callbacks=run_callbacks, verbose=verbose)
    seconds = time.perf_counter() - start
    trained = (epochs - initial_epoch) * steps_per_epoch
    summary = {
        "recipe": config["recipe"],
        "epochs": epochs,
        "steps_per_epoch": steps_per_epoch,
        "steps": int(gan.step_counter.numpy()),
        "resumed_from_epoch": initial_epoch,
        "replicas": strategy.num_replicas_in_sync,
        "seconds": round(seconds, 2),
        "steps_per_second": round(trained / seconds, 2) if trained else None,
        "final": {k: float(v[-1]) for k, v in history.history.items() if v},
        "expected": config["expected"],
    }
    summary.update(kind.summary(config, gan, sample_shape))
    directory.write_json(os.path.join(out, "summary.json"), summary)
    return summary
