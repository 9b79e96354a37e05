"""The recipes and the `keras-gan` command, on mocked and shipped data."""

import json
import os
import runpy
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

import recipes
from keras_gan import cli, runs
from tests.conftest import assert_weights_close

pytestmark = pytest.mark.slow

_SMALL_CONV = ["--set", "generator.base_filters=4", "--set", "discriminator.base_filters=4",
               "--set", "latent_dim=8"]
TINY = {
    "sngan_cifar10": ["--set", "generator.widths=[8,8,8]",
                      "--set", "discriminator.widths=[8,8,8,8]", "--set", "latent_dim=8"],
    "projection_cifar10": ["--set", "generator.widths=[8,8,8]",
                           "--set", "discriminator.widths=[8,8,8,8]", "--set", "latent_dim=8"],
    "biggan_cifar10": ["--set", "generator.widths=[8,8,8]", "--set", "generator.shared_embedding_dim=4",
                       "--set", "discriminator.widths=[8,8,8,8]", "--set", "latent_dim=8"],
    "infogan_mnist": [*_SMALL_CONV[:4], "--set", "latent_dim=14", "--set", "model_args.noise_dim=2"],
    "ssgan_mnist": [*_SMALL_CONV, "--set", "num_labelled=10"],
    "mixtures_ring": ["--set", "generator.hidden_units=[8]",
                      "--set", "discriminator.hidden_units=[8]", "--set", "dataset_size=64"],
    "mixtures_grid": ["--set", "generator.hidden_units=[8]",
                      "--set", "discriminator.hidden_units=[8]", "--set", "dataset_size=64"],
    # Image-to-image recipes at 16-32 px (pix2pix_facades gets a folder of pairs).
    "pix2pix_facades": ["--set", "image_size=32", *_SMALL_CONV[:4],
                        "--set", "discriminator.num_downsamples=1"],
    "cyclegan_horse2zebra": ["--set", "image_size=32", *_SMALL_CONV[:4],
                             "--set", "generator.num_blocks=1",
                             "--set", "discriminator.num_downsamples=1",
                             "--set", "model_args.pool_size=4"],
    "srgan_div2k": ["--set", "center_crop=16", "--set", "generator.num_blocks=1",
                    "--set", "generator.filters=4", "--set", "discriminator.base_filters=4"],
    "stargan_celeba": ["--set", "image_size=16", *_SMALL_CONV[:4],
                       "--set", "generator.num_blocks=1", "--set", "d_steps=1"],
    "inpainting_celeba": ["--set", "image_size=32", *_SMALL_CONV[:4],
                          "--set", "generator.bottleneck=8"],
    # Progressive and style-based recipes at 8 px (stylegan_ffhq gets a folder).
    "progan_celeba": ["--set", "image_size=8", "--set", "latent_dim=8",
                      *(f"--set={role}.{key}={value}" for role in ("generator", "discriminator")
                        for key, value in (("fmap_base", 32), ("fmap_max", 8))),
                      "--set", "progressive.stable_images=2", "--set", "progressive.fade_images=2"],
    **{name: ["--set", "image_size=8", "--set", "latent_dim=8",
              "--set", "generator.mapping_layers=2",
              *(f"--set={role}.{key}={value}" for role in ("generator", "discriminator")
                for key, value in (("fmap_base", 32), ("fmap_max", 8)))]
       for name in ("stylegan_ffhq", "stylegan2_celeba64")},
    "singan_image": ["--set", "steps_per_scale=2", "--set", "model_args.min_size=12",
                     "--set", "model_args.filters=4", "--set", "model_args.num_blocks=3"],
    "lapgan_cifar10": ["--set", "latent_dim=8", "--set", "generator.filters=4",
                       "--set", "generator.hidden=16", "--set", "discriminator.filters=4",
                       "--set", "discriminator.hidden=16"],
    "vae_mnist": ["--set", "encoder.base_filters=4", "--set", "generator.base_filters=4",
                  "--set", "latent_dim=4"],
    "vaegan_mnist": ["--set", "encoder.base_filters=4", *_SMALL_CONV[:4], "--set", "latent_dim=4"],
    "mmdgan_mnist": [*_SMALL_CONV, "--set", "d_steps=1"],
    "dann_mnist_m": ["--set", "num_samples=16", "--set", "encoder.hidden=8"],
    "cogan_mnist": ["--set", "generator.base_filters=4", "--set", "latent_dim=8"],
    "simgan_mnist": ["--set", "num_samples=16", "--set", "generator.filters=4",
                     "--set", "generator.num_blocks=1", "--set", "discriminator.filters=[4,4]",
                     "--set", "model_args.pool_size=4"],
    "ebgan_mnist": [*_SMALL_CONV, "--set", "discriminator.embedding_dim=4"],
    "bigan_mnist": ["--set", "encoder.base_filters=4", *_SMALL_CONV, "--set",
                    "discriminator.hidden=8"],
    "sagan_cifar10": ["--set", "generator.widths=[8,8,8]",
                      "--set", "discriminator.widths=[8,8,8,8]", "--set", "latent_dim=8"],
}
TINY = {name: list(args) for name, args in TINY.items()}


def _pair_folder(folder, n=8, size=32):
    """Side-by-side photo|label PNGs, as the pix2pix datasets are distributed."""
    from keras_gan.visualization import write_png

    rng = np.random.default_rng(0)
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        write_png(os.path.join(folder, f"{i}.png"),
                  rng.integers(0, 256, (size, 2 * size, 3), dtype=np.uint8))
    return str(folder)


def _feature_model(folder):
    path = os.path.join(folder, "features.keras")
    if not os.path.exists(path):
        inputs = keras.Input((None, None, 3))
        keras.Model(inputs, keras.layers.Conv2D(4, 3, padding="same")(inputs)).save(path)
    return path


def _args(recipe, out):
    extra = []
    if recipe == "pix2pix_facades":
        extra = ["--dataset", _pair_folder(os.path.join(os.path.dirname(out), "facades"))]
    if recipe == "singan_image":  # one 16x20 PNG and a small feature model for SiFID
        folder = os.path.join(os.path.dirname(out), "singan")
        extra = ["--dataset", os.path.join(_pair_folder(folder, n=1, size=16), "0.png"),
                 "--set", f"eval_extractor={_feature_model(folder)}"]
    if recipe == "stylegan_ffhq":  # a folder of images stands in for FFHQ
        extra = ["--dataset", _pair_folder(os.path.join(os.path.dirname(out), "faces"), size=8)]
    length = [] if recipe == "singan_image" else ["--steps", "2"]  # SinGAN: steps_per_scale
    return [*length, "--batch-size", "4", "--out", str(out), "--verbose", "0",
            *TINY.get(recipe, _SMALL_CONV), *extra]


def _check_run_directory(out, recipe):
    names = set(os.listdir(out))
    assert {"config.json", "checkpoint.keras", "state.json", "metrics.csv", "losses.png",
            "summary.json", "samples"} <= names, names
    assert not [n for n in names if "tmp" in n]  # atomic writes left nothing behind
    grids = sorted(os.listdir(os.path.join(out, "samples")))
    if recipe == "infogan_mnist":  # one traversal grid per code
        assert grids == ["epoch_0001.png", *(f"epoch_0001_traversal_{k}.png" for k in range(3))]
    elif recipe in ("vae_mnist", "vaegan_mnist", "bigan_mnist"):  # and reconstructions
        assert grids == ["epoch_0001.png", "epoch_0001_reconstructions.png"]
    elif recipe == "singan_image":  # one epoch (and grid) per scale, 2 steps each
        assert grids == ["epoch_0001.png", "epoch_0002.png"]
    elif recipe.startswith("mixtures"):  # and the refined samples' scatter plot
        assert grids == ["epoch_0001.png", "epoch_0001_refined.png"]
    else:
        assert grids == ["epoch_0001.png"]
    summary = json.load(open(os.path.join(out, "summary.json")))
    assert summary["recipe"] == recipe
    assert summary["steps"] == (4 if recipe == "singan_image" else 2)
    phase_losses = [key for key in summary["final"] if key.endswith("_loss")]
    assert phase_losses and all(np.isfinite(summary["final"][key]) for key in phase_losses)
    assert json.load(open(os.path.join(out, "config.json")))["recipe"] == recipe
    if recipe == "dann_mnist_m":
        assert 0.0 <= summary["target_accuracy"] <= 1.0
    if recipe == "ssgan_mnist":
        assert 0.0 <= summary["test_accuracy"] <= 1.0
        assert summary["accuracy_on"] == "mnist split 'test'"


# The python entry (`python -m recipes.NAME`) runs the same `recipe_main` as the
# CLI; it is run for one recipe, and every module is checked to call it by its name.
PYTHON_ENTRY = "dcgan_mnist"


@pytest.mark.parametrize("recipe", recipes.names())
def test_every_recipe_trains_through_the_cli(recipe, tmp_path, monkeypatch):
    with tfds.testing.mock_data(num_examples=16):
        assert cli.main(["train", recipe, *_args(recipe, tmp_path / "cli")]) == 0
        if recipe == PYTHON_ENTRY:
            monkeypatch.setattr(sys, "argv", [recipe, *_args(recipe, tmp_path / "module")])
            monkeypatch.delitem(sys.modules, f"recipes.{recipe}", raising=False)
            runpy.run_module(f"recipes.{recipe}", run_name="__main__")
            _check_run_directory(tmp_path / "module", recipe)
    _check_run_directory(tmp_path / "cli", recipe)
    if recipe.startswith("mixtures"):
        header = open(tmp_path / "cli" / "metrics.csv").readline()
        assert "modes" in header and "refined_high_quality" in header
        final = json.load(open(tmp_path / "cli" / "summary.json"))["final"]
        assert 0.0 <= final["refined_high_quality"] <= 1.0
    if recipe == "singan_image":  # 16x32 -> scales 12x24, 16x32; SiFID with the injected model
        summary = json.load(open(tmp_path / "cli" / "summary.json"))
        assert summary["epochs"] == 2 and summary["steps"] == 4 and summary["sifid"] > 0
    if recipe == "progan_celeba":  # 2 steps of 4 images: 4x4 done, then 8x8
        assert sorted(os.listdir(tmp_path / "cli" / "resolutions")) == [
            "resolution_4.keras", "resolution_8.keras"]


def test_evaluate_cas_of_a_conditional_run(tmp_path, capsys):
    out = tmp_path / "cgan"
    assert cli.main(["train", "quickstart_mnist", "--dataset", "mnist_10k", "--steps", "2",
                     "--batch-size", "8", "--set", "num_samples=200", "--verbose", "0",
                     "--out", str(out), *_SMALL_CONV]) == 0
    assert cli.main(["evaluate", str(out), "--metrics", "cas", "--n", "40"]) == 0
    result = json.load(open(out / "evaluation.json"))
    assert sorted(result) == ["cas_40", "cas_ratio_40", "real_accuracy_40"]
    assert 0 <= result["cas_40"] <= 1 and 0 < result["real_accuracy_40"] <= 1
    capsys.readouterr()
    assert cli.main(["evaluate", str(tmp_path / "cgan" / "checkpoint.keras"), "--dataset",
                     "mnist_10k", "--metrics", "cas", "--n", "10"]) == 0
    # Intra-class FID in a given extractor's features (InceptionV3 is offline here).
    inputs = keras.Input((28, 28, 1))
    keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(inputs))).save(
        tmp_path / "features.keras")
    # (mnist_10k is sorted by digit: a balanced .npz of 8 digits per class.)
    from keras_gan.data import images as images_lib

    with np.load(os.path.join(images_lib._ASSETS, "mnist_10k.npz")) as digits:
        pick = np.concatenate([np.flatnonzero(digits["labels"] == c)[:8] for c in range(10)])
        np.savez(tmp_path / "balanced.npz", images=digits["images"][pick],
                 labels=digits["labels"][pick])
    assert cli.main(["evaluate", str(out), "--metrics", "intra_fid", "--n", "80", "--dataset",
                     str(tmp_path / "balanced.npz"),
                     "--extractor", str(tmp_path / "features.keras")]) == 0
    result = json.load(open(out / "evaluation.json"))
    assert len(result["intra_fid_per_class_80"]) == 10 and result["intra_fid_80"] > 0
    assert result["intra_fid_80"] == pytest.approx(np.mean(result["intra_fid_per_class_80"]))


def test_a_vae_run_resumes_exactly(tmp_path):
    """Runs of models without d_/g_optimizer (one VAE optimizer) resume too."""
    base = ["train", "vae_mnist", "--dataset", "mnist_10k", "--batch-size", "8",
            "--set", "num_samples=32", "--verbose", "0", *TINY["vae_mnist"]]
    assert cli.main([*base, "--epochs", "2", "--out", str(tmp_path / "straight")]) == 0
    assert cli.main([*base, "--epochs", "1", "--out", str(tmp_path / "resumed")]) == 0
    assert cli.main([*base, "--epochs", "2", "--out", str(tmp_path / "resumed"), "--resume"]) == 0
    assert_weights_close(_weights(tmp_path / "resumed"), _weights(tmp_path / "straight"), atol=1e-6)


def test_every_recipe_module_runs_itself_by_its_own_name():
    for name in recipes.names():
        source = open(os.path.join(os.path.dirname(recipes.__file__), f"{name}.py")).read()
        main = source.split('if __name__ == "__main__":', 1)
        assert len(main) == 2, f"recipes/{name}.py has no __main__ block"
        assert "from keras_gan.cli import recipe_main" in main[1], name
        assert f'recipe_main("{name}")' in main[1], name


def _weights(out):
    return keras.models.load_model(os.path.join(out, "checkpoint.keras")).weights


def test_resume_continues_exactly(tmp_path):
    base = ["train", "dcgan_mnist", "--dataset", "mnist_10k", "--batch-size", "8",
            "--set", "num_samples=32", "--verbose", "0", *_SMALL_CONV]
    assert cli.main([*base, "--epochs", "3", "--out", str(tmp_path / "straight")]) == 0
    # Interrupted after epoch 1 (the checkpoint of the last finished epoch) ...
    assert cli.main([*base, "--epochs", "1", "--out", str(tmp_path / "resumed")]) == 0
    # ... and resumed: epochs 2-3 see the batches the uninterrupted run saw.
    assert cli.main([*base, "--epochs", "3", "--out", str(tmp_path / "resumed"), "--resume"]) == 0
    assert_weights_close(_weights(tmp_path / "resumed"), _weights(tmp_path / "straight"), atol=1e-6)
    state = json.load(open(tmp_path / "resumed" / "state.json"))
    assert state == {"epoch": 3, "step": 12}
    with open(tmp_path / "resumed" / "metrics.csv") as handle:
        assert [line.split(",")[0] for line in handle][1:] == ["0", "1", "2"]
    summary = json.load(open(tmp_path / "resumed" / "summary.json"))
    assert summary["resumed_from_epoch"] == 1


def test_sample_and_evaluate_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))  # the statistics cache
    out = tmp_path / "run"
    assert cli.main(["train", "dcgan_mnist", "--dataset", "mnist_10k", "--steps", "2",
                     "--batch-size", "4", "--out", str(out), "--verbose", "0", *_SMALL_CONV]) == 0
    assert cli.main(["sample", str(out), "--n", "6", "--out", str(tmp_path / "g.png"),
                     "--truncation", "0.5"]) == 0
    assert (tmp_path / "g.png").exists()
    assert cli.main(["sample", str(out), "--n", "6", "--out", str(tmp_path / "refined.png"),
                     "--refine-steps", "2"]) == 0
    assert (tmp_path / "refined.png").exists()
    # An injected extractor (a .keras model) keeps evaluation offline.
    extractor = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                  keras.layers.Dense(4)], name="tiny_features")
    extractor.save(tmp_path / "features.keras")
    capsys.readouterr()
    assert cli.main(["evaluate", str(out), "--metrics", "fid,kid", "--n", "40",
                     "--extractor", str(tmp_path / "features.keras")]) == 0
    printed = capsys.readouterr().out
    assert "fid_40" in printed and "kid_40" in printed
    result = json.load(open(out / "evaluation.json"))
    assert result["fid_40"] > 0 and result["extractor"].startswith("tiny_features-file-")
    cached = os.listdir(tmp_path / "keras_home" / "keras_gan" / "reference_statistics")
    assert cached == [f"mnist_10k_28x28x1_train_40_{result['extractor']}.npz"]
    # The FID protocol's 2015 graph (a small stand-in with its tensor names).
    from tests.metrics.test_inception_2015 import _tiny_graph

    (tmp_path / "graph.pb").write_bytes(_tiny_graph().as_graph_def().SerializeToString())
    assert cli.main(["evaluate", str(out), "--metrics", "fid,is", "--n", "40",
                     "--extractor", "inception_2015", "--weights", str(tmp_path / "graph.pb")]) == 0
    assert sorted(json.load(open(out / "evaluation.json"))) == [
        "extractor", "fid_40_tf2015", "is_40_tf2015", "is_40_tf2015_std"]
    # PPL (LPIPS-style VGG16; random weights here, offline), SWD, MS-SSIM diversity.
    from keras_gan.metrics import path_length

    offline_vgg = path_length.lpips_vgg16(weights=None)
    monkeypatch.setattr(path_length, "lpips_vgg16", lambda: offline_vgg)
    assert cli.main(["evaluate", str(out), "--metrics", "ppl_z,swd,msssim", "--n", "32"]) == 0
    result = json.load(open(out / "evaluation.json"))
    assert sorted(result) == ["msssim_32", "ppl_z_32", "swd_28_32", "swd_avg_32"]  # 28 px: one level
    assert result["ppl_z_32"] > 0 and 0 < result["msssim_32"] <= 1 and result["swd_avg_32"] > 0
    # Memorization: nearest training images in pixels, and their figure.
    assert cli.main(["evaluate", str(out), "--metrics", "nn", "--n", "32"]) == 0
    result = json.load(open(out / "evaluation.json"))
    assert sorted(result) == ["nn_close_fraction_32", "nn_distance_32", "nn_figure",
                              "nn_ratio_32", "nn_training_spacing_32"]
    assert result["nn_ratio_32"] > 0 and os.path.exists(out / "nearest_neighbours.png")
    # ... and in an extractor's features (4 per image here), figure included.
    from keras_gan import metrics as metrics_lib

    calls = []
    real_memorization, real_grid = metrics_lib.memorization, metrics_lib.nearest_neighbour_grid
    monkeypatch.setattr(metrics_lib, "memorization",
                        lambda g, t: calls.append((g, t)) or real_memorization(g, t))
    monkeypatch.setattr(metrics_lib, "nearest_neighbour_grid", lambda g, t, k=5, features=None:
                        calls.append(features) or real_grid(g, t, k, features))
    assert cli.main(["evaluate", str(out), "--metrics", "nn,nn_features", "--n", "32",
                     "--extractor", str(tmp_path / "features.keras")]) == 0
    result = json.load(open(out / "evaluation.json"))
    assert sorted(k for k in result if k.startswith("nn_features")) == [
        "nn_features_close_fraction_32", "nn_features_distance_32", "nn_features_ratio_32",
        "nn_features_training_spacing_32"]
    (pixels, training), pixel_grid, (features, training_features), grid_features = calls
    assert pixel_grid is None and features.shape == (32, 4)
    np.testing.assert_allclose(features, extractor.predict(pixels, verbose=0), atol=1e-5)
    np.testing.assert_allclose(training_features, extractor.predict(training, verbose=0),
                               atol=1e-5)
    np.testing.assert_allclose(grid_features[1], training_features)
    assert result["nn_features_ratio_32"] == pytest.approx(
        real_memorization(features, training_features)["nn_ratio"])
    assert cli.main(["evaluate", str(out), "--metrics", "ppl_w", "--n", "4"]) == 2
    assert "no W space" in capsys.readouterr().err
    # Export: the run's generator as a SavedModel in RUN/export/generator.
    assert cli.main(["export", str(out)]) == 0
    gan, _ = runs.load_run(str(out))
    z = np.random.default_rng(0).standard_normal((3, gan.latent_dim)).astype("float32")
    served = tf.saved_model.load(str(out / "export" / "generator")).signatures["serving_default"]
    np.testing.assert_allclose(served(latents=tf.constant(z))["images"], gan.generate(latents=z),
                               atol=1e-5)
    # Evaluation during training: FID logged, plotted, and in metrics.csv.
    assert cli.main(["train", "dcgan_mnist", "--dataset", "mnist_10k", "--steps", "2",
                     "--batch-size", "4", "--out", str(tmp_path / "evaluated"), "--verbose", "0",
                     *_SMALL_CONV, "--set", "eval_metrics=fid", "--set", "eval_samples=40",
                     "--set", f"eval_extractor={tmp_path / 'features.keras'}"]) == 0
    assert "fid_40" in open(tmp_path / "evaluated" / "metrics.csv").readline()
    assert (tmp_path / "evaluated" / "fid.png").exists()


def test_truncated_latents_never_exceed_the_threshold():
    gan = runs.build_model(runs.resolve_config("mixtures_ring"), (2,))
    z = gan.sample_latents(2000, seed=0, truncation=0.7).numpy()
    assert np.abs(z).max() <= 0.7 and z.std() > 0.3
    np.testing.assert_array_equal(z, gan.sample_latents(2000, seed=0, truncation=0.7).numpy())


def test_error_paths_name_the_problem(tmp_path, capsys):
    def error(argv):
        assert cli.main(argv) == 2
        return capsys.readouterr().err

    assert "Did you mean 'dcgan_mnist'" in error(["train", "dcgan_mnst"])
    message = error(["train", "dcgan_mnist", "--set", "learning_rate=1"])
    assert "Unknown key 'learning_rate'" in message and "d_learning_rate" in message
    assert "batch_size must be int" in error(["train", "dcgan_mnist", "--set", "batch_size=abc"])
    assert "key=value" in error(["train", "dcgan_mnist", "--set", "batch_size"])
    assert "--steps must be >= 1" in error(["train", "dcgan_mnist", "--steps", "0"])
    missing = str(tmp_path / "missing")
    assert "not a run directory" in error(["train", "dcgan_mnist", "--out", missing, "--resume"])
    assert "neither a run directory" in error(["sample", missing])
    assert "neither a run directory" in error(["evaluate", missing])
    out = str(tmp_path / "run")
    base = ["train", "mixtures_ring", "--steps", "1", "--batch-size", "4", "--out", out,
            "--verbose", "0", *TINY["mixtures_ring"]]
    assert cli.main(base) == 0
    assert "already holds a run" in error(base)
    message = error([*base, "--resume", "--set", "loss=hinge"])
    assert "Refusing to resume" in message and "loss: run has 'non_saturating', now 'hinge'" in message
    assert "already finished" in error([*base, "--resume"])
    # An unwritable run directory is refused before any data is loaded.
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert "Cannot write to the run directory" in error(
        ["train", "mixtures_ring", "--out", str(blocked / "run")])


def test_list_and_the_installed_console_script():
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "keras-gan"), "list"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in recipes.names():
        assert name in result.stdout
    assert "arXiv:1802.05957" in result.stdout  # papers are listed


def test_sample_translates_a_folder_with_a_trained_image_to_image_model(tmp_path, capsys):
    run = tmp_path / "run"
    args = _args("pix2pix_facades", run)
    assert cli.main(["train", "pix2pix_facades", *args]) == 0
    _pair_folder(tmp_path / "inputs" / "nested", n=2, size=48)  # resized to 32
    assert cli.main(["sample", str(run), "--input", str(tmp_path / "inputs"),
                     "--out", str(tmp_path / "translated")]) == 0
    written = sorted(os.listdir(tmp_path / "translated" / "nested"))
    assert written == ["0.png", "1.png"]
    image = keras.utils.load_img(tmp_path / "translated" / "nested" / "0.png")
    assert image.size == (32, 32)
    # The written image is the model's translation of the resized input.
    model, _ = runs.load_run(run)
    from keras_gan.data.images import _prepare
    import tensorflow as tf

    source = tf.io.decode_image(tf.io.read_file(str(tmp_path / "inputs" / "nested" / "0.png")))
    expected = model.translate(_prepare(source, 3, None, (32, 32)).numpy()[None])[0]
    np.testing.assert_allclose(np.asarray(image, np.float32) / 127.5 - 1, expected, atol=0.01)
    # A translation model without --input, and a StarGAN without --labels, say what to pass.
    assert cli.main(["sample", str(run)]) == 2
    assert "--input FOLDER" in capsys.readouterr().err
