"""The FID protocol's own network: the 2015 TensorFlow Inception graph.

FID (Heusel et al. 2017) is defined on `classify_image_graph_def.pb` from
`inception-2015-12-05.tgz`, the file the TTUR reference code
(`bioinf-jku/TTUR`, `fid.py`) loads; the Inception Score (Salimans et al.
2016) on the same graph. Published tables use it, and `keras.applications`
InceptionV3 differs from it (other weights, 1000 classes, another resize),
so only this extractor's values compare with papers.

It is fed as the reference code feeds it: images as float32 values in
[0, 255] (generated images in [-1, 1] are quantized to uint8 first, as
StyleGAN2-ADA does before its metrics) on the graph's `ExpandDims:0`, so
the graph's own `ResizeBilinear` to 299x299 and its `(x - 128) / 128`
scaling run; features are `pool_3:0`, 2048-d. Inception Score probabilities
are `softmax(pool_3 @ W)` with `W` the weights of `softmax/logits/MatMul`
and no bias, exactly as Salimans et al.'s `inception_score.py` computes
them for batches (the graph's own `softmax:0` is wired to batch size 1).
"""

import os
import tarfile

import keras
import tensorflow as tf

from keras_gan.metrics.features import FeatureExtractor, _file_tag, _keras_home

URL = "http://download.tensorflow.org/models/image/imagenet/inception-2015-12-05.tgz"
ARCHIVE = "inception-2015-12-05.tgz"
GRAPH = "classify_image_graph_def.pb"
INPUT = "ExpandDims:0"
POOL = "pool_3:0"
LOGITS = "softmax/logits/MatMul"
PROTOCOL = "tf2015"


def inception_fid(weights=None, output="pool", batch_size=50):
    """The 2015 Inception graph as a `FeatureExtractor` (protocol `"tf2015"`:
    metric keys read e.g. `fid_50k_tf2015`).

    Args:
        weights: the `.tgz` or the `.pb` (a local path); None looks for
            either in the Keras cache (`$KERAS_HOME/models/`) and downloads
            the `.tgz` there when it is missing and there is a network.
        output: `"pool"` for the 2048-d `pool_3` features (FID, KID, PR) or
            `"probabilities"` for the 1008 class probabilities (Inception
            Score).
        batch_size: images per forward pass.

    Example:

    ```python
    extractor = keras_gan.metrics.inception_fid("inception-2015-12-05.tgz")
    keras_gan.metrics.evaluate(gan, reference, "fid,is", 50000, extractor=extractor)
    # {"fid_50k_tf2015": ..., "is_50k_tf2015": ..., "is_50k_tf2015_std": ...}
    ```
    """
    if output not in ("pool", "probabilities"):
        raise ValueError(f"`output` must be 'pool' or 'probabilities'. Received: output={output!r}")
    path = locate(weights)
    function = graph_function(read_graph_def(path), output)
    function.__name__ = f"inception_2015_{_file_tag(path)}_{output}"
    extractor = FeatureExtractor(function, rgb=True, batch_size=batch_size, protocol=PROTOCOL)
    extractor.weights_path = path
    return extractor


def locate(weights=None):
    """The path of the graph (`.pb`) or its archive (`.tgz`): `weights`, else
    the Keras cache, else a download into the cache."""
    if weights is not None:
        path = os.path.expanduser(os.fspath(weights))
        if not os.path.exists(path):
            raise FileNotFoundError(f"2015 Inception graph not found: {path} (pass the {ARCHIVE} "
                                    f"or the {GRAPH} it holds, from {URL}).")
        return path
    cache = os.path.join(_keras_home(), "models")
    for name in (GRAPH, ARCHIVE):
        if os.path.exists(os.path.join(cache, name)):
            return os.path.join(cache, name)
    try:
        return keras.utils.get_file(ARCHIVE, URL, cache_subdir="models")
    except Exception as error:  # keras raises plain Exception on a failed fetch
        raise RuntimeError(
            f"Could not download the 2015 Inception graph of the FID protocol ({URL}; no "
            f"network?). Copy {ARCHIVE} (or the {GRAPH} inside it) to {cache}, or pass "
            f"inception_fid(weights='/path/to/{ARCHIVE}'). Underlying error: {error}"
        ) from error


def read_graph_def(path):
    """The `GraphDef` in a `.pb` file, or in the `.pb` member of a `.tgz`."""
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            member = next((m for m in archive.getmembers() if m.name.endswith(GRAPH)), None)
            if member is None:
                raise ValueError(f"{path} holds no {GRAPH}; is it {ARCHIVE}?")
            data = archive.extractfile(member).read()
    else:
        with open(path, "rb") as handle:
            data = handle.read()
    graph_def = tf.compat.v1.GraphDef()
    try:
        graph_def.ParseFromString(data)
    except Exception as error:  # protobuf's DecodeError
        raise ValueError(f"{path} is not a TensorFlow GraphDef ({error}).") from error
    names = {node.name for node in graph_def.node}
    missing = [name for name in (INPUT, POOL, LOGITS) if name.split(":")[0] not in names]
    if missing:
        raise ValueError(f"{path} is not the 2015 Inception graph: it has no {missing}.")
    return graph_def


def graph_function(graph_def, output="pool"):
    """A concrete function `(n, h, w, 3)` float32 in [0, 255] -> pool_3
    features `(n, 2048)` or IS probabilities `(n, classes)`; the batch is
    fed through `input_map`, so no node is bound to batch size 1."""
    def imported(images):
        pool, matmul = tf.compat.v1.import_graph_def(
            graph_def, input_map={INPUT: images}, return_elements=[POOL, LOGITS], name="")
        features = tf.reshape(pool, [tf.shape(images)[0], pool.shape[-1]])
        if output == "pool":
            return features
        return tf.nn.softmax(tf.matmul(features, matmul.inputs[1]))

    spec = tf.TensorSpec([None, None, None, 3], tf.float32)
    function = tf.compat.v1.wrap_function(imported, [spec])

    def extract(images):
        """Images in [-1, 1] -> the graph's outputs, quantized to uint8 first."""
        pixels = tf.clip_by_value(tf.floor((tf.cast(images, tf.float32) + 1.0) * 127.5 + 0.5),
                                  0.0, 255.0)
        return function(pixels)

    return extract
