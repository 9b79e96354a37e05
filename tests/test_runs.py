"""The run layer: its import layering, the registry of kinds, TensorBoard logs."""

import ast
import glob
import os
import pathlib

import keras
import numpy as np
import tensorflow as tf

import keras_gan
from keras_gan import cli, runs
from keras_gan.runs import kinds

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
