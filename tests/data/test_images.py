import os

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gan import data
from keras_gan.data import images as images_module


def _batch(dataset):
    return next(iter(dataset))


def test_shipped_mnist_is_real_uint8_digits_scaled_to_unit_range():
    ds = data.load_images("mnist_10k", batch_size=10, labels=True, shuffle=False)
    x, y = _batch(ds)
    assert x.shape == (10, 28, 28, 1) and x.dtype == tf.float32
    assert float(tf.reduce_min(x)) == -1.0 and float(tf.reduce_max(x)) == 1.0
    with np.load(os.path.join(os.path.dirname(images_module.__file__), "assets",
                              "mnist_10k.npz")) as raw:
        assert raw["images"].shape == (10000, 28, 28) and raw["images"].dtype == np.uint8
        np.testing.assert_array_equal(np.bincount(raw["labels"]),
                                      [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
        np.testing.assert_allclose(x[0, ..., 0], raw["images"][0] / 127.5 - 1, atol=1e-6)
    assert y.numpy().tolist() == [0] * 10  # stored class by class


def test_resize_channels_crop_and_take():
    ds = data.load_images("mnist_10k", batch_size=4, image_size=32, channels=3, num_samples=8)
    assert _batch(ds).shape == (4, 32, 32, 3)
    assert sum(1 for _ in ds) == 2
    ds = data.load_images("mnist_10k", batch_size=2, center_crop=20, image_size=(16, 8))
    assert _batch(ds).shape == (2, 16, 8, 1)
    assert _batch(data.load_images("mnist_10k", batch_size=None)).shape == (28, 28, 1)


def _write(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    encode = tf.io.encode_png if path.endswith(".png") else tf.io.encode_jpeg
    tf.io.write_file(path, encode(array))


def test_image_folder_with_class_subfolders_and_broken_files(tmp_path):
    rng = np.random.default_rng(0)
    for cls in ("cat", "dog"):
        for i in range(3):
            ext = "png" if i % 2 else "jpg"
            _write(str(tmp_path / cls / f"{i}.{ext}"), rng.integers(0, 255, (10, 12, 3), np.uint8))
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    (tmp_path / "dog" / "fake.png").write_text("not a png either")           # bad signature
    (tmp_path / "cat" / "truncated.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    with pytest.warns(UserWarning, match="Skipped 1 unreadable image file"):
        ds = data.load_images(tmp_path, batch_size=1, labels=True, image_size=8, shuffle=False)
    pairs = [(x.shape, int(y[0])) for x, y in ds]
    # 6 good images; the truncated PNG fails to decode and is dropped, not fatal.
    assert len(pairs) == 6 and {p[0] for p in pairs} == {(1, 8, 8, 3)}
    assert sorted(p[1] for p in pairs) == [0, 0, 0, 1, 1, 1]


def test_image_files_and_one_image_at_a_size(tmp_path):
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (10, 12, 3), np.uint8)
    _write(str(tmp_path / "b" / "2.png"), pixels)
    _write(str(tmp_path / "a.png"), pixels[:6])
    (tmp_path / "b" / "notes.txt").write_text("not an image")
    assert data.image_files(tmp_path) == [str(tmp_path / "a.png"), str(tmp_path / "b" / "2.png")]
    image = data.load_image(str(tmp_path / "b" / "2.png"))
    np.testing.assert_allclose(image, pixels / 127.5 - 1, atol=1e-6)
    resized = data.load_image(str(tmp_path / "b" / "2.png"), channels=1, size=(5, 6))
    assert resized.shape == (5, 6, 1) and resized.dtype == np.float32
    grey = tf.cast(tf.image.rgb_to_grayscale(pixels[None]), tf.float32)
    expected = tf.image.resize(grey / 127.5 - 1, (5, 6), antialias=True)[0]
    np.testing.assert_allclose(resized, expected, atol=0.02)  # TF's PNG grey conversion
    with pytest.raises(ValueError, match="not both"):
        data.load_image(str(tmp_path / "a.png"), max_size=4, size=(2, 2))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="No images found"):
        data.image_files(tmp_path / "empty")


def test_arrays_and_npz(tmp_path):
    x = np.random.default_rng(0).integers(0, 256, (6, 8, 8), np.uint8)
    np.savez(tmp_path / "d.npz", x_train=x, y_train=np.arange(6))
    images, labels = _batch(data.load_images(str(tmp_path / "d.npz"), batch_size=6, labels=True,
                                             shuffle=False))
    np.testing.assert_allclose(images[..., 0], x / 127.5 - 1, atol=1e-6)
    assert labels.numpy().tolist() == list(range(6))
    floats = np.linspace(-1, 1, 2 * 4 * 4).reshape(2, 4, 4, 1).astype("float32")
    out = _batch(data.load_images(floats, batch_size=2, shuffle=False))
    np.testing.assert_allclose(out, floats, atol=1e-6)
    with pytest.raises(ValueError, match=r"in \[-1, 1\]"):
        data.load_images(floats * 255)
    with pytest.raises(ValueError, match="needs labels"):
        data.load_images(x, labels=True)


def test_tfds_names_load_through_mock_data():
    with tfds.testing.mock_data(num_examples=12):
        x, y = _batch(data.load_images("cifar10", batch_size=4, labels=True))
        assert x.shape == (4, 32, 32, 3) and y.dtype == tf.int32
        assert float(tf.reduce_min(x)) >= -1 and float(tf.reduce_max(x)) <= 1
        assert _batch(data.load_images("mnist", batch_size=3, channels=3)).shape == (3, 28, 28, 3)


def test_clear_errors_for_bad_sources(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="Did you mean 'mnist'"):
        data.load_images("minst")
    with pytest.raises(ValueError, match="No images found"):
        data.load_images(tmp_path)
    with pytest.raises(FileNotFoundError, match="No such folder"):
        data.load_images(str(tmp_path / "missing") + "/")
    with pytest.raises(ValueError, match="channels"):
        data.load_images("mnist_10k", channels=2)
    # No network and nothing prepared: fails fast and says what to do.
    monkeypatch.setattr(images_module, "_online", lambda *a, **k: False)
    with pytest.raises(data.DatasetUnavailableError, match="tfds build fashion_mnist"):
        data.load_images("fashion_mnist", data_dir=str(tmp_path / "tfds"))


def test_mixtures_with_pacgan_defaults():
    points, centers, std = data.load_mixture("ring", 1000, seed=0)
    assert points.shape == (1000, 2) and len(centers) == 8 and std == 0.01
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0, atol=1e-6)
    _, grid, grid_std = data.load_mixture("grid", 10)
    assert len(grid) == 25 and grid_std == 0.05 and grid.max() == 4.0
    _, wide, _ = data.load_mixture("ring", 10, radius=2.0, num_modes=6)
    assert len(wide) == 6
    with pytest.raises(ValueError, match="valid"):
        data.load_mixture("ring", 10, spacing=2)
    with pytest.raises(ValueError, match="Choose from"):
        data.load_mixture("spiral", 10)
