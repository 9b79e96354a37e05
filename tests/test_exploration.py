"""Interpolation in Z and W, style-mixing grids, projection (GAN inversion), latent
arithmetic, and their `keras-gan` commands."""

import os

import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import cli, exploration, networks


def _stylegan():
    g = networks.stylegan_generator(8, 8, 3, mapping_layers=2, fmap_base=32, fmap_max=8,
                                    randomize_noise=False)
    d = networks.stylegan2_discriminator(8, 3, fmap_base=32, fmap_max=8)
    gan = keras_gan.StyleGAN2(g, d, latent_dim=8, seed=1, generator_ema=False)
    gan.w_average.assign(np.linspace(-0.5, 0.5, 8).astype("float32"))
    return gan


def test_interpolations_and_style_mixing_grid():
    gan = _stylegan()
    z = np.concatenate([np.asarray(gan.sample_latents(1, seed=s)) for s in (4, 7)])
    for space in ("z", "w"):
        rows = exploration.interpolate(gan, [4, 7], steps=5, space=space, psi=0.8)
        assert rows.shape == (1, 5, 8, 8, 3)
        ends = gan.generate(latents=z, psi=0.8)
        np.testing.assert_allclose(rows[0, 0], ends[0], atol=1e-5)
        np.testing.assert_allclose(rows[0, -1], ends[1], atol=1e-5)
    # In W the middle image is the synthesis of the mean style.
    ws = gan.styles(z, psi=0.8)
    rows = exploration.interpolate(gan, [4, 7], steps=3, space="w", psi=0.8)
    np.testing.assert_allclose(rows[0, 1], gan.synthesize(ws.mean(0, keepdims=True))[0],
                               atol=1e-5)
    grid = exploration.style_mixing_grid(gan, [1, 2], [3, 4, 5], layers=range(0, 2))
    assert grid.shape == (3, 4, 8, 8, 3)
    np.testing.assert_array_equal(grid[0, 0], -1.0)
    np.testing.assert_allclose(grid[1:, 0], gan.generate(latents=np.concatenate(
        [np.asarray(gan.sample_latents(1, seed=s)) for s in (1, 2)])), atol=1e-5)
    plain = keras_gan.GAN(networks.dcgan_generator(8, 32, 3, base_filters=4),
                          networks.dcgan_discriminator(32, 3, base_filters=4), latent_dim=8)
    assert exploration.interpolate(plain, [0, 1, 2], steps=2).shape == (2, 2, 32, 32, 3)
    with pytest.raises(ValueError, match="no W space"):
        exploration.interpolate(plain, [0, 1], space="w")
    with pytest.raises(ValueError, match="not style-based"):
        exploration.style_mixing_grid(plain, [0], [1], [0])
    with pytest.raises(ValueError, match="2 seeds"):
        exploration.interpolate(gan, [0])


def test_sample_interpolate_and_style_mix_commands(tmp_path, capsys):
    gan = _stylegan()
    gan.compile()
    model = str(tmp_path / "stylegan2.keras")
    gan.save(model)
    assert cli.main(["sample", model, "--n", "4", "--psi", "0.5", "--out",
                     str(tmp_path / "grid.png")]) == 0
    assert cli.main(["interpolate", model, "--space", "w", "--seeds", "1,2,3", "--steps", "4",
                     "--out", str(tmp_path / "lerp.png")]) == 0
    assert cli.main(["style-mix", model, "--rows", "1,2", "--columns", "3,4,5", "--layers",
                     "0-2", "--out", str(tmp_path / "mix.png")]) == 0

    def shape(name):
        return tuple(tf.io.decode_png(tf.io.read_file(str(tmp_path / name))).shape)

    assert shape("grid.png") == (2 + 2 * 10, 2 + 2 * 10, 3)
    assert shape("lerp.png") == (2 + 2 * 10, 2 + 4 * 10, 3)  # 2 rows of 4
    assert shape("mix.png") == (2 + 3 * 10, 2 + 4 * 10, 3)  # (1 + 2) x (1 + 3)
    assert "style-mixing grid" in capsys.readouterr().out
    assert cli.main(["style-mix", model, "--layers", "x"]) == 2
    assert "--layers takes" in capsys.readouterr().err
    assert cli.main(["style-mix", model, "--layers", "0-9"]) == 2
    assert "`layers` must be indices" in capsys.readouterr().err


def _small_gan():
    import keras

    generator = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(8 * 8 * 4, activation="tanh"),
        keras.layers.Reshape((8, 8, 4)),
        keras.layers.Conv2D(1, 3, padding="same", activation="tanh")])
    inputs = keras.Input((8, 8, 1))
    features = keras.layers.Flatten(name="features")(keras.layers.Conv2D(4, 3, strides=2)(inputs))
    discriminator = keras.Model(inputs, keras.layers.Dense(1)(features))
    return keras_gan.GAN(generator, discriminator, latent_dim=4, seed=0)


@pytest.mark.parametrize("loss", ["pixel", "features"])
def test_projecting_the_generators_own_images_recovers_them(loss):
    gan = _small_gan()
    targets = gan.generate(latents=np.random.default_rng(5).normal(size=(3, 4)).astype("float32"))
    start = gan.generate(latents=np.random.default_rng(0).normal(size=(3, 4)).astype("float32"))
    initial_error = np.mean((start - targets) ** 2, axis=(1, 2, 3))
    result = exploration.project(gan, targets, steps=300, loss=loss, seed=0)
    assert result["latents"].shape == (3, 4) and result["images"].shape == targets.shape
    np.testing.assert_allclose(result["images"], gan.generate(latents=result["latents"]),
                               atol=1e-5)
    np.testing.assert_allclose(result["errors"],
                               np.mean((result["images"] - targets) ** 2, axis=(1, 2, 3)),
                               rtol=1e-5)
    assert np.all(result["errors"] < 1e-3), (result["errors"], initial_error)
    assert np.all(result["errors"] < 0.05 * initial_error)


def test_projection_in_w_of_a_stylegan2():
    gan = _stylegan()
    targets = gan.generate(latents=np.random.default_rng(3).normal(size=(2, 8)).astype("float32"))
    mean_image = gan.synthesize(np.asarray(gan.w_average)[None])
    result = exploration.project(gan, targets, steps=200, space="w")
    assert result["latents"].shape == (2, gan.w_dim)
    np.testing.assert_allclose(result["images"], gan.synthesize(result["latents"]), atol=1e-5)
    start_error = np.mean((mean_image - targets) ** 2, axis=(1, 2, 3))
    assert np.all(result["errors"] < 0.2 * start_error), (result["errors"], start_error)


def test_projection_errors():
    gan = _small_gan()
    with pytest.raises(ValueError, match=r"shape \(n, 8, 8, 1\)"):
        exploration.project(gan, np.zeros((2, 4, 4, 1), "float32"), steps=1)
    with pytest.raises(ValueError, match="no W space"):
        exploration.project(gan, np.zeros((2, 8, 8, 1), "float32"), space="w")
    with pytest.raises(ValueError, match="`loss`"):
        exploration.project(gan, np.zeros((2, 8, 8, 1), "float32"), loss="lpips")
    import keras

    plain = keras_gan.GAN(gan.generator, keras.Sequential([
        keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]), latent_dim=4)
    with pytest.raises(ValueError, match="feature_model="):
        exploration.project(plain, np.zeros((1, 8, 8, 1), "float32"), loss="features")


def test_latent_arithmetic_is_the_decoded_mean_vector():
    gan = _small_gan()
    rng = np.random.default_rng(0)
    positive, negative = rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
    grid = exploration.latent_arithmetic(gan, positive, negative, [7, 8, 9], perturbations=5)
    assert grid.shape == (4, 5, 8, 8, 1)
    base = np.concatenate([np.asarray(gan.sample_latents(1, seed=s)) for s in (7, 8, 9)])
    vector = positive.mean(0) - negative.mean(0) + base.mean(0)
    np.testing.assert_allclose(grid[3, 0], gan.generate(latents=vector[None].astype("float32"))[0],
                               atol=1e-5)
    np.testing.assert_allclose(grid[0, :3], gan.generate(latents=positive.astype("float32")),
                               atol=1e-5)
    np.testing.assert_allclose(grid[1, 4], gan.generate(
        latents=negative.mean(0, keepdims=True).astype("float32"))[0], atol=1e-5)
    np.testing.assert_array_equal(grid[1, 2:4], -1.0)  # a shorter group is padded
    assert not np.allclose(grid[3, 1], grid[3, 0])  # perturbed
    with pytest.raises(ValueError, match="`negative` must be"):
        exploration.latent_arithmetic(gan, positive, rng.normal(size=(2, 3)), [1])


def test_project_and_arithmetic_commands(tmp_path, capsys):
    import json

    from keras_gan.visualization import to_uint8, write_png

    gan = _small_gan()
    gan.compile()
    model = str(tmp_path / "gan.keras")
    gan.save(model)
    folder = tmp_path / "inputs" / "nested"
    folder.mkdir(parents=True)
    targets = gan.generate(2, seed=4)
    for i, image in enumerate(targets):
        write_png(str(folder / f"{i}.png"), to_uint8(image[None])[0])
    out = tmp_path / "projected"
    assert cli.main(["project", model, "--input", str(tmp_path / "inputs"), "--out", str(out),
                     "--steps", "150"]) == 0
    errors = json.load(open(out / "errors.json"))
    assert set(errors["mean_squared_error"]) == {"nested/0", "nested/1"}
    assert errors["mean"] < 5e-3  # 8-bit inputs: the quantization error remains
    assert sorted(os.listdir(out / "nested")) == ["0.png", "1.png"]
    assert (out / "comparison.png").exists()
    assert cli.main(["arithmetic", model, "--positive", str(out / "latents.npz"),
                     "--negative", "1,2", "--base", "3", "--out", str(tmp_path / "a.png")]) == 0
    assert tuple(tf.io.decode_png(tf.io.read_file(str(tmp_path / "a.png"))).shape)[:2] == (
        2 + 4 * 10, 2 + 8 * 10)  # 4 rows of 8 columns at 8 px (grid cells are 10 px)
    assert cli.main(["arithmetic", model, "--positive", "x", "--negative", "1",
                     "--base", "2"]) == 2
    assert "comma list of integers" in capsys.readouterr().err
