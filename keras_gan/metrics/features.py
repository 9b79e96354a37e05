"""Feature extractors for FID/KID/IS/PR, and cached reference statistics.

Any `keras.Model` or callable mapping a batch of images in [-1, 1] to
`(batch, dim)` vectors can be the extractor. The default is ImageNet
InceptionV3 from `keras.applications` with the 2048-d average-pool output.

**Not the FID of papers.** FID is defined on the TF 2015 graph
`inception-2015-12-05` (1008 classes, its own resize); the Keras ImageNet
InceptionV3 weights differ, so values computed with it (keys `fid_5k_keras`)
are for monitoring and comparing runs made with this toolkit. The protocol's
own network is `keras_gan.metrics.inception_fid` (keys `fid_5k_tf2015`).
"""

import hashlib
import os
import re

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.metrics.frechet import FeatureStatistics

INCEPTION_SIZE = 299


class FeatureExtractor:
    """Maps images in [-1, 1] to feature vectors, batch by batch.

    Args:
        function: a `keras.Model` or callable taking `(batch, H, W, C)`
            images in [-1, 1] and returning `(batch, dim)` features.
        name: identifies the extractor in cache keys (default: the model's
            `name` or the function's `__name__`).
        image_size: if set, images are resized (bilinear) to this square
            size before `function` sees them.
        rgb: if True, single-channel images are repeated to 3 channels.
        batch_size: images per call.
        protocol: the evaluation protocol this network defines, carried in
            metric keys (`fid_5k_keras`, `fid_5k_tf2015`); None (own
            extractors) leaves keys such as `fid_5k`.

    Example:

    ```python
    extractor = FeatureExtractor(my_classifier_body, name="mnist_classifier")
    stats = extractor.statistics(images, num_samples=10000)
    ```
    """

    def __init__(self, function, name=None, image_size=None, rgb=False, batch_size=64,
                 protocol=None):
        if not callable(function):
            raise TypeError(f"`function` must be callable. Received: {function!r}")
        check_positive_int(batch_size=batch_size)
        self.function = function
        self.name = name or getattr(function, "name", None) or getattr(function, "__name__", None) \
            or type(function).__name__
        self.image_size = image_size
        self.rgb = rgb
        self.batch_size = int(batch_size)
        self.protocol = protocol
        self._compiled = None
        if isinstance(function, keras.Model):
            self._compiled = tf.function(self._forward, reduce_retracing=True)

    def _forward(self, images):
        images = tf.convert_to_tensor(images, tf.float32)
        if self.rgb and images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        if self.image_size:
            images = tf.image.resize(images, (self.image_size, self.image_size), "bilinear")
        if isinstance(self.function, keras.Model):
            return self.function(images, training=False)
        return self.function(images)

    def __call__(self, images):
        """Features of `images` (any count; processed in batches) as float32."""
        images = np.asarray(images, np.float32)
        if images.ndim == 3:
            images = images[..., None]
        outputs = []
        for start in range(0, len(images), self.batch_size):
            batch = images[start:start + self.batch_size]
            features = (self._compiled or self._forward)(batch)
            features = np.asarray(keras.ops.convert_to_numpy(features), np.float32)
            if features.ndim != 2 or len(features) != len(batch):
                raise ValueError(
                    f"Feature extractor {self.name!r} must return (batch, dim) vectors; for a "
                    f"batch of {len(batch)} it returned shape {features.shape}. Pool or "
                    "flatten its output.")
            outputs.append(features)
        return np.concatenate(outputs) if outputs else np.zeros((0, 0), np.float32)

    def statistics(self, source, num_samples=None, keep_features=False, verbose=0):
        """Streams `source` through the extractor into `FeatureStatistics`.

        Args:
            source: images `(n, H, W, C)`, a `tf.data.Dataset` of images or
                `(images, labels)` batches, or any iterable of image batches.
            num_samples: stop after this many images (default: all of a
                finite source).
            keep_features: keep the feature vectors (for KID, PR, density).
            verbose: 1 shows a progress bar.
        """
        stats = FeatureStatistics(keep_features=keep_features)
        progress = keras.utils.Progbar(num_samples, unit_name="image") if verbose else None
        for batch in _batches(source, self.batch_size):
            if num_samples is not None:
                batch = batch[:num_samples - stats.count]
            stats.update(self(batch))
            if progress is not None:
                progress.update(stats.count)
            if num_samples is not None and stats.count >= num_samples:
                break
        if stats.count == 0:
            raise ValueError("The image source is empty; no features were extracted.")
        return stats


def _batches(source, batch_size):
    """Yields NumPy image batches from arrays, datasets or iterables."""
    if isinstance(source, np.ndarray):
        for start in range(0, len(source), batch_size):
            yield source[start:start + batch_size]
        return
    if isinstance(source, tf.data.Dataset):
        source = source.as_numpy_iterator()
    for element in source:
        if isinstance(element, dict):
            element = element.get("image", next(iter(element.values())))
        elif isinstance(element, (tuple, list)):
            element = element[0]
        element = np.asarray(element)
        if element.ndim == 3 and element.shape[-1] in (1, 3):
            element = element[None]  # an unbatched dataset
        yield element.astype(np.float32)


def inception_v3(weights="imagenet", output="pool", batch_size=32):
    """ImageNet InceptionV3 (from `keras.applications`) as a `FeatureExtractor`.

    Images in [-1, 1] (the range InceptionV3 was trained on) of any size are
    resized to 299x299 with bilinear interpolation; grayscale images are
    repeated to RGB.

    Args:
        weights: `"imagenet"` (the Keras cache, `$KERAS_HOME/models`, or a
            download), a path to a local weights file, or None (random
            weights: for tests only).
        output: `"pool"` for the 2048-d average-pool features (FID, KID, PR)
            or `"probabilities"` for the 1000 ImageNet class probabilities
            (Inception Score).
        batch_size: images per forward pass.

    Not the TF 2015 FID network: values are for monitoring and comparing
    runs made with this toolkit (see the module docstring).
    """
    if output not in ("pool", "probabilities"):
        raise ValueError(f"`output` must be 'pool' or 'probabilities'. Received: output={output!r}")
    include_top = output == "probabilities"
    network = imagenet_inception(weights, include_top=include_top,
                                 pooling=None if include_top else "avg",
                                 input_shape=(INCEPTION_SIZE, INCEPTION_SIZE, 3))
    tag = "imagenet" if weights == "imagenet" else "random" if weights is None else _file_tag(weights)
    return FeatureExtractor(network, name=f"inception_v3_{tag}_{output}_{INCEPTION_SIZE}",
                            image_size=INCEPTION_SIZE, rgb=True, batch_size=batch_size,
                            protocol="keras")


def imagenet_inception(weights="imagenet", **kwargs):
    """`keras.applications.InceptionV3(weights=weights, **kwargs)`, with a
    clear error (and what to do) when the ImageNet weights cannot be
    downloaded."""
    filename = ("inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
                if kwargs.get("include_top", True)
                else "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5")
    return imagenet_application(keras.applications.InceptionV3, weights, filename, **kwargs)


def imagenet_application(constructor, weights, filename, **kwargs):
    """`constructor(weights=weights, **kwargs)` (a `keras.applications`
    network); offline without the ImageNet weights, an error that names
    `filename`, the Keras cache and the alternatives."""
    name = constructor.__name__
    if weights is not None and weights != "imagenet" and not os.path.exists(weights):
        raise FileNotFoundError(f"{name} weights file not found: {weights}")
    try:
        return constructor(weights=weights, **kwargs)
    except Exception as error:  # offline: URL fetch failure; keras raises plain Exception
        if weights != "imagenet" or "fetch" not in str(error).lower():
            raise
        raise RuntimeError(
            f"Could not download the ImageNet {name} weights (no network?). Options: "
            f"(1) put {filename} in {os.path.join(_keras_home(), 'models')} (the Keras "
            "cache, e.g. copied from a machine that has it); (2) pass a local file, "
            "weights='/path/to/weights.h5'; (3) inject your own network (extractor= or "
            f"distance=: any keras.Model or callable). Underlying error: {error}"
        ) from error


def as_extractor(extractor):
    """A `FeatureExtractor` from an extractor, `keras.Model` or callable;
    None gives the default `inception_v3()` pool features."""
    if extractor is None:
        return inception_v3()
    if isinstance(extractor, FeatureExtractor):
        return extractor
    return FeatureExtractor(extractor)


def reference_statistics(source, extractor, num_samples, name=None, split="train",
                         cache_dir=None, keep_features=False, verbose=0):
    """Statistics of real images, computed once and cached to a `.npz`.

    The cache file is keyed by dataset `name`, `split`, `num_samples` and the
    extractor's name: `{cache_dir}/{name}_{split}_{num_samples}_{extractor}.npz`
    (default `cache_dir`: `$KERAS_HOME/keras_gan/reference_statistics`). With
    `name=None` nothing is cached.

    Args:
        source: images, a `tf.data.Dataset` or an iterable of batches, in [-1, 1].
        extractor: a `FeatureExtractor`, `keras.Model` or callable.
        num_samples: how many real images the statistics use.
        keep_features: also keep (and cache) the feature vectors, for KID,
            precision/recall and density/coverage.

    Returns:
        `FeatureStatistics`.
    """
    extractor = as_extractor(extractor)
    check_positive_int(num_samples=num_samples)
    path = None
    if name is not None:
        cache_dir = cache_dir or os.path.join(_keras_home(), "keras_gan", "reference_statistics")
        key = "_".join(_slug(part) for part in (name, split, str(num_samples), extractor.name))
        path = os.path.join(os.path.expanduser(cache_dir), key + ".npz")
        if os.path.exists(path):
            stats = FeatureStatistics.load(path)
            if not keep_features or stats.keep_features:
                return stats
    stats = extractor.statistics(source, num_samples, keep_features=keep_features, verbose=verbose)
    if path is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        stats.save(path)
    return stats


def _keras_home():
    return os.path.expanduser(os.environ.get("KERAS_HOME", os.path.join("~", ".keras")))


def _slug(text):
    return re.sub(r"[^A-Za-z0-9._+-]+", "-", str(text)).strip("-")


def _file_tag(path):
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
    digest.update(str(os.path.getsize(path)).encode())
    return f"file-{digest.hexdigest()[:10]}"
