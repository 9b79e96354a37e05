"""The run layer: its import layering, the registry of kinds, TensorBoard logs."""

import ast
import glob
import os
import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import cli, runs
from keras_gan.runs import directory, kinds

_PACKAGE = pathlib.Path(keras_gan.__file__).parent


def _imports(path):
    """The `keras_gan...` modules a source file imports (at any depth)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("keras_gan"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("keras_gan"))
    return names


def test_no_lower_layer_imports_the_run_layer():
    offenders = {}
    for layer in ("models", "callbacks", "metrics", "layers", "networks", "data"):
        for path in (_PACKAGE / layer).rglob("*.py"):
            found = {n for n in _imports(path) if n == "keras_gan.runs"
                     or n.startswith("keras_gan.runs.")}
            if found:
                offenders[str(path.relative_to(_PACKAGE))] = sorted(found)
    for path in _PACKAGE.glob("*.py"):  # top-level helpers sit below runs too, except the CLI
        if path.name != "cli.py" and any(n.startswith("keras_gan.runs") for n in _imports(path)):
            offenders[path.name] = "imports keras_gan.runs"
    assert not offenders, offenders


def test_run_modules_import_only_modules_above_them():
    order = ["config", "checkpoints", "directory", "evaluation", "kinds", "training"]
    for path in (_PACKAGE / "runs").rglob("*.py"):
        relative = path.relative_to(_PACKAGE / "runs").with_suffix("")
        if relative.name == "__init__" and relative.parent == pathlib.Path("."):
            continue  # the package's face re-exports its modules
        own = order.index(relative.parts[0])
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) > 2 and parts[1] == "runs" and parts[2] in order:
                assert order.index(parts[2]) <= own, f"{relative} imports {name}"


def test_every_recipe_has_exactly_one_kind_and_new_kinds_register_in_one_line(monkeypatch, tmp_path):
    import recipes

    found = {name: kinds.kind_of(runs.resolve_config(name)).name for name in recipes.names()}
    assert found["dcgan_mnist"] == "images" and found["mixtures_ring"] == "mixtures"
    assert found["pix2pix_facades"] == "image_to_image" and found["singan_image"] == "single_image"
    assert set(found.values()) == {k.name for k in kinds.KINDS}

    class Points(kinds.Kind):  # a new kind: trains the ring as a 1-epoch run of its own
        name = "points"

        def matches(self, config):
            return config["model"] == "GAN" and config["dataset"] == "ring"

        def build_examples(self, config):
            return kinds.Mixtures().build_examples(config)

        def build_model(self, config, sample_shape, total_steps=None):
            return kinds.Mixtures().build_model(config, sample_shape, total_steps)

        def schedule(self, config, count, sample_shape):
            return 1, 2

        def summary(self, config, model, sample_shape):
            return {"points": True}

    monkeypatch.setattr(kinds, "KINDS", (Points(), *kinds.KINDS))
    config = runs.resolve_config("mixtures_ring", ["generator.hidden_units=[4]",
                                                   "discriminator.hidden_units=[4]",
                                                   "dataset_size=32", "tensorboard=false"],
                                 batch_size=8)
    summary = runs.train(config, tmp_path, verbose=0)
    assert summary["points"] is True and summary["steps"] == 2


def _events(directory):
    """`{tag: [(step, value or image bytes), ...]}` read back from event files."""
    tags = {}
    for path in sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                tensor = tf.make_ndarray(value.tensor)
                tags.setdefault(value.tag, []).append((event.step, tensor))
    return tags


def test_runs_write_tensorboard_scalars_images_and_the_fid_curve(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    extractor = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                  keras.layers.Dense(4)], name="tiny_features")
    extractor.save(tmp_path / "features.keras")
    small = ["--set", "generator.base_filters=4", "--set", "discriminator.base_filters=4",
             "--set", "latent_dim=8", "--dataset", "mnist_10k", "--set", "num_samples=16",
             "--batch-size", "4", "--verbose", "0"]
    out = tmp_path / "run"
    assert cli.main(["train", "dcgan_mnist", "--epochs", "2", "--out", str(out), *small,
                     "--set", "eval_metrics=fid", "--set", "eval_samples=16",
                     "--set", "eval_every=1",
                     "--set", f"eval_extractor={tmp_path / 'features.keras'}"]) == 0
    tags = _events(out / "tensorboard")
    for scalar in ("d_loss", "g_loss", "d_grad_norm", "fid_16"):
        assert [step for step, _ in tags[scalar]] == [4, 8], scalar  # at the global step
    metrics = np.genfromtxt(out / "metrics.csv", delimiter=",", names=True)
    np.testing.assert_allclose([float(v) for _, v in tags["fid_16"]], metrics["fid_16"],
                               rtol=1e-6)
    (step, grid), = tags["samples"][:1]
    image = tf.io.decode_png(grid[-1]).numpy()  # [width, height, encoded PNG]
    assert step == 4 and image.shape == tuple(
        tf.io.decode_png(tf.io.read_file(str(out / "samples" / "epoch_0001.png"))).shape)
    # TensorBoard's own reader files them under its scalars and images plugins.
    from tensorboard.backend.event_processing import plugin_event_accumulator

    accumulator = plugin_event_accumulator.EventAccumulator(str(out / "tensorboard"))
    accumulator.Reload()
    assert {"d_loss", "fid_16"} <= set(accumulator.PluginTagToContent("scalars"))
    assert set(accumulator.PluginTagToContent("images")) == {"samples"}
    # Off on request, and a resume may change it.
    assert cli.main(["train", "dcgan_mnist", "--epochs", "3", "--out", str(out), "--resume",
                     *small, "--set", "eval_metrics=fid", "--set", "eval_samples=16",
                     "--set", "eval_every=1", "--set", "tensorboard=false",
                     "--set", f"eval_extractor={tmp_path / 'features.keras'}"]) == 0
    assert [step for step, _ in _events(out / "tensorboard")["d_loss"]] == [4, 8]


def test_fine_tuning_starts_from_another_run_with_frozen_discriminator_blocks(tmp_path):
    small = ["--set", "generator.base_filters=4", "--set", "discriminator.base_filters=4",
             "--set", "latent_dim=8", "--batch-size", "4", "--verbose", "0"]
    pretrained = tmp_path / "pretrained"
    assert cli.main(["train", "dcgan_mnist", "--dataset", "mnist_10k", "--steps", "2",
                     "--out", str(pretrained), *small]) == 0
    source, _ = runs.load_run(str(pretrained))
    tuned = tmp_path / "tuned"
    assert cli.main(["train", "dcgan_mnist", "--dataset", "mnist_10k", "--steps", "3",
                     "--out", str(tuned), "--init", str(pretrained), "--set", "freeze_d=2",
                     *small]) == 0
    model, config = runs.load_run(str(tuned))
    assert config["init"] == str(pretrained) and config["freeze_d"] == 2
    assert int(model.step_counter.numpy()) == 3  # a new run: its own step count
    frozen = [layer for layer in model.discriminator.layers if not layer.trainable]
    assert frozen and all(not layer.trainable_weights for layer in frozen)
    # The frozen blocks kept the pretrained weights; the rest trained on.
    for layer, origin in zip(model.discriminator.layers, source.discriminator.layers):
        same = [np.array_equal(a, b) for a, b in zip(layer.get_weights(), origin.get_weights())]
        if layer in frozen:
            assert all(same), layer.name
        elif layer.trainable_weights:
            assert not all(same), layer.name
    weighted = [layer.name for layer in model.discriminator.layers
                if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))]
    assert weighted == ["down_0", "down_1", "logits"]  # 28 px: two blocks frozen, one trains
    assert [model.discriminator.get_layer(n).trainable for n in weighted] == [False, False, True]
    # The generator started from the pretrained one: 3 Adam steps of 2e-4 move a
    # weight by at most 6e-4, a fresh N(0, 0.02) draw by far more.
    pairs = [(np.asarray(a), np.asarray(b)) for a, b in
             zip(model.generator.trainable_weights, source.generator.trainable_weights)]
    assert all(np.abs(a - b).max() < 1e-3 for a, b in pairs)
    assert not all(np.array_equal(a, b) for a, b in pairs)
    # A resume needs no --init (the weights come from the checkpoint, which
    # keeps the frozen layers frozen: `model` above was loaded from it) and
    # keeps the record of the start.
    again = {**config, "init": None}
    directory.check_start(again, str(tuned), resume=True)
    assert again["init"] == str(pretrained)
    # Networks that do not fit, and freezing everything, are refused clearly.
    assert cli.main(["train", "dcgan_mnist", "--dataset", "mnist_10k", "--steps", "1",
                     "--out", str(tmp_path / "wide"), "--init", str(pretrained),
                     *small, "--set", "generator.base_filters=8"]) == 2
    assert cli.main(["train", "dcgan_mnist", "--dataset", "mnist_10k", "--steps", "1",
                     "--out", str(tmp_path / "all"), "--set", "freeze_d=9", *small]) == 2
    assert cli.main(["train", "dcgan_mnist", "--steps", "1", "--init",
                     str(tmp_path / "missing"), *small]) == 2


def test_freeze_blocks_counts_convolution_and_dense_blocks():
    from keras_gan import networks

    discriminator = networks.dcgan_discriminator(28, 1, base_filters=4)
    weighted = [layer for layer in discriminator.layers
                if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))]
    frozen = networks.freeze_blocks(discriminator, 1)
    assert frozen and frozen[-1] != weighted[1].name and weighted[0].name in frozen
    assert not weighted[0].trainable and weighted[1].trainable
    assert networks.freeze_blocks(discriminator, 0) == []
    with pytest.raises(ValueError, match="nothing of it to train"):
        networks.freeze_blocks(discriminator, len(weighted))
    with pytest.raises(ValueError, match="integer"):
        networks.freeze_blocks(discriminator, -1)
