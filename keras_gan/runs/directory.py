"""The run directory: its files, written atomically; the rules of resuming;
the callbacks that keep it up to date; loading a finished run.

A run directory holds `config.json` (the resolved configuration),
`checkpoint.keras` (with the `keep_checkpoints - 1` before it as
`checkpoint.1.keras`, ...; each verified before it replaces an older one),
`state.json` (written atomically after every epoch),
`samples/epoch_NNNN.png`, `metrics.csv`, `losses.png` (and `fid.png` or
`modes.png` when evaluated), `tensorboard/` (unless `tensorboard=false`) and
`summary.json`. Only the chief of a multi-worker run writes it.
"""

import csv
import glob
import json
import os
import shutil
import sys

import keras
import numpy as np
import tensorflow as tf

from keras_gan._io import atomic_path
from keras_gan.runs.checkpoints import (CheckpointError, existing_checkpoints,
                                        load_newest_checkpoint, save_checkpoint)
from keras_gan.runs.config import RESUMABLE_CHANGES, RunError


def write_json(path, data):
    """Writes `data` as JSON to `path` atomically (NumPy scalars as numbers)."""
    with atomic_path(path) as temporary, open(temporary, "w") as handle:
        json.dump(data, handle, indent=2, default=_json_default)


def _json_default(value):
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return str(value)


def check_start(config, out, resume):
    """Refuses a resume without a run, or with a configuration that differs
    (except in `RESUMABLE_CHANGES`), and a fresh start over an existing run."""
    keep = config.get("keep_checkpoints", 2)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise RunError(f"keep_checkpoints must be an integer >= 1; received {keep!r}.")
    config_path = os.path.join(out, "config.json")
    if resume:
        if not os.path.exists(config_path):
            raise RunError(f"Cannot resume: {out} is not a run directory (no config.json). "
                           "Start it without --resume.")
        with open(config_path) as handle:
            saved = json.load(handle)
        if config.get("init") is None:
            # The weights now come from the checkpoint; keep the record of the start.
            config["init"] = saved.get("init")
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


def check_writable(out, min_free_bytes=200 * 2**20):
    """Fails at start, not after hours, when `out` cannot hold checkpoints."""
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


def resume_model(out, steps_per_epoch):
    """`(model, initial_epoch)` from the newest checkpoint of `out` that loads."""
    try:
        model, checkpoint = load_newest_checkpoint(out, report=_report)
    except CheckpointError as error:
        raise RunError(f"Cannot resume: {error}") from error
    # The epoch comes from the checkpoint itself (its step counter), so a
    # crash between writing it and state.json cannot misplace the run.
    step = int(model.step_counter.numpy())
    initial_epoch, partial = divmod(step, steps_per_epoch)
    if partial:
        raise RunError(f"{checkpoint} was written mid-epoch (step {step}, {steps_per_epoch} "
                       "per epoch); it does not belong to this configuration.")
    return model, initial_epoch


def _report(line):
    print(line, file=sys.stderr)


def drop_metrics_after(path, epochs):
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
        write_json(os.path.join(self.directory, "state.json"),
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


class RunTensorBoard(keras.callbacks.Callback):
    """TensorBoard logs of a run: after every epoch, each logged value (the
    losses, gradient norms, penalties and FID/KID or mode counts of that
    epoch) as a scalar and each image the run wrote to `samples_dir` for the
    epoch (`epoch_NNNN*.png`) as an image, at the model's global step.

    Runs last among the run's callbacks so it sees what the evaluation
    callbacks added to `logs`. The summaries are written with TensorFlow's
    own `tf.summary.write` and the scalar/image plugin metadata, so runs log
    without the `tensorboard` package; view them with
    `pip install tensorboard; tensorboard --logdir runs/`.
    """

    def __init__(self, log_dir, samples_dir):
        super().__init__()
        self.log_dir, self.samples_dir = log_dir, samples_dir
        self._writer = None

    def on_train_begin(self, logs=None):
        self._writer = tf.summary.create_file_writer(self.log_dir)

    def on_epoch_end(self, epoch, logs=None):
        step = int(self.model.step_counter.numpy())
        with self._writer.as_default(step=step):
            for name, value in sorted((logs or {}).items()):
                if np.ndim(value) == 0 and np.isfinite(float(value)):
                    tf.summary.write(name, tf.constant(float(value), tf.float32),
                                     metadata=_metadata("scalars", "DATA_CLASS_SCALAR"))
            pattern = os.path.join(glob.escape(self.samples_dir), f"epoch_{epoch + 1:04d}*.png")
            for path in sorted(glob.glob(pattern)):
                encoded = tf.io.read_file(path)
                height, width = tf.unstack(tf.shape(tf.io.decode_png(encoded))[:2])
                name = "samples" + os.path.basename(path)[len("epoch_0000"):-len(".png")]
                # The images plugin's layout: [width, height, encoded image, ...].
                tf.summary.write(name, tf.stack([tf.strings.as_string(width),
                                                 tf.strings.as_string(height), encoded]),
                                 metadata=_metadata("images", "DATA_CLASS_BLOB_SEQUENCE"))
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _metadata(plugin, data_class):
    """The serialized `SummaryMetadata` that routes a summary to a TensorBoard plugin."""
    from tensorflow.core.framework import summary_pb2

    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin),
        data_class=getattr(summary_pb2, data_class)).SerializeToString()


def load_run(path):
    """`(model, config or None)` from a run directory or a `.keras` file."""
    path = os.fspath(path)
    if os.path.isdir(path):
        try:
            model, _ = load_newest_checkpoint(path, report=_report)
        except CheckpointError as error:
            raise RunError(str(error)) from error
        with open(os.path.join(path, "config.json")) as handle:
            config = json.load(handle)
        return model, config
    if path.endswith(".keras") and os.path.exists(path):
        return keras.models.load_model(path), None
    raise RunError(f"{path} is neither a run directory nor a .keras model file.")
