import keras
import numpy as np
import pytest

from keras_gan import metrics
from keras_gan.metrics.frechet import frechet_distance_from_activations
from tests.conftest import tiny_conditional_gan


class Oracle:
    """A 'conditional generator' that returns real images of the asked class:
    the CAS of perfect samples."""

    sampling_classes = 3

    def __init__(self, images, labels, shift=0):
        self.images, self.labels, self.shift = images, labels, shift

    def generate(self, num_samples, labels, seed=0, batch_size=64, use_ema=True):
        rng = np.random.default_rng(seed)
        wanted = (np.asarray(labels) + self.shift) % 3
        return np.stack([self.images[rng.choice(np.flatnonzero(self.labels == c))]
                         for c in wanted])


def blobs(n, seed):
    """Three classes of 8x8 images: a bright square in one of three places."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    images = rng.normal(-0.8, 0.1, (n, 8, 8, 1))
    for i, c in enumerate(labels):
        images[i, 2 * c:2 * c + 3, 2:6] = 0.9
    return images.astype("float32"), labels


def test_cas_of_perfect_samples_matches_real_and_of_mislabelled_ones_is_low():
    train_x, train_y = blobs(300, 0)
    test_x, test_y = blobs(100, 1)
    perfect = metrics.classification_accuracy_score(
        Oracle(train_x, train_y), test_x, test_y, train_x, train_y, samples_per_class=60,
        epochs=3)
    assert perfect["cas"] > 0.95 and perfect["real_accuracy"] > 0.95
    assert perfect["cas_ratio"] == pytest.approx(perfect["cas"] / perfect["real_accuracy"])
    swapped = metrics.classification_accuracy_score(
        Oracle(train_x, train_y, shift=1), test_x, test_y, samples_per_class=60, epochs=3)
    assert swapped["cas"] < 0.1 and "real_accuracy" not in swapped


def test_intra_class_fid_is_the_per_class_frechet_distance():
    images, labels = blobs(90, 2)
    extractor = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                                  keras.layers.Dense(4, kernel_initializer="glorot_uniform")])
    oracle = Oracle(*blobs(300, 3))
    result = metrics.intra_class_fid(oracle, images, labels, extractor=extractor, seed=5)
    assert len(result["per_class"]) == 3
    c = 1
    real = images[labels == c]
    fake = oracle.generate(len(real), labels=np.full(len(real), c), seed=5 + c)
    expected = frechet_distance_from_activations(extractor.predict(real, verbose=0),
                                                 extractor.predict(fake, verbose=0))
    assert result["per_class"][1] == pytest.approx(expected, rel=1e-4)
    assert result["intra_fid"] == pytest.approx(np.mean(result["per_class"]))
    mislabelled = metrics.intra_class_fid(Oracle(*blobs(300, 3), shift=1), images, labels,
                                          extractor=extractor, seed=5)
    assert mislabelled["intra_fid"] > 3 * result["intra_fid"]


def test_conditional_metrics_work_on_a_model_and_refuse_unconditional_ones():
    gan = tiny_conditional_gan(num_classes=4)
    images = np.random.default_rng(0).uniform(-1, 1, (8, 32, 32, 3)).astype("float32")
    result = metrics.classification_accuracy_score(gan, images, np.arange(8) % 4,
                                                   samples_per_class=2, epochs=1)
    assert 0 <= result["cas"] <= 1

    class Unconditional:
        sampling_classes = None

    with pytest.raises(ValueError, match="not class-conditional"):
        metrics.classification_accuracy_score(Unconditional(), images, np.zeros(8))
    with pytest.raises(ValueError, match="not class-conditional"):
        metrics.intra_class_fid(Unconditional(), images, np.zeros(8))
