"""Exporting a trained generator for serving: a TensorFlow SavedModel or a
TF-Lite flatbuffer with one signature, `serving_default`.

Each model family describes its endpoint with `_serving_endpoint(use_ema)`:
the function, its input signature and the network whose weights it uses.
The archive is Keras's own `keras.export.ExportArchive` (the path
`model.export` takes); TF-Lite goes through it and
`tf.lite.TFLiteConverter.from_saved_model`, as Keras's LiteRT exporter does.
"""

import os
import shutil
import tempfile
import warnings

import keras
import tensorflow as tf

FORMATS = ("saved_model", "tflite")


def export_generator(model, path, format="saved_model", use_ema=True, verbose=False, **options):
    """Writes `model`'s generator to `path`; returns `path`. See
    `Engine.export_generator`."""
    if format not in FORMATS:
        raise ValueError(f"`format` must be one of {FORMATS}. Received: format={format!r}")
    path = os.fspath(path)
    if format == "tflite" and not path.endswith(".tflite"):
        raise ValueError(f"A TF-Lite export is one file ending in '.tflite'. Received: {path!r}")
    function, signature, network = model._serving_endpoint(use_ema=use_ema, **options)
    archive = keras.export.ExportArchive()
    archive.track(network)
    archive.add_endpoint("serve", function, input_signature=signature)
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=".export-") as scratch:
        saved_model = os.path.join(scratch, "saved_model")
        archive.write_out(saved_model, verbose=verbose)
        if format == "saved_model":
            _replace(saved_model, path)
        else:
            flatbuffer = os.path.join(scratch, "generator.tflite")
            with open(flatbuffer, "wb") as handle:
                handle.write(_convert(saved_model))
            os.replace(flatbuffer, path)
    return path


def _convert(saved_model):
    """TF-Lite builtins only (runs on any TF-Lite runtime); falls back to
    TensorFlow ops (needs the Flex delegate) for networks that need them."""
    converter = tf.lite.TFLiteConverter.from_saved_model(saved_model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    try:
        return converter.convert()
    except Exception as error:  # the converter raises ConverterError and plain errors
        warnings.warn(
            "The generator uses operations outside the TF-Lite builtins; the .tflite file "
            "includes TensorFlow ops and needs the Flex delegate (tf.lite.Interpreter in "
            f"Python has it; mobile runtimes must link it). Converter said: {error}",
            stacklevel=3)
    converter = tf.lite.TFLiteConverter.from_saved_model(saved_model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS,
                                           tf.lite.OpsSet.SELECT_TF_OPS]
    return converter.convert()


def _replace(source, path):
    """Moves the directory `source` to `path` in one rename; an existing
    `path` is moved aside first and removed only after the rename."""
    if os.path.isfile(path):
        raise FileExistsError(f"{path} is a file; a SavedModel export is a directory.")
    old = None
    if os.path.exists(path):
        old = f"{path}.old-{os.getpid()}"
        os.replace(path, old)
    os.replace(source, path)
    if old is not None:
        shutil.rmtree(old)


def images_output(images):
    """The serving output: float32 images under the name `images`."""
    return {"images": tf.cast(images, tf.float32)}
