"""Runs survive SIGKILL and divergence; the run directory is never half-written."""

import json
import os
import signal
import subprocess
import sys
import time

import keras
import pytest

from keras_gan import cli
from tests.conftest import assert_weights_close

pytestmark = pytest.mark.slow

_RUN = ["train", "dcgan_mnist", "--dataset", "mnist_10k", "--batch-size", "8",
        "--set", "num_samples=400", "--set", "generator.base_filters=4",
        "--set", "discriminator.base_filters=4", "--set", "latent_dim=8", "--verbose", "0"]


def _weights(out):
    return keras.models.load_model(os.path.join(out, "checkpoint.keras")).weights


def _epoch(out):
    try:
        with open(os.path.join(out, "state.json")) as handle:
            return json.load(handle)["epoch"]
    except (OSError, ValueError):
        return 0


def test_sigkill_mid_epoch_then_resume_equals_an_uninterrupted_run(tmp_path):
    killed = str(tmp_path / "killed")
    process = subprocess.Popen([sys.executable, "-m", "keras_gan.cli", *_RUN, "--epochs", "4",
                                "--out", killed], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while _epoch(killed) < 1 and process.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # somewhere in epoch 2 (50 steps per epoch)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    finished = _epoch(killed)
    assert 1 <= finished < 4
    assert cli.main([*_RUN, "--epochs", "4", "--out", killed, "--resume"]) == 0
    summary = json.load(open(os.path.join(killed, "summary.json")))
    assert summary["resumed_from_epoch"] == finished  # the last complete checkpoint
    assert cli.main([*_RUN, "--epochs", "4", "--out", str(tmp_path / "straight")]) == 0
    assert_weights_close(_weights(killed), _weights(tmp_path / "straight"), atol=1e-6)


def test_divergence_keeps_the_last_good_checkpoint_and_resumes_with_lower_rates(tmp_path,
                                                                                capsys):
    out = str(tmp_path / "run")
    assert cli.main([*_RUN, "--epochs", "1", "--out", out]) == 0
    capsys.readouterr()
    diverging = [*_RUN, "--epochs", "2", "--out", out, "--resume",
                 "--set", "d_learning_rate=1e30", "--set", "g_learning_rate=1e30"]
    assert cli.main(diverging) == 3
    message = capsys.readouterr().err
    assert "became" in message and "--resume --set d_learning_rate=" in message
    assert _epoch(out) == 1  # the epoch-1 checkpoint was kept
    assert cli.main([*_RUN, "--epochs", "2", "--out", out, "--resume",
                     "--set", "d_learning_rate=1e-4", "--set", "g_learning_rate=1e-4"]) == 0
    gan = keras.models.load_model(os.path.join(out, "checkpoint.keras"))
    assert int(gan.step_counter.numpy()) == 100
    assert float(gan.d_optimizer.learning_rate.numpy()) == pytest.approx(1e-4)


# --- damaged checkpoints -----------------------------------------------------------


def _damage(path, how):
    if how == "truncated":  # a partial copy, a full disk
        size = os.path.getsize(path)
        with open(path, "r+b") as handle:
            handle.truncate(size // 2)
    elif how == "zero_bytes":
        open(path, "wb").close()
    else:  # a zip archive, but not a Keras model
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "not a model")


def test_resume_skips_a_damaged_newest_checkpoint_and_stays_exact(tmp_path, capsys):
    import shutil

    straight = str(tmp_path / "straight")
    assert cli.main([*_RUN, "--epochs", "2", "--out", straight]) == 0
    assert sorted(n for n in os.listdir(straight) if n.startswith("checkpoint")) == [
        "checkpoint.1.keras", "checkpoint.keras"]  # keep_checkpoints=2 by default
    for how in ("truncated", "zero_bytes", "wrong_zip"):
        out = str(tmp_path / how)
        shutil.copytree(straight, out)
        _damage(os.path.join(out, "checkpoint.keras"), how)
        capsys.readouterr()
        assert cli.main([*_RUN, "--epochs", "2", "--out", out, "--resume"]) == 0
        lines = [line for line in capsys.readouterr().err.splitlines() if "damaged" in line]
        assert len(lines) == 1 and "checkpoint.keras is damaged (" in lines[0]
        assert lines[0].endswith("resuming from checkpoint.1.keras.")
        summary = json.load(open(os.path.join(out, "summary.json")))
        assert summary["resumed_from_epoch"] == 1
        # Epoch 2 trained again from epoch 1's checkpoint: the same weights.
        assert_weights_close(_weights(out), _weights(straight), atol=1e-6)
        with open(os.path.join(out, "metrics.csv")) as handle:
            assert [row.split(",")[0] for row in handle.read().split()[1:]] == ["0", "1"]


def test_a_failed_checkpoint_write_keeps_the_previous_one(tmp_path, monkeypatch, capsys):
    import errno

    from keras_gan.runs.checkpoints import damage

    out = str(tmp_path / "run")
    assert cli.main([*_RUN, "--epochs", "1", "--out", out]) == 0

    def full_disk(self, filepath, *args, **kwargs):
        with open(filepath, "wb") as handle:
            handle.write(b"PK\x03\x04 half an archive")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keras.Model, "save", full_disk)
    capsys.readouterr()
    assert cli.main([*_RUN, "--epochs", "2", "--out", out, "--resume"]) == 2
    message = capsys.readouterr().err
    assert "No space left on device" in message and "is intact" in message
    monkeypatch.undo()
    checkpoint = os.path.join(out, "checkpoint.keras")
    assert damage(checkpoint) is None
    assert int(keras.models.load_model(checkpoint).step_counter.numpy()) == 50  # epoch 1
    assert not [n for n in os.listdir(out) if n.startswith(".checkpoint.tmp")]


def test_checkpoint_rotation_keeps_the_last_k(tmp_path):
    from keras_gan.runs.checkpoints import (CheckpointError, damage, existing_checkpoints,
                                        load_newest_checkpoint, save_checkpoint)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    directory = str(tmp_path)
    for value in range(4):
        model.layers[0].bias.assign([float(value)])
        save_checkpoint(model, directory, keep=3, label=f"epoch {value + 1}")
    paths = existing_checkpoints(directory)
    assert [os.path.basename(p) for p in paths] == [
        "checkpoint.keras", "checkpoint.1.keras", "checkpoint.2.keras"]
    biases = [float(keras.models.load_model(p).layers[0].bias.numpy()[0]) for p in paths]
    assert biases == [3.0, 2.0, 1.0]  # newest first; the oldest beyond 3 is gone
    save_checkpoint(model, directory, keep=1, label="epoch 5")  # keep lowered
    assert [os.path.basename(p) for p in existing_checkpoints(directory)] == ["checkpoint.keras"]
    assert "empty" in damage(_empty(tmp_path / "empty.keras"))
    _damage(paths[0], "wrong_zip")
    with pytest.raises(CheckpointError, match="checkpoint.keras: it is a zip archive but not"):
        load_newest_checkpoint(directory)


def _empty(path):
    open(path, "wb").close()
    return str(path)
