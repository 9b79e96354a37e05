"""Two local worker processes (MultiWorkerMirroredStrategy over 127.0.0.1)
end with the weights of one process with the same global batch and seed."""

import json
import os

import keras
import pytest

from keras_gan import cli
from keras_gan.distributed import launch_local_workers, tf_configs
from tests.conftest import assert_weights_close

pytestmark = pytest.mark.slow


def _args(out):
    return ["train", "dcgan_mnist", "--dataset", "mnist_10k", "--set", "num_samples=64",
            "--batch-size", "16", "--epochs", "2", "--set", "generator.base_filters=4",
            "--set", "discriminator.base_filters=4", "--set", "latent_dim=8",
            "--set", "generator.synchronized_batchnorm=true",
            "--set", "discriminator.synchronized_batchnorm=true",
            "--out", str(out), "--verbose", "0"]


def test_two_workers_equal_one_process(tmp_path):
    results = launch_local_workers(2, _args(tmp_path / "workers"), timeout=600)
    for code, output in results:
        assert code == 0, output[-3000:]
    # Only the chief wrote the run directory.
    assert "checkpoint.keras" in os.listdir(tmp_path / "workers")
    assert len(os.listdir(tmp_path / "workers" / "tensorboard")) == 1  # one event file
    with open(tmp_path / "workers" / "summary.json") as handle:
        assert json.load(handle)["replicas"] == 2
    assert cli.main([*_args(tmp_path / "single"), "--strategy", "none"]) == 0

    def weights(name):
        return keras.models.load_model(tmp_path / name / "checkpoint.keras").weights

    assert_weights_close(weights("workers"), weights("single"), atol=1e-5)


def test_tf_configs_describe_one_cluster():
    configs = [json.loads(c) for c in tf_configs(3, ports=[1, 2, 3])]
    assert [c["task"]["index"] for c in configs] == [0, 1, 2]
    assert configs[0]["cluster"]["worker"] == ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"]
