"""Image pipelines for GAN training: tensorflow-datasets, image folders, arrays."""

import difflib
import os
import warnings

import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int

OFFLINE_MNIST = "mnist_10k"
_ASSETS = os.path.join(os.path.dirname(__file__), "assets")
_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"GIF87a", b"GIF89a")


class DatasetUnavailableError(RuntimeError):
    """A tensorflow-datasets dataset is neither prepared locally nor downloadable."""


def load_images(source=OFFLINE_MNIST, *, split="train", batch_size=64, image_size=None,
                channels=None, labels=False, shuffle=True, seed=0, num_samples=None,
                center_crop=None, data_dir=None, drop_remainder=True, repeat=False,
                feature="image"):
    """A shuffled, batched, prefetched `tf.data` pipeline of images in [-1, 1].

    Args:
        source: one of
            - a tensorflow-datasets name (`"mnist"`, `"fashion_mnist"`,
              `"cifar10"`, `"celeb_a"`, ...), prepared in `data_dir` or
              downloaded on first use;
            - `"mnist_10k"`: 10,000 real MNIST digits shipped with keras-gan
              (works offline; see `keras_gan/data/assets/README.md`);
            - a folder of PNG/JPEG/BMP/GIF images, searched recursively (with
              `labels=True`, each first-level sub-folder is a class, in sorted
              order);
            - a `.npz` file (arrays `images`/`x`/`x_train`, labels
              `labels`/`y`/`y_train`);
            - a NumPy array of images, or a tuple `(images, labels)`.
            Integer images are scaled from [0, 255]; float arrays must already
            be in [-1, 1].
        split: tensorflow-datasets split (e.g. `"train"`, `"test"`,
            `"train[:10%]"`).
        batch_size: images per batch; None returns single examples.
        image_size: resize to this size (int for square, or `(height, width)`),
            bilinear with antialiasing; None keeps the size (all images must
            then share it).
        channels: 1 or 3: convert grayscale <-> RGB; an alpha channel is
            dropped. None keeps the channel count.
        labels: yield `(images, labels)` (int32 class ids).
        shuffle: shuffle (seeded by `seed`) with reshuffling every epoch.
        num_samples: use only the first `num_samples` examples.
        center_crop: crop a centred square of this size before resizing
            (the DCGAN CelebA protocol crops 108 then resizes to 64).
        data_dir: tensorflow-datasets data directory.
        drop_remainder: drop the last partial batch (GAN steps expect full
            batches).
        repeat: repeat the data forever.
        feature: the image feature of a tensorflow-datasets source (e.g.
            `"hr"` for `div2k`).

    Returns:
        A `tf.data.Dataset` of float32 images `(batch, H, W, C)` in [-1, 1]
        (and int32 labels).

    Example:

    ```python
    ds = keras_gan.data.load_images("cifar10", batch_size=64)
    ds = keras_gan.data.load_images("photos/", image_size=64, channels=3)
    ```
    """
    if batch_size is not None:
        check_positive_int(batch_size=batch_size)
    if num_samples is not None:
        check_positive_int(num_samples=num_samples)
    if channels not in (None, 1, 3):
        raise ValueError(f"`channels` must be 1, 3 or None. Received: channels={channels!r}")
    size = _size(image_size)
    dataset, count = _examples(source, split, labels, data_dir, feature, channels)
    if num_samples is not None:
        dataset = dataset.take(num_samples)
        count = min(count, num_samples) if count else num_samples
    if shuffle:
        dataset = dataset.shuffle(min(count or 10_000, 10_000), seed=seed,
                                  reshuffle_each_iteration=True)

    def prepare(image, label=None):
        image = _prepare(image, channels, center_crop, size)
        return image if label is None else (image, tf.cast(label, tf.int32))

    dataset = dataset.map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.ignore_errors(log_warning=True)  # a corrupt file is skipped, not fatal
    if repeat:
        dataset = dataset.repeat()
    if batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)


def load_image(path, max_size=None, channels=3, size=None):
    """One image file as a float32 NumPy array `(h, w, channels)` in [-1, 1]
    (SinGAN's training image), shrunk (keeping its aspect ratio) so that its
    longer side is at most `max_size` (250 in SinGAN), or resized to `size`.

    Args:
        path: a PNG, JPEG, BMP or GIF file.
        max_size: the longest side in pixels (None: keep the size).
        channels: 1 or 3.
        size: `(height, width)` to resize to (bilinear, antialiased), e.g. a
            generator's input size; not together with `max_size`.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No image file at {path!r}: pass the path of one image "
                                "(PNG, JPEG, BMP or GIF).")
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels!r}")
    if size is not None and max_size is not None:
        raise ValueError(f"Pass `size` or `max_size`, not both. Received: size={size!r}, "
                         f"max_size={max_size!r}")
    image = tf.io.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
    height, width = int(image.shape[0]), int(image.shape[1])
    if size is not None:
        size = tuple(int(n) for n in size)
    elif max_size is not None and max(height, width) > max_size:
        factor = max_size / max(height, width)
        size = (max(1, round(height * factor)), max(1, round(width * factor)))
    return _prepare(image, channels, None, size).numpy()


def _prepare(image, channels, center_crop, size):
    """One decoded image -> float32 in [-1, 1], channels converted, cropped, resized."""
    image = _convert_channels(_to_unit_range(image), channels)
    if center_crop:
        image = tf.image.resize_with_crop_or_pad(image, center_crop, center_crop)
    if size:
        image = tf.image.resize(image, size, "bilinear", antialias=True)
    return tf.clip_by_value(image * 2.0 - 1.0, -1.0, 1.0)


def _size(image_size):
    if image_size is None:
        return None
    size = (image_size, image_size) if np.isscalar(image_size) else tuple(image_size)
    if len(size) != 2:
        raise ValueError(f"`image_size` must be an int or (height, width). Received: {image_size!r}")
    check_positive_int(image_size=size[0])
    check_positive_int(image_size=size[1])
    return tuple(int(s) for s in size)


def _to_unit_range(image):
    """uint8 [0, 255] -> [0, 1]; floats in [-1, 1] -> [0, 1]."""
    if image.dtype.is_integer:
        return tf.cast(image, tf.float32) / 255.0
    return (tf.cast(image, tf.float32) + 1.0) / 2.0


def _convert_channels(image, channels):
    if image.shape.rank == 2:
        image = image[..., None]
    if image.shape[-1] == 4 or image.shape[-1] == 2:  # drop alpha
        image = image[..., :-1]
    if channels == 3 and image.shape[-1] == 1:
        image = tf.image.grayscale_to_rgb(image)
    elif channels == 1 and image.shape[-1] == 3:
        image = tf.image.rgb_to_grayscale(image)
    return image


def _examples(source, split, labels, data_dir, feature="image", channels=None):
    """`(dataset of unbatched (image[, label]), count or None)` for any source."""
    if isinstance(source, tuple):
        images, ids = source
        return _from_arrays(np.asarray(images), np.asarray(ids), labels)
    if isinstance(source, np.ndarray):
        if labels:
            raise ValueError("labels=True needs labels: pass (images, labels) as the source.")
        return _from_arrays(source, None, False)
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(
            "`source` must be a dataset name, a folder, a .npz file, an array or "
            f"(images, labels). Received: {type(source).__name__}")
    source = os.fspath(source)
    if source == OFFLINE_MNIST:
        return _from_npz(os.path.join(_ASSETS, "mnist_10k.npz"), labels)
    if source.endswith(".npz"):
        if not os.path.exists(source):
            raise FileNotFoundError(f"No such .npz file: {source}")
        return _from_npz(source, labels)
    if os.path.isdir(source):
        return _from_folder(source, labels, channels)
    if _is_path(source):
        raise FileNotFoundError(f"No such folder: {source}")
    return _from_tfds(source, split, labels, data_dir, image_key=feature)


def _is_path(source):
    """Whether a missing `source` names a file-system path rather than a
    tensorflow-datasets name (which may carry a config: `cycle_gan/horse2zebra`)."""
    import re

    if source.startswith((".", os.sep, "~")):
        return True
    return os.sep in source and not re.fullmatch(r"[a-z0-9_]+/[a-z0-9_.]+(:[0-9.]+)?", source)


def _from_arrays(images, ids, labels):
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(
            f"Images must be a non-empty array (n, H, W[, C]). Received shape {images.shape}")
    if not np.issubdtype(images.dtype, np.integer):
        low, high = float(images.min()), float(images.max())
        if low < -1.001 or high > 1.001:
            raise ValueError(
                f"Float images must be in [-1, 1]; these are in [{low:g}, {high:g}]. Pass uint8 "
                "[0, 255] images, or scale floats with x * 2 - 1 (from [0, 1]).")
    if labels and (ids is None or len(ids) != len(images)):
        raise ValueError("labels=True needs one label per image.")
    tensors = (images, ids.astype(np.int32)) if labels else images
    return tf.data.Dataset.from_tensor_slices(tensors), len(images)


def _from_npz(path, labels):
    with np.load(path) as data:
        image_key = next((k for k in ("images", "x", "x_train") if k in data.files), None)
        label_key = next((k for k in ("labels", "y", "y_train") if k in data.files), None)
        if image_key is None:
            raise ValueError(f"{path} has no image array (expected 'images', 'x' or 'x_train'; "
                             f"found {data.files}).")
        if labels and label_key is None:
            raise ValueError(f"{path} has no labels (expected 'labels', 'y' or 'y_train').")
        images = data[image_key]
        ids = data[label_key] if labels else None
    return _from_arrays(images, ids, labels)


def image_files(folder):
    """The readable image files under `folder` (PNG, JPEG, BMP, GIF; recursive,
    sorted); warns about files with an image extension but no image data and
    raises a ValueError when there is none."""
    paths, skipped = [], []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if not name.lower().endswith(_EXTENSIONS):
                continue
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                head = handle.read(8)
            (paths if head.startswith(_SIGNATURES) else skipped).append(path)
    if skipped:
        warnings.warn(
            f"Skipped {len(skipped)} unreadable image file(s) in {folder} (not PNG/JPEG/BMP/GIF "
            f"data), e.g. {skipped[0]}.", stacklevel=4)
    if not paths:
        raise ValueError(
            f"No images found in {folder} (searched recursively for "
            f"{', '.join(_EXTENSIONS)}).")
    return paths


def _from_folder(folder, labels, channels=None):
    paths = image_files(folder)
    if labels:
        classes = sorted({os.path.relpath(p, folder).split(os.sep)[0] for p in paths
                          if os.sep in os.path.relpath(p, folder)})
        if not classes:
            raise ValueError(
                f"labels=True needs one sub-folder per class in {folder}; all images are at "
                "its top level.")
        index = {name: i for i, name in enumerate(classes)}
        paths = [p for p in paths if os.sep in os.path.relpath(p, folder)]
        ids = [index[os.path.relpath(p, folder).split(os.sep)[0]] for p in paths]
    dataset = tf.data.Dataset.from_tensor_slices(paths)

    def decode(path):  # a known channel count gives a static shape
        return tf.io.decode_image(tf.io.read_file(path), channels=channels or 0,
                                  expand_animations=False)

    if labels:
        dataset = tf.data.Dataset.zip((dataset, tf.data.Dataset.from_tensor_slices(ids)))
        return dataset.map(lambda p, y: (decode(p), y), num_parallel_calls=tf.data.AUTOTUNE), \
            len(paths)
    return dataset.map(decode, num_parallel_calls=tf.data.AUTOTUNE), len(paths)


def _online(host="storage.googleapis.com", timeout=5.0):
    """Whether `host` (where tensorflow-datasets downloads from) is reachable."""
    import socket

    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def _from_tfds(name, split, labels, data_dir, keys=None, image_key="image"):
    import tensorflow_datasets as tfds

    known = tfds.list_builders()
    if name.split("/")[0].split(":")[0] not in known:
        close = difflib.get_close_matches(name, known + [OFFLINE_MNIST], n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown dataset {name!r}: not a tensorflow-datasets name, a folder or a .npz "
            f"file.{hint} {OFFLINE_MNIST!r} is bundled and works offline.")
    try:
        builder = tfds.builder(name, data_dir=data_dir)
        # Offline, tensorflow-datasets retries for minutes before giving up: fail
        # fast instead (unless the download is mocked, as under tfds.testing).
        downloads = builder.download_and_prepare.__name__ == "download_and_prepare"
        if downloads and not builder.is_prepared() and not _online():
            raise ConnectionError("no network: storage.googleapis.com is unreachable")
        builder.download_and_prepare()
        dataset = builder.as_dataset(split=split, shuffle_files=False)
        try:
            count = builder.info.splits[split].num_examples
        except Exception:  # a split expression or mocked info
            count = None
    except Exception as error:
        if isinstance(error, ValueError) and "split" in str(error).lower():
            raise
        raise DatasetUnavailableError(
            f"Could not load tensorflow-datasets {name!r} (split {split!r}): it is not "
            f"prepared in {data_dir or '~/tensorflow_datasets'} and downloading it failed (no "
            f"network?). Prepare it on a machine with network access (`tfds build {name}`, "
            "then copy ~/tensorflow_datasets here and pass data_dir=...), or train from a "
            f"folder of images or a .npz file; {OFFLINE_MNIST!r} is bundled for offline use. "
            f"Underlying error: {type(error).__name__}: {str(error)[:300]}") from error
    spec = dataset.element_spec
    if keys is not None:  # two image features (paired data)
        missing = [k for k in keys if k not in spec]
        if missing:
            raise ValueError(f"tensorflow-datasets {name!r} has no feature(s) {missing} "
                             f"({sorted(spec)}); pass features=(input, target).")
        return dataset.map(lambda e: (e[keys[0]], e[keys[1]])), count
    if isinstance(spec, dict) and image_key not in spec:
        raise ValueError(f"tensorflow-datasets {name!r} has no {image_key!r} feature "
                         f"({sorted(spec)}); pass feature=... to name the image feature.")
    label_key = "label" if "label" in spec else None
    if labels and label_key is None:
        raise ValueError(f"tensorflow-datasets {name!r} has no 'label' feature ({sorted(spec)}).")
    if labels:
        return dataset.map(lambda e: (e[image_key], e[label_key])), count
    return dataset.map(lambda e: e[image_key]), count
