"""Evaluation inside runs and the `keras-gan evaluate` command: feature
extractors by name, real reference images, cache keys, and the
semi-supervised classifier's accuracy."""

import os

import keras
import numpy as np


def classifier_accuracy(gan, config, sample_shape):
    """`{"test_accuracy", "accuracy_on"}` of a semi-supervised model's classifier,
    on `test_split` of a tensorflow-datasets source, else on the training images."""
    from keras_gan import data

    dataset, split = config["dataset"], config["test_split"]
    local = dataset == data.OFFLINE_MNIST or os.sep in str(dataset) or str(dataset).endswith(".npz")
    images = data.load_images(
        dataset, split=config["split"] if local else split, batch_size=256,
        image_size=tuple(sample_shape[:2]), channels=sample_shape[-1], shuffle=False,
        center_crop=config["center_crop"], data_dir=config["data_dir"], labels=True,
        drop_remainder=False)
    correct = total = 0
    for batch, labels in images.as_numpy_iterator():
        correct += int(np.sum(gan.classify(batch) == labels))
        total += len(labels)
    accuracy = correct / max(total, 1)
    where = (f"the training images ({dataset} has no held-out split)" if local
             else f"{dataset} split {split!r}")
    return {"test_accuracy": round(float(accuracy), 4), "accuracy_on": where}


def feature_extractor(name, weights=None):
    """`"inception"` (ImageNet InceptionV3 from Keras), `"inception_2015"`
    (the FID protocol's 2015 graph; `weights` its .tgz or .pb) or a path to
    a `.keras` feature model."""
    from keras_gan import metrics

    if name == "inception":
        return metrics.inception_v3(weights=weights or "imagenet")
    if name == "inception_2015":
        return metrics.inception_fid(weights)
    if str(name).endswith(".keras") and os.path.exists(name):
        from keras_gan.metrics.features import _file_tag

        model = keras.models.load_model(name)
        # The file's digest keeps cached reference statistics of two models
        # with one name apart.
        return metrics.FeatureExtractor(model, name=f"{model.name}-{_file_tag(name)}")
    from keras_gan.runs.config import RunError

    raise RunError(f"Feature extractor {name!r}: use 'inception', 'inception_2015' or an "
                   "existing .keras file.")


def reference_images(config, sample_shape, num_samples, dataset=None, split=None, batch_size=64):
    """Real images for evaluation, shaped like the generator's samples."""
    from keras_gan import data

    return data.load_images(
        dataset or config["dataset"], split=split or config["split"], batch_size=batch_size,
        image_size=tuple(sample_shape[:2]), channels=sample_shape[-1], shuffle=True,
        seed=config["seed"], num_samples=num_samples, center_crop=config["center_crop"],
        data_dir=config["data_dir"], drop_remainder=False)


def reference_key(config, sample_shape, dataset=None):
    """The dataset part of a reference-statistics cache key: the dataset and
    the preprocessing that shapes its images; None for folders and files."""
    dataset = dataset or config["dataset"]
    if os.sep in str(dataset) or str(dataset).endswith(".npz"):
        return None
    crop = f"crop{config['center_crop']}_" if config.get("center_crop") else ""
    return f"{dataset}_{crop}{'x'.join(str(int(d)) for d in sample_shape)}"


def evaluation_callback(config, sample_shape):
    """The `Evaluation` callback of a run with `eval_metrics`."""
    from keras_gan import callbacks

    metrics = config["eval_metrics"]
    return callbacks.Evaluation(
        reference_images(config, sample_shape, config["eval_samples"]), metrics=metrics,
        num_samples=config["eval_samples"], every_n_epochs=config["eval_every"],
        extractor=feature_extractor(config["eval_extractor"]),
        reference_name=reference_key(config, sample_shape),
        reference_split=config["split"], seed=config["seed"])


#: Metrics of `evaluate_run` beyond `metrics.evaluate`'s feature statistics.
OTHER_METRICS = ("ppl_z", "ppl_w", "swd", "msssim", "nn", "nn_features", "cas",
                 "intra_fid")


def _other_metrics(gan, config, names, num_samples, dataset, split, batch_size, use_ema,
                   extractor="inception", weights=None):
    """PPL (end points, LPIPS-style VGG16), SWD against real images, and the
    MS-SSIM diversity of the samples, keyed with the sample count."""
    from keras_gan import metrics

    suffix = metrics.protocol_suffix(num_samples)
    result = {}
    for space in ("z", "w"):
        if f"ppl_{space}" in names:
            result[f"ppl_{space}_{suffix}"] = metrics.perceptual_path_length(
                gan, num_samples, space=space, batch_size=batch_size, use_ema=use_ema)
    if "cas" in names:
        result.update({f"{key}_{suffix}": value for key, value in
                       _cas(gan, config, num_samples, dataset, split, batch_size,
                            use_ema).items()})
    if "intra_fid" in names:
        from keras_gan.runs.config import RunError

        if not getattr(gan, "sampling_classes", None):
            raise RunError(f"intra_fid needs a class-conditional model; {type(gan).__name__} "
                           "is not one.")
        shape = gan.generate(1, labels=[0], seed=0).shape[1:]
        images, labels = _labelled(config, shape, dataset, split or config["split"],
                                   num_samples)
        features = feature_extractor(extractor, weights)
        value = metrics.intra_class_fid(gan, images, labels, extractor=features,
                                        batch_size=batch_size, use_ema=use_ema)
        result[f"intra_fid_{suffix}"] = value["intra_fid"]
        result[f"intra_fid_per_class_{suffix}"] = value["per_class"]
    if "nn" in names or "nn_features" in names:
        fake = gan.generate(num_samples, seed=0, batch_size=batch_size, use_ema=use_ema)
        training = np.concatenate([batch for batch, *_ in _batches(reference_images(
            config, fake.shape[1:], num_samples, dataset=dataset, split=split or config["split"],
            batch_size=batch_size))])
        if "nn" in names:
            for key, value in metrics.memorization(fake, training).items():
                result[f"{key}_{suffix}"] = value
            result["nn_grid"] = metrics.nearest_neighbour_grid(fake[:8], training, k=5)
        if "nn_features" in names:
            # Neighbours in a feature space see through shifts and small
            # changes that keep pixel distances large; the figure follows them.
            features = feature_extractor(extractor, weights)
            fake_features, training_features = features(fake), features(training)
            protocol = f"_{features.protocol}" if features.protocol else ""
            for key, value in metrics.memorization(fake_features, training_features).items():
                result[f"nn_features_{key[3:]}_{suffix}{protocol}"] = value
            result["nn_grid"] = metrics.nearest_neighbour_grid(
                fake[:8], training, k=5, features=(fake_features[:8], training_features))
    if "swd" in names or "msssim" in names:
        fake = gan.generate(num_samples, seed=0, batch_size=batch_size, use_ema=use_ema)
        if "msssim" in names:
            result[f"msssim_{suffix}"] = metrics.ms_ssim_diversity(fake, seed=0)
        if "swd" in names:
            real = np.concatenate([batch for batch, *_ in _batches(reference_images(
                config, fake.shape[1:], num_samples, dataset=dataset, split=split,
                batch_size=batch_size))])[:len(fake)]
            for key, value in metrics.swd(real, fake[:len(real)]).items():
                result[f"{key}_{suffix}"] = value
    return result


def _labelled(config, sample_shape, dataset, split, count):
    from keras_gan import data

    loaded = data.load_images(
        dataset, split=split, batch_size=256, image_size=tuple(sample_shape[:2]),
        channels=sample_shape[-1], shuffle=True, seed=config["seed"], num_samples=count,
        center_crop=config["center_crop"], data_dir=config["data_dir"], labels=True,
        drop_remainder=False)
    images, labels = zip(*loaded.as_numpy_iterator())
    return np.concatenate(images), np.concatenate(labels)


def _cas(gan, config, num_samples, dataset, split, batch_size, use_ema):
    """Classification Accuracy Score against the dataset's test split (a
    tensorflow-datasets source) or, for local data without splits, against
    a held-out fifth of its images (the rest trains the real reference)."""
    from keras_gan import data, metrics
    from keras_gan.runs.config import RunError

    if not getattr(gan, "sampling_classes", None):
        raise RunError(f"cas needs a class-conditional model; {type(gan).__name__} is not one.")
    shape = gan.generate(1, labels=[0], seed=0).shape[1:]
    local = dataset == data.OFFLINE_MNIST or os.sep in str(dataset) or str(dataset).endswith(".npz")
    if local:
        images, labels = _labelled(config, shape, dataset, config["split"], None)
        cut = len(images) * 4 // 5
        train, test = (images[:cut], labels[:cut]), (images[cut:], labels[cut:])
    else:
        train = _labelled(config, shape, dataset, config["split"], num_samples)
        test = _labelled(config, shape, dataset, split or config["test_split"], None)
    per_class = max(1, num_samples // gan.sampling_classes)
    return metrics.classification_accuracy_score(
        gan, test[0], test[1], train[0], train[1], samples_per_class=per_class,
        batch_size=batch_size, use_ema=use_ema)


def _batches(dataset):
    for element in dataset.as_numpy_iterator():
        yield element if isinstance(element, tuple) else (element,)


def evaluate_run(run, metrics="fid", num_samples=5000, dataset=None, split=None,
                 extractor="inception", weights=None, batch_size=64, use_ema=True):
    """The metrics of a run directory's (or `.keras` file's) generator against
    real images of its dataset (mode coverage for the 2D mixtures); written
    to `RUN/evaluation.json` when `run` is a directory. `metrics` is a comma
    list of `metrics.evaluate`'s names (fid, kid, is, pr, dc) and
    `OTHER_METRICS`: ppl_z, ppl_w (perceptual path length, end points),
    swd (sliced Wasserstein distance to real images), msssim (MS-SSIM
    diversity of the samples), nn (memorization: nearest training images in
    pixels, `metrics.memorization`, and `nearest_neighbours.png`: 8 samples,
    each followed by its 5 nearest training images), nn_features (the same in
    `extractor`'s features, keys `nn_features_*`; the figure then shows the
    nearest images in features), cas (Classification
    Accuracy Score of a conditional model: a classifier trained on
    `num_samples` generated images tested on real ones, next to the same
    classifier trained on real images), intra_fid (Fréchet distance per class
    of a conditional model against as many real images of that class, in
    `extractor`'s features, averaged; per class too)."""
    from keras_gan import data
    from keras_gan import metrics as metrics_lib
    from keras_gan.runs.config import DEFAULTS, MIXTURES, RunError
    from keras_gan.runs.directory import load_run, write_json

    gan, saved = load_run(run)
    config = {**DEFAULTS, **(saved or {})}
    dataset = dataset or (saved or {}).get("dataset")
    if dataset is None:
        raise RunError("A .keras model has no recorded dataset: pass --dataset.")
    names = [m.strip().lower() for m in metrics.split(",") if m.strip()]
    other = [m for m in names if m in OTHER_METRICS]
    if other and (dataset in MIXTURES or "modes" in names):
        raise RunError(f"{', '.join(other)} are image metrics; the 2D mixtures take --metrics "
                       "modes.")
    metrics = ",".join(m for m in names if m not in OTHER_METRICS)
    result = {}
    if other:
        result.update(_other_metrics(gan, config, other, num_samples, dataset, split,
                                     batch_size, use_ema, extractor, weights))
    if metrics and (metrics == "modes" or dataset in MIXTURES):
        _, centers, std = data.load_mixture(dataset, 1)
        coverage = metrics_lib.mode_coverage(gan.generate(num_samples, seed=0), centers, std)
        suffix = metrics_lib.protocol_suffix(num_samples)
        result.update({f"{k}_{suffix}": float(v) for k, v in coverage.items()})
    elif metrics:
        features = feature_extractor(extractor, weights)
        sample_shape = tuple(gan.generator.outputs[0].shape[1:])
        real = reference_images(config, sample_shape, num_samples, dataset=dataset, split=split,
                                batch_size=batch_size)
        keep = any(m.strip() in ("kid", "pr", "dc") for m in metrics.split(","))
        reference = metrics_lib.reference_statistics(
            real, features, num_samples, name=reference_key(config, sample_shape, dataset),
            split=split or config["split"], keep_features=keep, verbose=1)
        result.update(metrics_lib.evaluate(gan, reference, metrics, num_samples,
                                           extractor=features, batch_size=batch_size,
                                           use_ema=use_ema, verbose=1))
        result["extractor"] = features.name
    grid = result.pop("nn_grid", None)
    if grid is not None:
        from keras_gan.visualization import save_image_grid

        folder = os.fspath(run) if os.path.isdir(os.fspath(run)) else os.path.dirname(
            os.path.abspath(os.fspath(run)))
        result["nn_figure"] = os.path.join(folder, "nearest_neighbours.png")
        save_image_grid(grid.reshape(-1, *grid.shape[2:]), result["nn_figure"],
                        columns=grid.shape[1])
    if os.path.isdir(os.fspath(run)):
        write_json(os.path.join(os.fspath(run), "evaluation.json"), result)
    return result
