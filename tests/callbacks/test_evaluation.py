import csv
import os

import keras
import numpy as np
import pytest
import scipy.linalg

from keras_gan import callbacks, metrics
from keras_gan.metrics import FeatureExtractor, reference_statistics
from tests.conftest import images, tiny_image_gan


def _projection(dim=8, seed=0):
    """A fixed random projection of flattened 28x28 images: a cheap extractor."""
    matrix = np.random.default_rng(seed).normal(size=(28 * 28, dim)).astype("float32") / 28.0

    def project(x):
        return np.reshape(np.asarray(x), (len(x), -1)) @ matrix

    return FeatureExtractor(project, name=f"projection{dim}")


def _scipy_fid(a, b):
    """The TTUR / pytorch-fid formula with scipy.linalg.sqrtm."""
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean))


def test_evaluation_logs_protocol_keys_that_keras_callbacks_see(tmp_path):
    gan = tiny_image_gan()
    gan.compile()
    evaluation = callbacks.Evaluation(
        images(200, seed=5), metrics="fid,kid,pr,dc", num_samples=1000, every_n_epochs=2,
        extractor=_projection(), kid_subsets=5, kid_subset_size=100)
    csv_path, best = tmp_path / "log.csv", tmp_path / "best.keras"
    checkpoint = keras.callbacks.ModelCheckpoint(best, monitor="fid_1k", mode="min",
                                                 save_best_only=True)
    # Listed before the evaluation: GAN.fit still runs the evaluation first.
    with pytest.warns(UserWarning, match="only with fid_1k available"):  # epoch 2: not evaluated
        history = gan.fit(images(8), batch_size=4, epochs=4, verbose=0, callbacks=[
            keras.callbacks.CSVLogger(csv_path), checkpoint, evaluation])
    keys = ["fid_1k", "kid_1k", "kid_1k_std", "precision_1k", "recall_1k",
            "density_1k", "coverage_1k"]
    assert evaluation.keys == keys
    # Evaluated after epochs 1 (first), 3 (every 2) and 4 (last).
    assert [row["epoch"] for row in evaluation.history] == [1, 3, 4]
    for key in keys:
        assert len(history.history[key]) == 3 and np.all(np.isfinite(history.history[key]))
    assert history.history["fid_1k"][0] > 0
    with open(csv_path) as handle:
        rows = list(csv.DictReader(handle))
    assert [row["fid_1k"] == "NA" for row in rows] == [False, True, False, False]
    assert os.path.exists(best)


def test_evaluation_fid_equals_the_scipy_reference():
    gan = tiny_image_gan()
    gan.compile()
    gan.fit(images(8), batch_size=4, verbose=0)
    extractor = _projection(dim=6)
    real = images(300, seed=3)
    reference = reference_statistics(real, extractor, 300)
    value = metrics.evaluate(gan, reference, "fid", num_samples=500, extractor=extractor,
                             seed=7, batch_size=64)["fid_500"]
    # The same seeded latents, drawn and decoded independently.
    z = np.random.default_rng(7).standard_normal((500, gan.latent_dim)).astype("float32")
    fake = np.concatenate([gan.generator(z[i:i + 64]).numpy() for i in range(0, 500, 64)])
    expected = _scipy_fid(extractor(real).astype(np.float64), extractor(fake).astype(np.float64))
    assert value == pytest.approx(expected, rel=1e-6)


def test_inception_score_through_evaluate_with_an_injected_classifier():
    gan = tiny_image_gan()
    gan.compile()

    def one_hot_by_position(x):  # uniform one-hot predictions over 4 classes
        return np.eye(4, dtype="float32")[np.arange(len(x)) % 4]

    classifier = FeatureExtractor(one_hot_by_position, batch_size=400)
    values = metrics.evaluate(gan, None, "is", num_samples=400, classifier=classifier,
                              batch_size=400)
    assert values["is_400"] == pytest.approx(4.0, rel=1e-9)
    assert values["is_400_std"] == pytest.approx(0.0, abs=1e-9)


def test_evaluation_errors_are_clear():
    with pytest.raises(ValueError, match="Choose from"):
        callbacks.Evaluation(images(4), metrics="fid,fidd")
    gan = tiny_image_gan()
    stats = reference_statistics(images(20), _projection(), 20)
    with pytest.raises(ValueError, match="keep_features=True"):
        metrics.evaluate(gan, stats, "kid", num_samples=20, extractor=_projection())
    with pytest.raises(TypeError, match="FeatureStatistics"):
        metrics.evaluate(gan, images(4), "fid", num_samples=20, extractor=_projection())
    with pytest.warns(UserWarning, match="dominated by its bias"):
        metrics.evaluate(gan, stats, "fid", num_samples=8, extractor=_projection())


def test_fid_callback_with_saved_reference_round_trips(tmp_path):
    path = reference_statistics(images(50), _projection(), 50).save(tmp_path / "ref.npz")
    fid = callbacks.FID(path, num_samples=2000, every_n_epochs=3)
    assert fid.keys == ["fid_2k_keras"]  # the default extractor: Keras InceptionV3
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(fid))
    assert restored.get_config() == fid.get_config()
    with pytest.raises(TypeError, match="path"):
        callbacks.FID(images(4)).get_config()


def test_protocol_suffix_and_keys():
    assert metrics.protocol_suffix(5000) == "5k"
    assert metrics.protocol_suffix(50000) == "50k"
    assert metrics.protocol_suffix(1500) == "1500"
    assert metrics.metric_keys(["is", "fid"], 10000) == ["is_10k", "is_10k_std", "fid_10k"]
