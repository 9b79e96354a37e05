"""The FID protocol's 2015 Inception graph: loading, feeding, keys.

The import and feeding code runs on a small GraphDef built here with the
2015 graph's tensor names and structure (DecodeJpeg -> Cast -> ExpandDims
-> ResizeBilinear -> Sub/Mul -> ... -> pool_3 -> pool_3/_reshape [1, d] ->
softmax/logits/MatMul -> softmax); the reference is that graph run the way
the TTUR code runs it, one image at a time in a TF1 session.
"""

import io
import os
import tarfile

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import metrics
from keras_gan.metrics import inception_2015
from tests.conftest import tiny_image_gan

FEATURES, CLASSES, SIZE = 6, 5, 8


def _tiny_graph():
    rng = np.random.default_rng(0)
    graph = tf.Graph()
    with graph.as_default():
        jpeg = tf.compat.v1.placeholder(tf.uint8, [None, None, 3], name="DecodeJpeg")
        expanded = tf.expand_dims(tf.cast(jpeg, tf.float32, name="Cast"), 0, name="ExpandDims")
        resized = tf.compat.v1.image.resize_bilinear(expanded, [SIZE, SIZE], name="ResizeBilinear")
        scaled = tf.multiply(tf.subtract(resized, 128.0, name="Sub"), 1 / 128.0, name="Mul")
        kernel = tf.constant(rng.normal(size=(3, 3, 3, FEATURES)).astype(np.float32))
        conv = tf.nn.relu(tf.nn.conv2d(scaled, kernel, 1, "SAME"))
        pool = tf.nn.avg_pool2d(conv, SIZE, 1, "VALID", name="pool_3")
        flat = tf.reshape(pool, [1, FEATURES], name="pool_3/_reshape")  # batch 1, as in 2015
        weights = tf.constant(rng.normal(size=(FEATURES, CLASSES)).astype(np.float32))
        bias = tf.constant(rng.normal(size=(CLASSES,)).astype(np.float32))
        logits = tf.add(tf.matmul(flat, weights, name="softmax/logits/MatMul"), bias,
                        name="softmax/logits")
        tf.nn.softmax(logits, name="softmax")
    return graph


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / inception_2015.GRAPH
    path.write_bytes(_tiny_graph().as_graph_def().SerializeToString())
    return path


def _pictures(n=5, height=12, width=10, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, height, width, channels)).astype(
        "float32")


def _reference(images, fetch):
    """The graph fed as TTUR feeds it: uint8 pixel values, one image per run."""
    pixels = np.clip(np.floor((images + 1.0) * 127.5 + 0.5), 0, 255).astype(np.float32)
    if pixels.shape[-1] == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    graph = _tiny_graph()
    with tf.compat.v1.Session(graph=graph) as session:
        return np.concatenate([
            np.reshape(session.run(fetch, {"ExpandDims:0": image[None]}), (1, -1))
            for image in pixels])


def _softmax(logits):
    e = np.exp(logits - logits.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def test_pool_features_and_probabilities_equal_the_graph_fed_one_image_at_a_time(graph_file):
    images = _pictures()
    extractor = metrics.inception_fid(graph_file, batch_size=3)  # batches of 3 and 2
    assert extractor.protocol == "tf2015" and extractor.name.startswith("inception_2015_file-")
    np.testing.assert_allclose(extractor(images), _reference(images, "pool_3:0"), atol=1e-5)
    probabilities = metrics.inception_fid(graph_file, output="probabilities")(images)
    # Salimans et al.'s batched IS: softmax(pool_3 @ W), without the bias.
    expected = _softmax(_reference(images, "softmax/logits/MatMul:0"))
    np.testing.assert_allclose(probabilities, expected, atol=1e-5)
    assert not np.allclose(probabilities, _reference(images, "softmax:0"), atol=1e-3)
    grey = _pictures(channels=1, seed=1)  # repeated to RGB; 12x10 resized by the graph
    np.testing.assert_allclose(extractor(grey), _reference(grey, "pool_3:0"), atol=1e-5)


def test_the_graph_loads_from_the_tgz_and_the_keras_cache(graph_file, tmp_path, monkeypatch):
    archive = tmp_path / inception_2015.ARCHIVE
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(graph_file, arcname=inception_2015.GRAPH)
        readme = b"the 2015 archive also holds labels"
        info = tarfile.TarInfo("imagenet_synset_to_human_label_map.txt")
        info.size = len(readme)
        tar.addfile(info, io.BytesIO(readme))
    images = _pictures(3)
    expected = _reference(images, "pool_3:0")
    np.testing.assert_allclose(metrics.inception_fid(archive)(images), expected, atol=1e-5)

    home = tmp_path / "keras_home"
    (home / "models").mkdir(parents=True)
    os.replace(archive, home / "models" / inception_2015.ARCHIVE)
    monkeypatch.setenv("KERAS_HOME", str(home))
    extractor = metrics.inception_fid()
    assert extractor.weights_path == str(home / "models" / inception_2015.ARCHIVE)
    np.testing.assert_allclose(extractor(images), expected, atol=1e-5)


def test_offline_and_wrong_files_get_errors_that_name_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty_home"))

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure on http://download.tensorflow.org: no network")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(RuntimeError) as error:
        metrics.inception_fid()
    message = str(error.value)
    for part in (inception_2015.URL, inception_2015.ARCHIVE, inception_2015.GRAPH,
                 str(tmp_path / "empty_home" / "models")):
        assert part in message
    with pytest.raises(FileNotFoundError, match="inception-2015-12-05.tgz"):
        metrics.inception_fid(tmp_path / "missing.pb")
    (tmp_path / "junk.pb").write_bytes(b"\xff\xfe not a graph")
    with pytest.raises(ValueError, match="not a TensorFlow GraphDef"):
        metrics.inception_fid(tmp_path / "junk.pb")
    other = tf.Graph()
    with other.as_default():
        tf.constant(1.0, name="x")
    (tmp_path / "other.pb").write_bytes(other.as_graph_def().SerializeToString())
    with pytest.raises(ValueError, match="not the 2015 Inception graph"):
        metrics.inception_fid(tmp_path / "other.pb")
    with pytest.raises(ValueError, match="output"):
        metrics.inception_fid(tmp_path / "other.pb", output="logits")


def test_metric_keys_name_the_protocol(graph_file):
    gan = tiny_image_gan()
    extractor = metrics.inception_fid(graph_file)
    reference = extractor.statistics(_pictures(40, 28, 28, 1))
    values = metrics.evaluate(gan, reference, "fid,is", num_samples=40, extractor=extractor)
    assert sorted(values) == ["fid_40_tf2015", "is_40_tf2015", "is_40_tf2015_std"]
    assert metrics.metric_keys("fid,kid", 5000, metrics.protocols()) == [
        "fid_5k_keras", "kid_5k_keras", "kid_5k_keras_std"]
    own = metrics.FeatureExtractor(lambda x: np.reshape(x, (len(x), -1))[:, :4])
    assert metrics.metric_keys("fid", 5000, metrics.protocols(own)) == ["fid_5k"]
    callback = keras_gan.callbacks.FID(reference, num_samples=5000, extractor=extractor)
    assert callback.keys == ["fid_5k_tf2015"]


REAL = os.path.join(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")), "models",
                    inception_2015.ARCHIVE)


@pytest.mark.skipif(not os.path.exists(REAL), reason=(
    f"the real 2015 Inception graph is not at {REAL}, and this machine cannot download it; "
    f"copy {inception_2015.ARCHIVE} there to run this test"))
def test_the_real_2015_graph_batched_equals_one_image_at_a_time():
    graph_def = inception_2015.read_graph_def(REAL)
    images = _pictures(4, 64, 64, 3)
    extractor = metrics.inception_fid(REAL, batch_size=4)
    features = extractor(images)
    assert features.shape == (4, 2048)
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
    pixels = np.clip(np.floor((images + 1.0) * 127.5 + 0.5), 0, 255).astype(np.float32)
    with tf.compat.v1.Session(graph=graph) as session:
        expected = np.concatenate([session.run("pool_3:0", {"ExpandDims:0": p[None]})
                                   .reshape(1, -1) for p in pixels])
        probabilities = session.run("softmax:0", {"ExpandDims:0": pixels[:1]})
    np.testing.assert_allclose(features, expected, rtol=1e-4, atol=1e-4)
    assert probabilities.shape == (1, 1008)
