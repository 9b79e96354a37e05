"""The bundled digits split for benchmarks, and an MNIST classifier that
judges generated digits (shared by finetune.py and quality.py)."""

import os

import keras
import numpy as np

TRAIN = 8000


def mnist_10k():
    """The bundled digits as float32 images in [-1, 1] `(n, 28, 28, 1)` and
    labels, in a seeded random order (the file is sorted by digit): the
    first `TRAIN` are the training images, the rest are held out."""
    import keras_gan.data.images as images

    with np.load(os.path.join(images._ASSETS, "mnist_10k.npz")) as data:
        x, y = data["images"], data["labels"]
    order = np.random.default_rng(2016).permutation(len(x))
    x = x[order].reshape(len(x), 28, 28, 1).astype(np.float32) / 127.5 - 1.0
    return x, y[order].astype(np.int64)


def judge(x, y, epochs=3, cache=True):
    """A small CNN classifier of the first `TRAIN` digits; returns
    `(classifier, features)` models. Cached by its training setup."""
    home = os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras"))
    path = os.path.join(home, "keras_gan", "judges", f"mnist_10k_split2016_{TRAIN}_e{epochs}.keras")
    if cache and os.path.exists(path):
        classifier = keras.models.load_model(path)
    else:
        keras.utils.set_random_seed(0)
        inputs = keras.Input((28, 28, 1))
        h = keras.layers.Conv2D(32, 3, activation="relu")(inputs)
        h = keras.layers.MaxPooling2D()(h)
        h = keras.layers.Conv2D(64, 3, activation="relu")(h)
        h = keras.layers.MaxPooling2D()(h)
        h = keras.layers.Flatten()(h)
        h = keras.layers.Dense(128, activation="relu", name="features")(h)
        classifier = keras.Model(inputs, keras.layers.Dense(10)(h), name="mnist_judge")
        classifier.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                           metrics=["accuracy"])
        classifier.fit(x[:TRAIN], y[:TRAIN], batch_size=64, epochs=epochs, verbose=0)
        if cache:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            classifier.save(path)
    features = keras.Model(classifier.input, classifier.get_layer("features").output)
    return classifier, features
