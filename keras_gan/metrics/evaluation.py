"""Evaluates a GAN's samples against real data: FID, KID, IS, PR, density/coverage."""

import warnings

import keras
import numpy as np

from keras_gan._checks import check_positive_int
from keras_gan.metrics.features import FeatureStatistics, as_extractor, inception_v3
from keras_gan.metrics.frechet import frechet_distance
from keras_gan.metrics.inception_score import inception_score
from keras_gan.metrics.kid import kernel_distance
from keras_gan.metrics.prdc import density_coverage, precision_recall

METRICS = {
    "fid": ("fid",),
    "kid": ("kid", "kid_std"),
    "is": ("is", "is_std"),
    "pr": ("precision", "recall"),
    "dc": ("density", "coverage"),
}


def protocol_suffix(num_samples):
    """`5000 -> "5k"`, `50000 -> "50k"`, `1500 -> "1500"`: the sample count
    carried in metric names (StyleGAN2-ADA's `fid50k` convention)."""
    num_samples = int(num_samples)
    return f"{num_samples // 1000}k" if num_samples % 1000 == 0 else str(num_samples)


def metric_keys(metrics, num_samples, protocol=None):
    """The log keys `evaluate` returns, e.g. `["fid_5k", "kid_5k", "kid_5k_std"]`.

    `protocol` (a name, or a dict of names by metric) follows the count:
    `fid_5k_tf2015`, `is_5k_keras_std`; see `protocols`."""
    suffix = protocol_suffix(num_samples)
    keys = []
    for metric in check_metrics(metrics):
        tag = protocol.get(metric) if isinstance(protocol, dict) else protocol
        for key in METRICS[metric]:
            keys.append(_key(key, suffix, tag))
    return keys


def _key(name, suffix, protocol):
    base, _, tail = name.partition("_")
    middle = f"{suffix}_{protocol}" if protocol else suffix
    return f"{base}_{middle}" + (f"_{tail}" if tail else "")


def protocols(extractor=None, classifier=None):
    """The protocol of each metric's network, by metric name: the feature
    extractor's for FID/KID/PR/DC, the classifier's for IS (None: the
    defaults, ImageNet InceptionV3 from Keras, `"keras"`)."""
    def protocol(network):
        return "keras" if network is None else getattr(network, "protocol", None)

    features = protocol(extractor)
    if classifier is None and features == "tf2015":
        scores = "tf2015"  # IS then runs on the same 2015 graph
    else:
        scores = protocol(classifier)
    return {"fid": features, "kid": features, "pr": features, "dc": features, "is": scores}


def check_metrics(metrics):
    if isinstance(metrics, str):
        metrics = [m.strip() for m in metrics.split(",") if m.strip()]
    metrics = [m.lower() for m in metrics]
    unknown = [m for m in metrics if m not in METRICS]
    if unknown or not metrics:
        raise ValueError(
            f"Unknown metric(s) {unknown or metrics!r}. Choose from {sorted(METRICS)} "
            "(pr = precision/recall, dc = density/coverage).")
    return metrics


def generated_statistics(model, extractor, num_samples, seed=0, batch_size=64, use_ema=True,
                         keep_features=False, classifier=None, verbose=0):
    """Streams `num_samples` generated images through `extractor` (and
    `classifier`, if given) without holding them all in memory.

    Conditional models are sampled class-balanced (`labels = i % num_classes`).
    Returns `(FeatureStatistics, probabilities or None)`.
    """
    rng = np.random.default_rng(seed)
    num_classes = getattr(model, "sampling_classes", None)
    stats = FeatureStatistics(keep_features=keep_features)
    probabilities = []
    progress = keras.utils.Progbar(num_samples, unit_name="sample") if verbose else None
    for start in range(0, num_samples, batch_size):
        count = min(batch_size, num_samples - start)
        latents = model.latents_from(rng, count)
        labels = None if not num_classes else np.arange(start, start + count) % num_classes
        images = model.generate(latents=latents, labels=labels, batch_size=batch_size,
                                use_ema=use_ema)
        stats.update(extractor(images))
        if classifier is not None:
            probabilities.append(classifier(images))
        if progress is not None:
            progress.update(start + count)
    return stats, (np.concatenate(probabilities) if classifier is not None else None)


def evaluate(model, reference, metrics=("fid",), num_samples=5000, extractor=None,
             classifier=None, seed=0, batch_size=64, use_ema=True, kid_subsets=100,
             kid_subset_size=1000, verbose=0):
    """Scores `num_samples` generated images against reference statistics.

    Args:
        model: a keras-gan model (anything with `generate` and `latent_dim`).
        reference: `FeatureStatistics` of real images (see
            `reference_statistics`), with kept features for KID/PR/DC; or a
            path to a `.npz` written by `FeatureStatistics.save`.
        metrics: names from `fid`, `kid`, `is`, `pr` (precision/recall,
            k = 3), `dc` (density/coverage, k = 5), as a list or "fid,kid".
        num_samples: generated images; the count is part of every key.
        extractor: feature extractor (default ImageNet InceptionV3 pool).
        classifier: class-probability extractor for `is` (default ImageNet
            InceptionV3 probabilities).

    Returns:
        A dict such as `{"fid_5k_keras": ..., "kid_5k_keras": ...,
        "kid_5k_keras_std": ...}`: the count, then the protocol of the
        network (`keras` for the default InceptionV3, `tf2015` for
        `inception_fid`, nothing for an extractor of your own).
    """
    metrics = check_metrics(metrics)
    check_positive_int(num_samples=num_samples, batch_size=batch_size)
    if isinstance(reference, (str, bytes)) or hasattr(reference, "__fspath__"):
        reference = FeatureStatistics.load(reference)
    needs_features = any(m in metrics for m in ("kid", "pr", "dc"))
    needs_reference = [m for m in metrics if m != "is"]
    if needs_reference and not isinstance(reference, FeatureStatistics):
        raise TypeError(
            "`reference` must be FeatureStatistics of real images (see "
            "keras_gan.metrics.reference_statistics) or a path to a saved .npz. "
            f"Received: {type(reference).__name__}")
    if needs_features and not reference.keep_features:
        raise ValueError(
            "KID, precision/recall and density/coverage need the reference features: "
            "compute the reference with keep_features=True.")
    tags = protocols(extractor, classifier)
    extractor = as_extractor(extractor) if needs_reference else None
    if "is" in metrics:
        classifier = as_extractor(classifier) if classifier is not None \
            else _default_classifier(extractor)
    else:
        classifier = None
    if "fid" in metrics and reference.dim and num_samples <= reference.dim:
        warnings.warn(
            f"FID from {num_samples} samples of {reference.dim}-d features is dominated by "
            "its bias (the covariance is singular); use more samples than dimensions and "
            "compare values only at one sample count.", stacklevel=2)
    features = extractor or (lambda images: np.zeros((len(images), 1), np.float32))
    fake, probabilities = generated_statistics(
        model, features, num_samples, seed=seed, batch_size=batch_size, use_ema=use_ema,
        keep_features=needs_features, classifier=classifier, verbose=verbose)
    values = {}
    if "fid" in metrics:
        values["fid"] = frechet_distance(reference.mean, reference.covariance,
                                         fake.mean, fake.covariance)
    if "kid" in metrics:
        values["kid"], values["kid_std"] = kernel_distance(
            reference.features, fake.features, kid_subsets, kid_subset_size, seed=seed)
    if "is" in metrics:
        values["is"], values["is_std"] = inception_score(probabilities)
    if "pr" in metrics:
        values.update(precision_recall(reference.features, fake.features, k=3))
    if "dc" in metrics:
        values.update(density_coverage(reference.features, fake.features, k=5))
    suffix = protocol_suffix(num_samples)
    metric_of = {key: metric for metric, keys in METRICS.items() for key in keys}
    return {_key(key, suffix, tags[metric_of[key]]): float(value) for key, value in values.items()}


def _default_classifier(extractor):
    """IS on the extractor's network where it has class outputs (the 2015
    graph), else ImageNet InceptionV3's probabilities."""
    if getattr(extractor, "protocol", None) == "tf2015":
        from keras_gan.metrics.inception_2015 import inception_fid

        return inception_fid(extractor.weights_path, output="probabilities")
    return inception_v3(output="probabilities")
