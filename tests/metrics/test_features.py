import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.metrics import FeatureExtractor, as_extractor, inception_v3, reference_statistics
from keras_gan.metrics.frechet import FeatureStatistics
from tests.conftest import images


def _flatten_mean(x):
    return np.reshape(np.asarray(x), (len(x), -1))[:, :5]


def test_streaming_statistics_equal_numpy_on_all_sources():
    x = images(70, seed=1)
    expected = _flatten_mean(x).astype(np.float64)
    extractor = FeatureExtractor(_flatten_mean, batch_size=16)
    sources = [x, tf.data.Dataset.from_tensor_slices((x, np.zeros(70))).batch(9),
               tf.data.Dataset.from_tensor_slices(x),  # unbatched
               (x[i:i + 11] for i in range(0, 70, 11))]
    for source in sources:
        stats = extractor.statistics(source, keep_features=True)
        assert stats.count == 70
        np.testing.assert_allclose(stats.mean, expected.mean(0), rtol=1e-6)
        np.testing.assert_allclose(stats.covariance, np.cov(expected, rowvar=False), atol=1e-6)
        np.testing.assert_allclose(stats.features, expected, rtol=1e-6)
    stats = extractor.statistics(x, num_samples=25)
    assert stats.count == 25
    np.testing.assert_allclose(stats.mean, expected[:25].mean(0), rtol=1e-6)


def test_keras_model_extractor_and_resize():
    model = keras.Sequential([keras.Input((12, 12, 3)), keras.layers.GlobalAveragePooling2D()],
                             name="gap")
    extractor = FeatureExtractor(model, image_size=12, rgb=True, batch_size=4)
    assert extractor.name == "gap"
    x = np.full((6, 28, 28, 1), 0.25, np.float32)
    np.testing.assert_allclose(extractor(x), np.full((6, 3), 0.25), atol=1e-6)
    assert as_extractor(extractor) is extractor
    assert as_extractor(_flatten_mean).name == "_flatten_mean"


def test_extractor_output_shape_and_data_errors():
    extractor = FeatureExtractor(lambda x: np.asarray(x), name="identity")
    with pytest.raises(ValueError, match="Pool or flatten"):
        extractor(images(2))
    with pytest.raises(ValueError, match="empty"):
        FeatureExtractor(_flatten_mean).statistics(np.zeros((0, 28, 28, 1), np.float32))
    with pytest.raises(ValueError, match="NaN"):
        FeatureStatistics().update(np.array([[np.nan, 1.0]]))
    with pytest.raises(TypeError, match="callable"):
        FeatureExtractor("inception")


def test_reference_statistics_are_cached_by_dataset_split_count_and_extractor(tmp_path):
    calls = []

    def counted(x):
        calls.append(len(x))
        return _flatten_mean(x)

    extractor = FeatureExtractor(counted, name="counted")
    x = images(40)
    first = reference_statistics(x, extractor, 30, name="mnist", split="test", cache_dir=tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["mnist_test_30_counted.npz"]
    used = len(calls)
    again = reference_statistics(x, extractor, 30, name="mnist", split="test", cache_dir=tmp_path)
    assert len(calls) == used  # read from the cache, not recomputed
    np.testing.assert_allclose(again.covariance, first.covariance, atol=1e-12)
    assert again.count == 30
    # Asking for the features recomputes once and caches them.
    with_features = reference_statistics(x, extractor, 30, name="mnist", split="test",
                                         cache_dir=tmp_path, keep_features=True)
    assert with_features.features.shape == (30, 5) and len(calls) > used
    reloaded = FeatureStatistics.load(tmp_path / "mnist_test_30_counted.npz")
    np.testing.assert_allclose(reloaded.features, with_features.features)
    reference_statistics(x, extractor, 20, name="mnist", split="test", cache_dir=tmp_path)
    assert len(os.listdir(tmp_path)) == 2  # a different count is a different file
    with pytest.raises(ValueError, match="not a statistics file"):
        np.savez(tmp_path / "bad.npz", mu=np.zeros(2))
        FeatureStatistics.load(tmp_path / "bad.npz")


def test_inception_v3_pool_features_from_a_local_weights_file(tmp_path):
    network = keras.applications.InceptionV3(weights=None, include_top=False, pooling="avg",
                                             input_shape=(299, 299, 3))
    path = str(tmp_path / "inception.weights.h5")
    network.save_weights(path)
    extractor = inception_v3(weights=path, batch_size=2)
    assert extractor.name.startswith("inception_v3_file-") and extractor.name.endswith("_pool_299")
    x = images(2)  # 28x28 grayscale: repeated to RGB, resized to 299
    features = extractor(x)
    assert features.shape == (2, 2048)
    rgb = tf.image.resize(np.repeat(x, 3, axis=-1), (299, 299), "bilinear")
    np.testing.assert_allclose(features, network(rgb, training=False).numpy(), atol=1e-4)


def test_inception_v3_offline_error_names_the_options(monkeypatch):
    from keras.src.utils import file_utils

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None -- "
                        "[Errno -2] Name or service not known")

    monkeypatch.setattr(file_utils, "get_file", offline)
    with pytest.raises(RuntimeError) as error:
        inception_v3()
    message = str(error.value)
    assert "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert "weights='/path/to/weights.h5'" in message and "extractor" in message
    with pytest.raises(FileNotFoundError, match="not found"):
        inception_v3(weights="/nonexistent/weights.h5")
    with pytest.raises(ValueError, match="output"):
        inception_v3(output="logits")
