import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import callbacks
from keras_gan.exploration import slerp
from keras_gan.visualization import image_grid, save_image_grid, to_uint8
from tests.conftest import images, tiny_conditional_gan, tiny_image_gan, tiny_mlp_gan, ring_points


def _png(path):
    return tf.io.decode_png(tf.io.read_file(path)).numpy()


def test_sample_grid_writes_png_every_n_epochs_and_to_tensorboard(tmp_path):
    gan = tiny_image_gan()
    gan.compile()
    grid = callbacks.SampleGrid(tmp_path / "samples", num_samples=9, every_n_epochs=2,
                                interpolation_rows=2, tensorboard_dir=tmp_path / "tb")
    gan.fit(images(8), batch_size=4, epochs=3, verbose=0, callbacks=[grid])
    names = sorted(os.listdir(tmp_path / "samples"))
    # every 2 epochs, plus the last one
    assert names == ["epoch_0002.png", "epoch_0002_interpolation.png",
                     "epoch_0003.png", "epoch_0003_interpolation.png"]
    png = _png(str(tmp_path / "samples" / "epoch_0003.png"))
    assert png.shape == (3 * 30 + 2, 3 * 30 + 2, 1)  # 3x3 cells of 28 px, 2 px padding
    strip = _png(str(tmp_path / "samples" / "epoch_0003_interpolation.png"))
    assert strip.shape == (2 * 30 + 2, 3 * 30 + 2, 1)  # 2 rows of 3 steps
    assert any(name.startswith("events") for name in os.listdir(tmp_path / "tb"))


def test_sample_grid_latents_are_fixed_across_writes(tmp_path):
    gan = tiny_image_gan()
    gan.compile()
    grid = callbacks.SampleGrid(tmp_path, num_samples=4)
    grid.set_model(gan)
    first = grid.write(1)[0]
    os.rename(first, tmp_path / "a.png")
    grid.write(1)
    np.testing.assert_array_equal(_png(str(tmp_path / "a.png")), _png(first))


def test_conditional_grid_has_one_row_per_class(tmp_path):
    gan = tiny_conditional_gan(num_classes=4)
    gan.compile(loss="hinge")
    grid = callbacks.SampleGrid(tmp_path, columns=3)
    x = np.random.default_rng(0).uniform(-1, 1, (4, 32, 32, 3)).astype("float32")
    gan.fit(x, np.arange(4), batch_size=2, epochs=1, verbose=0, callbacks=[grid])
    png = _png(str(tmp_path / "epoch_0001.png"))
    assert png.shape == (4 * 34 + 2, 3 * 34 + 2, 3)
    # Row i is class i; the same seeded latents in every row.
    z = np.random.default_rng(0).standard_normal((3, 8)).astype("float32")
    expected = gan.generate(latents=np.tile(z, (4, 1)), labels=np.repeat(np.arange(4), 3))
    np.testing.assert_array_equal(png, image_grid(expected, 3))


def test_sample_grid_rejects_non_image_generators(tmp_path):
    gan = tiny_mlp_gan()
    gan.compile()
    with pytest.raises(ValueError, match="scatter plot"):
        gan.fit(ring_points(8), batch_size=4, verbose=0,
                callbacks=[callbacks.SampleGrid(tmp_path)])


def test_sample_grid_arguments_are_checked_and_serializable(tmp_path):
    with pytest.raises(ValueError, match="every_n_epochs"):
        callbacks.SampleGrid(tmp_path, every_n_epochs=0)
    with pytest.raises(ValueError, match="interpolation_rows"):
        callbacks.SampleGrid(tmp_path, interpolation_rows=-1)
    grid = callbacks.SampleGrid(str(tmp_path), num_samples=16, interpolation_rows=1)
    assert callbacks.SampleGrid.from_config(grid.get_config()).get_config() == grid.get_config()


def test_image_grid_layout_and_scaling(tmp_path):
    x = np.stack([np.full((2, 2, 3), v, np.float32) for v in (-1.0, 0.0, 1.0)])
    grid = image_grid(x, columns=2, padding=1, pad_value=7)
    assert grid.shape == (2 * 3 + 1, 2 * 3 + 1, 3)
    assert grid[1, 1, 0] == 0 and grid[1, 4, 0] == 128 and grid[4, 1, 0] == 255
    assert grid[4, 4, 0] == 7 and grid[0, 0, 0] == 7  # empty cell and padding
    np.testing.assert_array_equal(to_uint8([-2.0, 2.0]), [0, 255])
    save_image_grid(x, tmp_path / "g.png")
    assert _png(str(tmp_path / "g.png")).shape == (2 * 4 + 2, 2 * 4 + 2, 3)
    assert not [n for n in os.listdir(tmp_path) if "tmp" in n]  # atomic write left no temp


def test_slerp_keeps_endpoints_and_norm():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    np.testing.assert_allclose(slerp(a, b, 0.0), a, atol=1e-12)
    np.testing.assert_allclose(slerp(a, b, 1.0), b, atol=1e-12)
    np.testing.assert_allclose(slerp(a, b, 0.5), [np.sqrt(0.5)] * 2, atol=1e-12)
    np.testing.assert_allclose(slerp(a, a, 0.3), a)  # parallel: linear
