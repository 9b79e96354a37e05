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
