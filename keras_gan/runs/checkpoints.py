"""The run directory's checkpoints: the last K kept, each verified, damaged ones skipped on resume.

`checkpoint.keras` is the newest, `checkpoint.1.keras` the one before, up to
`checkpoint.{K-1}.keras`. A new checkpoint is written to a temporary file,
verified (every member of the archive passes its CRC, its config parses and
every weight array reads back), and only then rotated in: the older ones move
down one place and the oldest beyond K is dropped. A crash or a full disk at
any point leaves at least the previous checkpoint intact.
"""

import json
import os
import zipfile

import h5py
import keras

NEWEST = "checkpoint.keras"


class CheckpointError(ValueError):
    """A checkpoint cannot be written, or none in a run directory loads."""


def checkpoint_path(directory, index=0):
    """The path of the checkpoint `index` places below the newest."""
    return os.path.join(directory, NEWEST if index == 0 else f"checkpoint.{index}.keras")


def existing_checkpoints(directory):
    """The checkpoint files present in `directory`, newest first."""
    paths, index = [], 0
    names = set(os.listdir(directory)) if os.path.isdir(directory) else set()
    largest = max([0] + [int(n.split(".")[1]) for n in names
                         if n.startswith("checkpoint.") and n.endswith(".keras")
                         and n.split(".")[1].isdigit()])
    for index in range(largest + 1):
        path = checkpoint_path(directory, index)
        if os.path.basename(path) in names:
            paths.append(path)
    return paths


def damage(path):
    """Why the `.keras` file at `path` is unreadable, or None when its archive,
    config and weights all read back (the model is not built)."""
    try:
        size = os.path.getsize(path)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if size == 0:
        return "it is empty (0 bytes)"
    if not zipfile.is_zipfile(path):
        return f"it is not a complete .keras (zip) archive ({size} bytes: truncated?)"
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            if broken is not None:
                return f"its member {broken} fails its CRC check (corrupted)"
            names = set(archive.namelist())
            if "config.json" not in names or "model.weights.h5" not in names:
                return "it is a zip archive but not a Keras model (no config.json/model.weights.h5)"
            json.loads(archive.read("config.json"))
            with archive.open("model.weights.h5") as weights, h5py.File(weights, "r") as h5:
                h5.visititems(lambda name, item: item[()] if isinstance(item, h5py.Dataset)
                              else None)
    except (OSError, ValueError, zipfile.BadZipFile, KeyError) as error:
        return f"it does not read back ({type(error).__name__}: {error})"
    return None


def save_checkpoint(model, directory, keep, label):
    """Saves `model` as the newest of the last `keep` checkpoints in `directory`.

    Raises `CheckpointError` (the older checkpoints intact) when the new one
    cannot be written or does not read back; `label` names it (e.g. "epoch 3").
    """
    staged = os.path.join(directory, f".checkpoint.tmp-{os.getpid()}.keras")
    try:
        try:
            model.save(staged)
        except OSError as error:
            raise CheckpointError(
                f"Could not write the checkpoint of {label} ({error}); the previous "
                f"checkpoint in {directory} is intact. Free some space, then continue with "
                "--resume.") from error
        problem = damage(staged)
        if problem:
            raise CheckpointError(f"The checkpoint of {label} did not read back: {problem}; the "
                                  f"previous checkpoint in {directory} is intact.")
        for index in reversed(range(1, keep)):
            newer = checkpoint_path(directory, index - 1)
            if os.path.exists(newer):
                os.replace(newer, checkpoint_path(directory, index))
        os.replace(staged, checkpoint_path(directory))
        for stale in existing_checkpoints(directory)[keep:]:  # `keep` was lowered
            os.remove(stale)
    finally:
        if os.path.exists(staged):
            os.remove(staged)


def load_newest_checkpoint(directory, report=print):
    """`(model, path)` of the newest checkpoint in `directory` that loads.

    Each damaged newer one is reported in one line (which file, why) through
    `report`; raises `CheckpointError` when none loads.
    """
    skipped = []
    for path in existing_checkpoints(directory):
        problem = damage(path)
        if problem is None:
            try:
                model = keras.models.load_model(path)
            except Exception as error:  # a readable archive Keras still refuses
                problem = f"Keras cannot load it ({type(error).__name__}: {str(error)[:200]})"
        if problem is None:
            for bad, why in skipped:
                report(f"keras-gan: {bad} is damaged ({why}); resuming from "
                       f"{os.path.basename(path)}.")
            return model, path
        skipped.append((path, problem))
    if not skipped:
        raise CheckpointError(f"{directory} has no checkpoint yet (no finished epoch).")
    raise CheckpointError(f"No checkpoint in {directory} loads: " + "; ".join(
        f"{os.path.basename(p)}: {why}" for p, why in skipped))
