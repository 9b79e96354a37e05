"""Interpolation in Z and W, style-mixing grids, and their `keras-gan` commands."""

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
