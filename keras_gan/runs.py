"""Training runs from recipes: resolved config, run directory, exact resume.

A run directory holds `config.json` (the resolved configuration),
`checkpoint.keras` (with the `keep_checkpoints - 1` before it as
`checkpoint.1.keras`, ...; each verified before it replaces an older one) and
`state.json` (written atomically after every epoch),
`samples/epoch_NNNN.png`, `metrics.csv`, `losses.png` (and `fid.png` or
`modes.png` when evaluated) and `summary.json`.

Resuming is exact: the model, both optimizers and the random step counter
come back from the checkpoint, and the data order of epoch `e` depends only
on `(seed, e)`, so an interrupted run continues with the batches the
uninterrupted run would have seen.
"""

import copy
import csv
import inspect
import json
import math
import os
import sys
import time

import keras
import numpy as np
import tensorflow as tf

from keras_gan import _run_evaluation
from keras_gan._checkpoints import (CheckpointError, existing_checkpoints,
                                    load_newest_checkpoint, save_checkpoint)
from keras_gan._io import atomic_path

DEFAULTS = {
    "recipe": None,
    "paper": "",
    "expected": "",
    "model": "GAN",
    "dataset": "mnist",
    "split": "train",
    "image_size": None,
    "channels": None,
    "center_crop": None,
    "num_samples": None,
    "dataset_size": 100000,
    "data_dir": None,
    "latent_dim": 100,
    "num_classes": None,  # models with classes (ConditionalGAN, ACGAN, BigGAN, SemiSupervisedGAN)
    "num_labelled": None,  # SemiSupervisedGAN: labels kept (class-balanced), the rest -1
    "test_split": "test",  # SemiSupervisedGAN: where the classifier's accuracy is measured
    "model_args": {},  # extra arguments of the model class (e.g. InfoGAN's codes)
    "feature_matching": None,  # Salimans et al. 2016 options of GAN.compile
    "historical_averaging": None,
    # Image-to-image models (see keras_gan/_image_runs.py): the kind of data,
    # a second source/split, tfds features of pairs, side-by-side direction,
    # the tfds image feature, the super-resolution factor, StarGAN attributes,
    # the generator loss weights and CycleGAN's linear decay over the second half.
    "pairing": None,
    "target_dataset": None,
    "target_split": None,
    "pair_features": ["input", "target"],
    "direction": "a_to_b",
    "image_feature": "image",
    "scale": 4,
    "attributes": None,
    "loss_weights": {},
    "linear_decay": False,
    # SinGAN: iterations per scale and the longer side of its image.
    "steps_per_scale": 2000,
    "max_size": 250,
    # ProGAN's growth schedule: {"stable_images": N, "fade_images": M}
    # (keras_gan.callbacks.ProgressiveGrowing; models saved per resolution).
    "progressive": None,
    "generator": {"builder": "dcgan_generator"},
    "discriminator": {"builder": "dcgan_discriminator"},
    "loss": "non_saturating",
    "penalties": [],
    "d_steps": 1,
    "weight_clip": None,
    "optimizer": "adam",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "beta_2": 0.999,
    "batch_size": 64,
    "epochs": 5,
    "steps": None,
    "ema_decay": None,
    "sample_every": 1,
    # Evaluation during training, e.g. --set eval_metrics=fid,kid: needs the
    # InceptionV3 weights (or eval_extractor=path/to/features.keras).
    "eval_metrics": None,
    "eval_samples": 5000,
    "eval_every": 5,
    "eval_extractor": "inception",
    "seed": 0,
    # Checkpoints kept (the newest is checkpoint.keras); --resume falls back to
    # the newest one that loads.
    "keep_checkpoints": 2,
}
# Keys that may change when a run is resumed: train longer, or lower the
# learning rates after a divergence.
RESUMABLE_CHANGES = ("epochs", "d_learning_rate", "g_learning_rate", "keep_checkpoints")
MIXTURES = ("ring", "grid")
_MODELS = ("GAN", "ConditionalGAN", "WGAN", "WGANGP", "LSGAN", "DRAGAN", "SNGAN", "ACGAN",
           "InfoGAN", "SemiSupervisedGAN", "BigGAN", "SAGAN", "ProGAN", "StyleGAN", "StyleGAN2",
           "SinGAN", "LAPGAN", "Pix2Pix", "CycleGAN", "SRGAN", "StarGAN", "ContextEncoder")


class RunError(ValueError):
    """A run cannot start or continue; the message says why and what to do."""


# --- configuration ----------------------------------------------------------

def resolve_config(recipe, overrides=(), **options):
    """The full configuration of `recipe` with `--set key=value` overrides
    and keyword options (e.g. `epochs=2`) applied and type-checked."""
    import recipes

    config = copy.deepcopy(DEFAULTS)
    config.update(copy.deepcopy(recipes.get(recipe)))
    for item in overrides:
        if "=" not in item:
            raise RunError(f"--set expects key=value; received {item!r}.")
        key, value = item.split("=", 1)
        _set(config, key.strip(), _parse(value))
    for key, value in options.items():
        if value is not None:
            _set(config, key, value)
    if config["steps"] is not None:
        config["epochs"] = None  # --steps decides the number of epochs (and wins over --epochs)
    if config["model"] not in _MODELS:
        raise RunError(f"model={config['model']!r} is not one of {', '.join(_MODELS)}.")
    return config


def _parse(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _set(config, key, value):
    """Sets `key` (dotted for nested dicts, e.g. `generator.base_filters`),
    checking that it exists and that the value has the default's type."""
    parts = key.split(".")
    target = config
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(target.get(part), dict):
            raise RunError(f"Unknown key {key!r}: {'.'.join(parts[:depth + 1])} is not a section.")
        target = target[part]
    name = parts[-1]
    nested = len(parts) > 1
    if name not in target and not nested:
        raise RunError(f"Unknown key {key!r}. Valid keys: {', '.join(sorted(config))}.")
    current = target.get(name)
    if current is not None and not _same_type(current, value):
        raise RunError(
            f"{key} must be {type(current).__name__} (like {current!r}); received {value!r}.")
    target[name] = value


def _same_type(current, value):
    if isinstance(current, bool) or isinstance(value, bool):
        return isinstance(current, bool) and isinstance(value, bool)
    if isinstance(current, (int, float)):
        return isinstance(value, (int, float)) and (isinstance(current, float) or
                                                    float(value).is_integer())
    return isinstance(value, type(current))


# --- building ---------------------------------------------------------------

def is_mixture(config):
    return config["dataset"] in MIXTURES


def build_examples(config):
    """The unbatched, unshuffled examples `(dataset, count, sample_shape)`."""
    from keras_gan import _image_runs, _single_image_runs, data

    if _image_runs.is_image_to_image(config):
        return _image_runs.build_examples(config)
    if _single_image_runs.is_single_image(config):
        return _single_image_runs.build_examples(config)
    if is_mixture(config):
        points, _, _ = data.load_mixture(config["dataset"], config["dataset_size"],
                                         seed=config["seed"])
        return tf.data.Dataset.from_tensor_slices(points), len(points), (2,)
    labelled = bool(config["num_classes"])
    dataset = data.load_images(
        config["dataset"], split=config["split"], batch_size=None, image_size=config["image_size"],
        channels=config["channels"], shuffle=False, num_samples=config["num_samples"],
        center_crop=config["center_crop"], data_dir=config["data_dir"], labels=labelled)
    count = int(dataset.cardinality())
    if count < 0:  # unknown (filtering, split expressions): count once
        count = int(dataset.reduce(0, lambda n, _: n + 1))
    spec = dataset.element_spec[0] if labelled else dataset.element_spec
    if config["num_labelled"]:
        dataset = _keep_labels(dataset, config)
    return dataset, count, tuple(spec.shape)


def _keep_labels(dataset, config):
    """The dataset with all but `num_labelled` class-balanced labels set to -1."""
    from keras_gan.data import keep_labels

    classes = config["num_classes"]
    if not classes or config["num_labelled"] % classes:
        raise RunError(f"num_labelled={config['num_labelled']} must be a multiple of "
                       f"num_classes={classes} (the same number of labels per class).")
    labels = np.fromiter(dataset.map(lambda _, y: y).as_numpy_iterator(), np.int64)
    kept = keep_labels(labels, config["num_labelled"] // classes, seed=config["seed"])
    return tf.data.Dataset.zip((dataset.map(lambda x, _: x),
                                tf.data.Dataset.from_tensor_slices(kept)))


def build_model(config, sample_shape, total_steps=None):
    """The GAN of `config`, compiled (under the current strategy's scope).
    `sample_shape` is the shape of one sample (a dict of input/target shapes
    for image-to-image models); `total_steps` sizes learning-rate schedules."""
    import keras_gan
    from keras_gan import _image_runs, _single_image_runs, networks

    if _single_image_runs.is_single_image(config):
        return _single_image_runs.build_model(config, lambda rate: _optimizer(config, rate))
    if _image_runs.is_image_to_image(config):
        return _image_runs.build_model(
            config, sample_shape, total_steps,
            lambda spec, implied, role: _network(networks, spec, implied, role))
    latent_dim = config["latent_dim"]
    implied = _implied(config, sample_shape)
    generator = _network(networks, config["generator"], implied, "generator")
    discriminator = _network(networks, config["discriminator"], implied, "discriminator")
    model_class = getattr(keras_gan, config["model"])
    takes_classes = "num_classes" in inspect.signature(model_class).parameters
    conditional = {"num_classes": config["num_classes"]} if config["num_classes"] else {}
    if bool(conditional) != takes_classes:
        raise RunError(f"Set num_classes exactly for models with classes (received "
                       f"model={config['model']!r}, num_classes={config['num_classes']!r}).")
    ema = {"generator_ema": True} if config["ema_decay"] is not None else {}
    gan = model_class(generator, discriminator, latent_dim=latent_dim, seed=config["seed"],
                      **ema, **conditional, **config["model_args"])
    gan.compile(
        d_optimizer=_optimizer(config, config["d_learning_rate"]),
        g_optimizer=_optimizer(config, config["g_learning_rate"]),
        loss=config["loss"], penalties=penalties(config), d_steps=config["d_steps"],
        weight_clip=config["weight_clip"], feature_matching=config["feature_matching"],
        historical_averaging=config["historical_averaging"], jit_compile=config.get("jit", "auto"))
    return gan


def penalties(config):
    """The penalty objects of `config["penalties"]` (names with optional settings)."""
    from keras_gan import regularizers

    result = []
    for spec in config["penalties"]:
        spec = dict(spec)
        penalty = regularizers.get(spec.pop("name"))
        result.append(type(penalty).from_config({**penalty.get_config(), **spec}))
    return result


def _implied(config, sample_shape):
    """Builder arguments that follow from the configuration and the data."""
    implied = {"latent_dim": config["latent_dim"]}
    if config["num_classes"]:
        implied["num_classes"] = config["num_classes"]
    if len(sample_shape) == 3:
        implied.update(resolution=sample_shape[0], channels=sample_shape[-1])
    else:
        implied.update(output_dim=sample_shape[0], input_dim=sample_shape[0])
    return implied


def _network(networks, spec, implied, role):
    spec = dict(spec)
    name = spec.pop("builder")
    builder = getattr(networks, name, None)
    if builder is None:
        raise RunError(f"{role}.builder={name!r} is not in keras_gan.networks "
                       f"({', '.join(networks.__all__)}).")
    accepted = inspect.signature(builder).parameters
    for key, value in implied.items():
        if key in accepted and key not in spec:
            spec[key] = value
    unknown = set(spec) - set(accepted)
    if unknown:
        raise RunError(f"{role} builder {name} has no argument(s) {sorted(unknown)}; it takes "
                       f"{', '.join(accepted)}.")
    return builder(**spec)


def _optimizer(config, learning_rate):
    kind = config["optimizer"].lower()
    if kind == "adam":
        return keras.optimizers.Adam(learning_rate, beta_1=config["beta_1"],
                                     beta_2=config["beta_2"])
    if kind == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    raise RunError(f"optimizer={config['optimizer']!r}: use 'adam' or 'rmsprop'.")


def schedule(config, count, sample_shape=None):
    """`(epochs, steps_per_epoch)`: whole passes over the data, or `steps`
    split into the fewest epochs of at most one pass each (SinGAN: one epoch
    per scale)."""
    from keras_gan import _single_image_runs

    if _single_image_runs.is_single_image(config):
        return _single_image_runs.schedule(config, sample_shape)
    per_pass = count // config["batch_size"]
    if per_pass < 1:
        raise RunError(f"The dataset has {count} examples, fewer than one batch of "
                       f"{config['batch_size']}; lower batch_size.")
    if config["steps"] is None:
        return int(config["epochs"]), per_pass
    epochs = math.ceil(config["steps"] / per_pass)
    return epochs, math.ceil(config["steps"] / epochs)


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


# --- the run directory ------------------------------------------------------

def _write_json(path, data):
    with atomic_path(path) as temporary, open(temporary, "w") as handle:
        json.dump(data, handle, indent=2, default=_json_default)


def _json_default(value):
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return str(value)


class RunCheckpoint(keras.callbacks.Callback):
    """Saves a verified checkpoint (the last `keep` are kept) and
    `state.json` atomically after every epoch."""

    def __init__(self, directory, keep=2):
        super().__init__()
        self.directory, self.keep = directory, keep

    def on_epoch_end(self, epoch, logs=None):
        try:
            save_checkpoint(self.model, self.directory, self.keep, f"epoch {epoch + 1}")
        except CheckpointError as error:
            raise RunError(str(error)) from error
        _write_json(os.path.join(self.directory, "state.json"),
                    {"epoch": epoch + 1, "step": int(self.model.step_counter.numpy())})


class RunCSVLogger(keras.callbacks.CSVLogger):
    """`CSVLogger` without the empty `val_*` columns Keras adds when there is
    no validation data."""

    def on_epoch_end(self, epoch, logs=None):
        if self.keys is None:
            self.keys = sorted((logs or {}).keys())
        super().on_epoch_end(epoch, logs)


class RunPlots(keras.callbacks.Callback):
    """Redraws the loss (and metric) plots from `metrics.csv` after every epoch."""

    def __init__(self, directory):
        super().__init__()
        self.directory = directory

    def on_epoch_end(self, epoch, logs=None):
        from keras_gan.visualization import plot_metrics

        plot_metrics(os.path.join(self.directory, "metrics.csv"), self.directory)


def _drop_metrics_after(path, epochs):
    """Keeps the rows of the first `epochs` epochs of `metrics.csv` (a run
    resumed from an older checkpoint trains the later ones again)."""
    if not os.path.exists(path):
        return
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or "epoch" not in rows[0]:
        return
    column = rows[0].index("epoch")
    kept = [rows[0]] + [r for r in rows[1:] if r and int(float(r[column])) < epochs]
    if len(kept) != len(rows):
        with atomic_path(path) as temporary, open(temporary, "w", newline="") as handle:
            csv.writer(handle).writerows(kept)


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


def _check_writable(out, min_free_bytes=200 * 2**20):
    """Fails at start, not after hours, when `out` cannot hold checkpoints."""
    import shutil

    try:
        os.makedirs(out, exist_ok=True)
        probe = os.path.join(out, f".write-test-{os.getpid()}")
        with open(probe, "w") as handle:
            handle.write("ok")
        os.remove(probe)
    except OSError as error:
        raise RunError(f"Cannot write to the run directory {out}: {error}. Choose another "
                       "--out or fix its permissions.") from error
    free = shutil.disk_usage(out).free
    if free < min_free_bytes:
        raise RunError(f"Only {free / 2**20:.0f} MiB free where {out} lives; checkpoints need "
                       f"at least {min_free_bytes / 2**20:.0f} MiB. Free space or choose "
                       "another --out.")


def _is_chief():
    """True unless this process is a non-chief worker of a `TF_CONFIG` cluster."""
    cluster = json.loads(os.environ.get("TF_CONFIG", "{}") or "{}")
    task = cluster.get("task", {})
    if "chief" in cluster.get("cluster", {}):
        return task.get("type") == "chief"
    return task.get("type", "worker") == "worker" and int(task.get("index", 0)) == 0


def train(config, out, resume=False, strategy="auto", precision="float32", verbose="auto"):
    """Trains `config` into run directory `out`; returns the summary dict.

    With `resume=True` an existing run continues from its last checkpoint
    (refused when the configuration differs, except for a larger `epochs`
    or new learning rates). A non-finite loss stops training with
    `NonFiniteLossError`; the checkpoint of the last finished epoch stays.
    """
    from keras_gan import callbacks

    out = os.fspath(out)
    # First: MultiWorkerMirroredStrategy must exist before any other TF op.
    strategy = _strategy(strategy)
    config_path = os.path.join(out, "config.json")
    keep = config.get("keep_checkpoints", 2)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise RunError(f"keep_checkpoints must be an integer >= 1; received {keep!r}.")
    if resume:
        if not os.path.exists(config_path):
            raise RunError(f"Cannot resume: {out} is not a run directory (no config.json). "
                           "Start it without --resume.")
        with open(config_path) as handle:
            saved = json.load(handle)
        differences = [f"{k}: run has {saved.get(k)!r}, now {config.get(k)!r}"
                       for k in sorted(set(saved) | set(config))
                       if k not in RESUMABLE_CHANGES and saved.get(k) != config.get(k)]
        if differences:
            raise RunError("Refusing to resume with a different configuration:\n  "
                           + "\n  ".join(differences)
                           + "\nDrop the --set options that differ, or train into a new --out.")
    elif existing_checkpoints(out):
        raise RunError(f"{out} already holds a run. Pass --resume to continue it, or choose "
                       "another --out.")
    if _is_chief():
        _check_writable(out)
        _write_json(config_path, config)

    keras.mixed_precision.set_global_policy(precision)
    keras.utils.set_random_seed(config["seed"])
    examples, count, sample_shape = build_examples(config)
    epochs, steps_per_epoch = schedule(config, count, sample_shape)
    initial_epoch = 0
    with strategy.scope():
        if resume and existing_checkpoints(out):
            try:
                gan, checkpoint = load_newest_checkpoint(
                    out, report=lambda line: print(line, file=sys.stderr))
            except CheckpointError as error:
                raise RunError(f"Cannot resume: {error}") from error
            # The epoch comes from the checkpoint itself (its step counter), so a
            # crash between writing it and state.json cannot misplace the run.
            initial_epoch, partial = divmod(int(gan.step_counter.numpy()), steps_per_epoch)
            if partial:
                raise RunError(f"{checkpoint} was written mid-epoch (step "
                               f"{int(gan.step_counter.numpy())}, {steps_per_epoch} per epoch); "
                               "it does not belong to this configuration.")
            if not config.get("linear_decay") and gan.d_optimizer is not None:
                # (a schedule continues from the checkpoint; SinGAN makes its
                # optimizers per scale from the saved templates)
                gan.d_optimizer.learning_rate = config["d_learning_rate"]
                gan.g_optimizer.learning_rate = config["g_learning_rate"]
        else:
            gan = build_model(config, sample_shape, total_steps=epochs * steps_per_epoch)
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
    if not _is_chief():
        # Other workers of a multi-worker run train in lockstep but leave the
        # run directory to the chief.
        gan.fit(data, epochs=epochs, initial_epoch=initial_epoch,
                steps_per_epoch=steps_per_epoch, callbacks=run_callbacks, verbose=0)
        return None
    if initial_epoch:
        _drop_metrics_after(os.path.join(out, "metrics.csv"), initial_epoch)
    run_callbacks += [RunCheckpoint(out, keep), RunCSVLogger(
        os.path.join(out, "metrics.csv"), append=initial_epoch > 0), RunPlots(out)]
    if isinstance(sample_shape, dict) or hasattr(gan, "num_scales"):
        # image-to-image: input | output | target; SinGAN: image | reconstruction | samples
        from keras_gan._image_runs import preview_examples

        run_callbacks.append(callbacks.TranslationGrid(
            () if hasattr(gan, "num_scales") else preview_examples(examples),
            os.path.join(out, "samples"),
            every_n_epochs=config["sample_every"]))
    elif is_mixture(config):
        run_callbacks.append(callbacks.ModeCoverage(
            config["dataset"], os.path.join(out, "samples"), every_n_epochs=config["sample_every"]))
    else:
        run_callbacks.append(callbacks.SampleGrid(
            os.path.join(out, "samples"), every_n_epochs=config["sample_every"],
            traversal=hasattr(gan, "traversal_latents")))
        if config["eval_metrics"]:
            run_callbacks.append(_run_evaluation.evaluation_callback(config, sample_shape))
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
    if hasattr(gan, "classify"):
        summary.update(_run_evaluation.classifier_accuracy(gan, config, sample_shape))
    if hasattr(gan, "num_scales"):
        from keras_gan import _single_image_runs

        summary.update(_single_image_runs.summary(gan, config, config["eval_extractor"]))
    _write_json(os.path.join(out, "summary.json"), summary)
    return summary


def load_run(path):
    """`(model, config or None)` from a run directory or a `.keras` file."""
    path = os.fspath(path)
    if os.path.isdir(path):
        try:
            model, _ = load_newest_checkpoint(path, report=lambda line: print(line,
                                                                              file=sys.stderr))
        except CheckpointError as error:
            raise RunError(str(error)) from error
        with open(os.path.join(path, "config.json")) as handle:
            config = json.load(handle)
        return model, config
    if path.endswith(".keras") and os.path.exists(path):
        return keras.models.load_model(path), None
    raise RunError(f"{path} is neither a run directory nor a .keras model file.")
