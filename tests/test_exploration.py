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
    # Projection in W keeps the optimized noise maps next to the latents.
    from keras_gan.visualization import to_uint8, write_png

    (tmp_path / "faces").mkdir()
    write_png(str(tmp_path / "faces" / "a.png"), to_uint8(gan.generate(1, seed=9))[0])
    for extra, keys in (([], {"latents", "names", "space", "noise/noise_4b", "noise/noise_8a",
                              "noise/noise_8b"}), (["--keep-noise"], {"latents", "names", "space"})):
        out = tmp_path / f"projected{len(extra)}"
        assert cli.main(["project", model, "--input", str(tmp_path / "faces"), "--space", "w",
                         "--steps", "3", "--out", str(out), *extra]) == 0
        with np.load(out / "latents.npz") as saved:
            assert set(saved.files) == keys
            assert saved["latents"].shape == (1, gan.w_dim)


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


def _projector_regularization(maps):
    """StyleGAN2's projector.py `reg_loss`, in NumPy, one image at a time."""
    values = []
    for image in range(len(maps[0])):
        total = 0.0
        for noise in maps:
            noise = np.asarray(noise[image, :, :, 0], np.float64)
            while True:
                total += np.mean(noise * np.roll(noise, 1, axis=1)) ** 2
                total += np.mean(noise * np.roll(noise, 1, axis=0)) ** 2
                if noise.shape[0] <= 8:
                    break
                h, w = noise.shape
                noise = noise.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
        values.append(total)
    return np.array(values)


def test_noise_regularization_is_the_projectors():
    rng = np.random.default_rng(0)
    maps = [rng.normal(size=(3, 32, 32, 1)), rng.normal(size=(3, 4, 4, 1)) + 0.5]
    np.testing.assert_allclose(exploration.noise_regularization(maps),
                               _projector_regularization(maps), rtol=1e-5)
    # A constant map correlates fully at every size: 32, 16, 8 -> 3 sizes x 2 axes.
    np.testing.assert_allclose(exploration.noise_regularization([np.ones((1, 32, 32, 1))]), [6.0])


def _noisy_stylegan():
    gan = _stylegan()
    for layer in exploration._noise_layers(gan.generator.get_layer("synthesis")):
        layer.scale.assign(np.full(layer.scale.shape, 0.5, "float32"))  # noise shows
    return gan


def test_projection_in_w_optimizes_the_noise_maps():
    gan = _noisy_stylegan()
    synthesis = gan.generator.get_layer("synthesis")
    # Targets made with noise maps other than the generator's fixed ones.
    network, target_noise = exploration._with_given_noise(synthesis, 2, np.random.default_rng(7))
    styles = gan.styles(np.random.default_rng(3).normal(size=(2, 8)).astype("float32"))
    targets = np.asarray(network(styles))
    fixed = exploration.project(gan, targets, steps=200, space="w", optimize_noise=False)
    assert "noise" not in fixed
    free = exploration.project(gan, targets, steps=200, space="w", noise_weight=1.0)
    names = ["noise_4b", "noise_8a", "noise_8b"]
    assert sorted(free["noise"]) == names
    for name, size in zip(names, (4, 8, 8)):
        maps = free["noise"][name]
        assert maps.shape == (2, size, size, 1)
        np.testing.assert_allclose(maps.mean(axis=(1, 2, 3)), 0.0, atol=1e-5)
        np.testing.assert_allclose(maps.std(axis=(1, 2, 3)), 1.0, rtol=1e-4)
    # The images are the synthesis of the latents with the returned maps.
    network, variables = exploration._with_given_noise(synthesis, 2, np.random.default_rng(0))
    for variable, name in zip(variables, names):
        variable.assign(free["noise"][name])
    rendered = network(np.repeat(free["latents"][:, None], gan.num_ws, axis=1))
    np.testing.assert_allclose(free["images"], rendered, atol=1e-5)
    assert np.all(free["errors"] < 0.5 * fixed["errors"]), (free["errors"], fixed["errors"])
    # The projector's weight keeps the maps whiter than a fresh draw of white noise.
    paper = exploration.project(gan, targets, steps=50, space="w")
    white = exploration.noise_regularization([v.numpy() for v in target_noise])
    assert np.all(exploration.noise_regularization(
        [paper["noise"][name] for name in names]) < 0.1 * white)


def test_projection_errors():
    gan = _small_gan()
    with pytest.raises(ValueError, match=r"shape \(n, 8, 8, 1\)"):
        exploration.project(gan, np.zeros((2, 4, 4, 1), "float32"), steps=1)
    with pytest.raises(ValueError, match="no W space"):
        exploration.project(gan, np.zeros((2, 8, 8, 1), "float32"), space="w")
    with pytest.raises(ValueError, match="`loss`"):
        exploration.project(gan, np.zeros((2, 8, 8, 1), "float32"), loss="lpips")
    with pytest.raises(ValueError, match="optimize_noise=True needs space='w'"):
        exploration.project(gan, np.zeros((2, 8, 8, 1), "float32"), optimize_noise=True)
    with pytest.raises(ValueError, match="noise_weight"):
        exploration.project(_stylegan(), np.zeros((2, 8, 8, 3), "float32"), space="w",
                            noise_weight=-1)
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
