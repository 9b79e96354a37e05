"""Paired and unpaired image pipelines for image-to-image GANs, and the
degradation that makes super-resolution inputs."""

import math
import os

import numpy as np
import tensorflow as tf

from keras_gan.data import images as images_lib


def load_pairs(source, target=None, *, split="train", batch_size=1, image_size=None,
               channels=None, shuffle=True, seed=0, num_samples=None, data_dir=None,
               features=("input", "target"), direction="a_to_b", drop_remainder=True):
    """A `tf.data` pipeline of `(inputs, targets)` image pairs in [-1, 1].

    Args:
        source: one of
            - a folder of side-by-side images, each the input and the target
              concatenated horizontally (how the pix2pix datasets such as
              facades are distributed; `direction="b_to_a"` swaps the halves);
            - a folder of inputs, with `target` a folder of targets: files are
              paired by their path relative to each folder;
            - a tensorflow-datasets name whose examples hold two images, named
              by `features` (e.g. `("lr", "hr")` for `div2k`);
            - a tuple of arrays `(inputs, targets)` (uint8, or floats in [-1, 1]).
        target: the target folder (only with a folder `source`).
        split: tensorflow-datasets split.
        batch_size: pairs per batch (1 in pix2pix); None for single pairs.
        image_size: resize both images to this size (int or `(h, w)`).
        channels: convert both images to 1 or 3 channels (needed for folders
            whose files may differ).
        shuffle, seed: seeded shuffling, reshuffled every epoch.
        num_samples: use the first `num_samples` pairs.
        data_dir: tensorflow-datasets data directory.
        features: the two image features of a tensorflow-datasets source.
        direction: `"a_to_b"` (left half is the input) or `"b_to_a"`.
        drop_remainder: drop the last partial batch.

    Raises:
        ValueError: a missing paired image (named), mismatched array lengths,
            or a side-by-side image of odd width.
    """
    if direction not in ("a_to_b", "b_to_a"):
        raise ValueError(f"`direction` must be 'a_to_b' or 'b_to_a'. Received: {direction!r}")
    size = images_lib._size(image_size)
    dataset, count = _pair_examples(source, target, split, data_dir, features, direction,
                                    channels or 0)
    if num_samples is not None:
        dataset = dataset.take(num_samples)
        count = min(count, num_samples) if count else num_samples
    if shuffle:
        dataset = dataset.shuffle(min(count or 1000, 1000), seed=seed,
                                  reshuffle_each_iteration=True)

    def prepare(image):
        return images_lib._prepare(image, channels, None, size)

    dataset = dataset.map(lambda a, b: (prepare(a), prepare(b)),
                          num_parallel_calls=tf.data.AUTOTUNE)
    if batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _pair_examples(source, target, split, data_dir, features, direction, channels):
    swap = direction == "b_to_a"
    if isinstance(source, tuple):
        inputs, targets = (np.asarray(x) for x in source)
        if len(inputs) != len(targets) or len(inputs) == 0:
            raise ValueError(f"Paired arrays need one target per input; received {len(inputs)} "
                             f"inputs and {len(targets)} targets.")
        for array in (inputs, targets):
            images_lib._from_arrays(array, None, False)  # range and shape checks
        pair = (targets, inputs) if swap else (inputs, targets)
        return tf.data.Dataset.from_tensor_slices(pair), len(inputs)
    source = os.fspath(source)
    if os.path.isdir(source):
        if target is None:
            return _side_by_side(source, swap, channels)
        return _two_folders(source, os.fspath(target), swap, channels)
    if images_lib._is_path(source):
        raise FileNotFoundError(
            f"No such folder: {source}. Paired data is a folder of side-by-side images, two "
            "folders (inputs and targets), a tensorflow-datasets name or (inputs, targets).")
    dataset, count = images_lib._from_tfds(source, split, False, data_dir, keys=features)
    return dataset.map(lambda a, b: (b, a) if swap else (a, b)), count


def _decode(path, channels=0):
    """Decodes an image file; `channels` 1 or 3 converts (0 keeps the file's)."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
    return tf.ensure_shape(image, [None, None, channels or None])


def _side_by_side(folder, swap, channels):
    paths = images_lib.image_files(folder)

    def split_halves(path):
        image = _decode(path, channels)
        width = tf.shape(image)[1]
        tf.debugging.assert_equal(width % 2, 0, message=(
            "a side-by-side pair image has an odd width: each image must be the input and "
            "the target side by side, of equal widths"))
        left, right = image[:, : width // 2], image[:, width // 2:]
        return (right, left) if swap else (left, right)

    dataset = tf.data.Dataset.from_tensor_slices(paths)
    return dataset.map(split_halves, num_parallel_calls=tf.data.AUTOTUNE), len(paths)


def _two_folders(inputs_folder, targets_folder, swap, channels):
    inputs = {os.path.relpath(p, inputs_folder): p
              for p in images_lib.image_files(inputs_folder)}
    targets = {os.path.splitext(os.path.relpath(p, targets_folder))[0]: p
               for p in images_lib.image_files(targets_folder)}
    pairs = []
    for relative, path in sorted(inputs.items()):
        match = targets.get(os.path.splitext(relative)[0])
        if match is None:
            raise ValueError(
                f"Input image {path} has no paired target in {targets_folder} (expected a file "
                f"named {os.path.splitext(relative)[0]}.* there). Every input needs a target "
                "with the same relative name.")
        pairs.append((match, path) if swap else (path, match))
    dataset = tf.data.Dataset.from_tensor_slices(tuple(np.array(p) for p in zip(*pairs)))
    return dataset.map(lambda a, b: (_decode(a, channels), _decode(b, channels)),
                       num_parallel_calls=tf.data.AUTOTUNE), len(pairs)


def load_unpaired(source_a, source_b=None, *, splits=("trainA", "trainB"), batch_size=1,
                  image_size=None, channels=None, shuffle=True, seed=0, num_samples=None,
                  data_dir=None, drop_remainder=True):
    """`(a, b)` batches of unpaired images from two domains, for CycleGAN.

    The two sides are shuffled independently; an epoch is as long as the
    larger domain, the smaller one repeating (as in the CycleGAN code).

    Args:
        source_a: a tensorflow-datasets name with one split per domain
            (`"cycle_gan/horse2zebra"`, splits `trainA`/`trainB`), or any
            source of `load_images` for domain A.
        source_b: the source of domain B (None: `source_a`'s second split).
        splits: the domains' splits (for tensorflow-datasets sources).
        Other arguments as in `load_images`.
    """
    source_b = source_a if source_b is None else source_b
    sides, counts = [], []
    for index, (source, split) in enumerate(zip((source_a, source_b), splits)):
        side = images_lib.load_images(
            source, split=split, batch_size=None, image_size=image_size, channels=channels,
            shuffle=shuffle, seed=seed + index, num_samples=num_samples, data_dir=data_dir)
        count = int(side.cardinality())
        if count < 0:
            count = int(side.reduce(0, lambda n, _: n + 1))
        sides.append(side)
        counts.append(count)
    dataset = tf.data.Dataset.zip(tuple(s.repeat() for s in sides)).take(max(counts))
    if batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)


def degrade(images, scale, blur_sigma=None):
    """Low-resolution versions of `images`: Gaussian blur, then downsampling
    by `scale` (the mean of each `scale x scale` block).

    Args:
        images: `(batch, H, W, C)` or `(H, W, C)`, NumPy or tensor; H and W
            divisible by `scale`.
        scale: the downsampling factor r.
        blur_sigma: standard deviation of the Gaussian blur in
            high-resolution pixels; default `scale / 2`; 0 skips the blur.

    Returns:
        The degraded images, NumPy if `images` was NumPy.
    """
    as_numpy = isinstance(images, np.ndarray)
    x = tf.convert_to_tensor(images, tf.float32)
    single = x.shape.rank == 3
    if single:
        x = x[None]
    height, width = x.shape[1], x.shape[2]
    if height is not None and (height % scale or width % scale):
        raise ValueError(f"Images of {height}x{width} are not divisible by scale={scale}; "
                         "crop them to a multiple of the scale first.")
    sigma = scale / 2 if blur_sigma is None else float(blur_sigma)
    if sigma > 0:
        radius = max(1, math.ceil(3 * sigma))
        taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
        taps = tf.constant(taps / taps.sum(), tf.float32)
        channels = x.shape[-1]
        kernel = tf.tile((taps[:, None] * taps[None, :])[:, :, None, None], [1, 1, channels, 1])
        padded = tf.pad(x, [[0, 0], [radius, radius], [radius, radius], [0, 0]], "SYMMETRIC")
        x = tf.nn.depthwise_conv2d(padded, kernel, [1, 1, 1, 1], "VALID")
    x = tf.nn.avg_pool2d(x, scale, scale, "VALID")
    if single:
        x = x[0]
    return x.numpy() if as_numpy else x
