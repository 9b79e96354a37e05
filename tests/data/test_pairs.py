"""Paired and unpaired pipelines of image-to-image GANs."""

import os

import numpy as np
import pytest
import tensorflow_datasets as tfds

from keras_gan import data
from keras_gan.visualization import write_png


def _write(folder, name, image):
    os.makedirs(folder, exist_ok=True)
    write_png(os.path.join(folder, name), image)


def test_two_folders_pair_by_name_and_a_missing_target_is_named(tmp_path):
    for i in range(3):
        _write(tmp_path / "in", f"{i}.png", np.full((8, 8, 3), 10 * i, np.uint8))
        _write(tmp_path / "out", f"{i}.png", np.full((8, 8, 3), 10 * i + 100, np.uint8))
    pairs = data.load_pairs(tmp_path / "in", tmp_path / "out", batch_size=None, shuffle=False)
    for inputs, targets in pairs.as_numpy_iterator():
        # Each target is its input's value + 100 (in [-1, 1]: + 100 / 127.5).
        np.testing.assert_allclose(targets - inputs, 100 / 127.5, atol=1e-5)
    _write(tmp_path / "in", "3.png", np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ValueError, match="3.png has no paired target"):
        data.load_pairs(tmp_path / "in", tmp_path / "out")


def test_side_by_side_images_split_into_input_and_target(tmp_path):
    image = np.zeros((8, 16, 3), np.uint8)
    image[:, 8:] = 255
    _write(tmp_path / "pairs", "a.png", image)
    (left, right), = data.load_pairs(tmp_path / "pairs", batch_size=None).as_numpy_iterator()
    assert left.shape == (8, 8, 3) and left.max() == -1 and right.min() == 1
    (inputs, targets), = data.load_pairs(tmp_path / "pairs", batch_size=None,
                                         direction="b_to_a").as_numpy_iterator()
    assert inputs.min() == 1 and targets.max() == -1
    batch = next(iter(data.load_pairs(tmp_path / "pairs", batch_size=1, image_size=4)))
    assert batch[0].shape == (1, 4, 4, 3)
    with pytest.raises(FileNotFoundError, match="No such folder"):
        data.load_pairs(tmp_path / "missing")


def test_array_pairs_and_unpaired_domains():
    a = np.zeros((4, 8, 8, 1), np.uint8)
    b = np.full((6, 8, 8, 1), 255, np.uint8)
    with pytest.raises(ValueError, match="one target per input"):
        data.load_pairs((a, b))
    unpaired = list(data.load_unpaired(a, b, batch_size=None).as_numpy_iterator())
    # One epoch is as long as the larger domain; the smaller one repeats.
    assert len(unpaired) == 6
    assert all(x.max() == -1 and y.min() == 1 for x, y in unpaired)
    with tfds.testing.mock_data(num_examples=5):
        batch_a, batch_b = next(iter(data.load_unpaired("cycle_gan/horse2zebra", batch_size=2,
                                                        image_size=16)))
        assert batch_a.shape == batch_b.shape == (2, 16, 16, 3)
        lr, hr = next(iter(data.load_pairs("div2k", features=("lr", "hr"), batch_size=1,
                                           image_size=8)))
        assert lr.shape == hr.shape == (1, 8, 8, 3)
