"""Metrics of class-conditional generators: Classification Accuracy Score
(train on synthetic, test on real) and intra-class FID."""

import keras
import numpy as np

from keras_gan._checks import check_positive_int
from keras_gan.metrics.features import as_extractor
from keras_gan.metrics.frechet import frechet_distance_from_activations


def small_classifier(sample_shape, num_classes, seed=0):
    """The default CAS classifier: two 3x3 convolutions with max-pooling and a
    128-unit dense layer (the MNIST judge of `benchmarks/_judge.py`)."""
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(sample_shape)
    h = keras.layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Conv2D(64, 3, activation="relu", padding="same")(h)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Dense(128, activation="relu")(keras.layers.Flatten()(h))
    model = keras.Model(inputs, keras.layers.Dense(num_classes)(h), name="cas_classifier")
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def classification_accuracy_score(model, test_images, test_labels, train_images=None,
                                  train_labels=None, samples_per_class=1000, epochs=3,
                                  classifier=None, batch_size=64, seed=0, use_ema=True):
    """Classification Accuracy Score (Ravuri & Vinyals 2019): a classifier
    trained only on the conditional model's samples, tested on real data.

    `samples_per_class` samples of every class are generated (labels as
    targets) and a fresh classifier is trained on them for `epochs`; its
    accuracy on `test_images` is the CAS. With `train_images`, the same
    classifier (same initial weights, same number of images and epochs) is
    also trained on real images as the reference ("train on real, test on
    real"); a perfect generator scores as high.

    Args:
        model: a class-conditional model (`generate(labels=...)`).
        test_images, test_labels: held-out real data.
        train_images, train_labels: real training data for the reference.
        samples_per_class: generated images per class.
        epochs: classifier training epochs.
        classifier: a function `(sample_shape, num_classes) -> compiled
            keras.Model` with logits outputs; default `small_classifier`.

    Returns:
        A dict with `cas` and, with real training data, `real_accuracy`
        and `cas_ratio` (`cas / real_accuracy`).

    Reference:
        Ravuri & Vinyals, "Classification Accuracy Score for Conditional
        Generative Models", NeurIPS 2019. https://arxiv.org/abs/1905.10887
    """
    check_positive_int(samples_per_class=samples_per_class, epochs=epochs)
    classes = getattr(model, "sampling_classes", None)
    if not classes:
        raise ValueError(f"{type(model).__name__} is not class-conditional; the Classification "
                         "Accuracy Score needs generate(labels=...).")
    build = classifier or (lambda shape, n: small_classifier(shape, n, seed))
    labels = np.repeat(np.arange(classes), samples_per_class)
    synthetic = model.generate(len(labels), labels=labels, seed=seed,
                               batch_size=batch_size, use_ema=use_ema)
    test_labels = np.asarray(test_labels).reshape(-1)

    def score(images, targets):
        network = build(tuple(images.shape[1:]), classes)
        order = np.random.default_rng(seed).permutation(len(images))
        network.fit(images[order], targets[order], batch_size=batch_size, epochs=epochs,
                    verbose=0)
        logits = network.predict(np.asarray(test_images, np.float32), batch_size=256, verbose=0)
        return float(np.mean(np.argmax(logits, axis=1) == test_labels))

    result = {"cas": score(synthetic, labels)}
    if train_images is not None:
        train_images = np.asarray(train_images, np.float32)
        train_labels = np.asarray(train_labels).reshape(-1)
        # The reference sees as many images as the synthetic set, drawn from the real one.
        pick = np.random.default_rng(seed).choice(len(train_images), len(labels),
                                                  replace=len(labels) > len(train_images))
        result["real_accuracy"] = score(train_images[pick], train_labels[pick])
        result["cas_ratio"] = result["cas"] / max(result["real_accuracy"], 1e-12)
    return result


def intra_class_fid(model, images, labels, extractor=None, samples_per_class=None,
                    batch_size=64, seed=0, use_ema=True):
    """Intra-class FID (Miyato & Koyama 2018): the Fréchet distance between
    generated and real images of each class, in `extractor`'s features.

    Args:
        model: a class-conditional model.
        images, labels: real images and their classes.
        extractor: a `FeatureExtractor`, `keras.Model` or callable (default
            InceptionV3, which needs its weights).
        samples_per_class: generated images per class (default: as many as
            real images of that class).

    Returns:
        `{"intra_fid": mean over classes, "per_class": [FID of class 0, ...]}`.

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018,
        section 5.1. https://arxiv.org/abs/1802.05637
    """
    classes = getattr(model, "sampling_classes", None)
    if not classes:
        raise ValueError(f"{type(model).__name__} is not class-conditional; intra-class FID "
                         "needs generate(labels=...).")
    extractor = as_extractor(extractor)
    images, labels = np.asarray(images, np.float32), np.asarray(labels).reshape(-1)
    per_class = []
    for c in range(classes):
        real = images[labels == c]
        if len(real) < 2:
            raise ValueError(f"Class {c} has {len(real)} real images; intra-class FID needs at "
                             "least 2 per class.")
        count = samples_per_class or len(real)
        fake = model.generate(count, labels=np.full(count, c), seed=seed + c,
                              batch_size=batch_size, use_ema=use_ema)
        per_class.append(float(frechet_distance_from_activations(extractor(real),
                                                                 extractor(fake))))
    return {"intra_fid": float(np.mean(per_class)), "per_class": per_class}
