"""Shared checks every layer goes through (after keras-hub's run_layer_test)."""

import keras
import numpy as np
import tensorflow as tf


def _as_tensors(inputs):
    if isinstance(inputs, (list, tuple)):
        return [tf.convert_to_tensor(x) for x in inputs]
    return tf.convert_to_tensor(inputs)


def run_layer_test(make_layer, inputs, expected_shape, trainable_params, non_trainable_params=0,
                   call_kwargs=None, mixed_precision=True):
    """Shape, exact weight counts, config round trip, one training step, mixed precision."""
    call_kwargs = call_kwargs or {}
    inputs = _as_tensors(inputs)
    layer = make_layer()
    output = layer(inputs, **call_kwargs)
    assert tuple(output.shape) == tuple(expected_shape)
    shapes = [x.shape for x in inputs] if isinstance(inputs, list) else inputs.shape
    assert tuple(layer.compute_output_shape(shapes)) == tuple(expected_shape)
    count = lambda ws: int(sum(np.prod(w.shape) for w in ws))  # noqa: E731
    assert count(layer.trainable_weights) == trainable_params
    assert count(layer.non_trainable_weights) == non_trainable_params

    # get_config round trip, by class and through Keras serialization.
    config = layer.get_config()
    for clone in (type(layer).from_config(config),
                  keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))):
        assert type(clone) is type(layer) and clone.get_config() == config
        clone(inputs, **call_kwargs)
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(clone(inputs, **call_kwargs), layer(inputs, **call_kwargs), atol=1e-6)

    # One training step: finite gradients, at least one non-zero, weights move.
    if layer.trainable_weights:
        before = [w.numpy().copy() for w in layer.trainable_weights]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(inputs, **{**call_kwargs, "training": True}) - 1.0))
        grads = tape.gradient(loss, layer.trainable_weights)
        grads = [None if g is None else tf.convert_to_tensor(g) for g in grads]  # IndexedSlices too
        assert all(g is not None and np.all(np.isfinite(g.numpy())) for g in grads)
        assert any(np.any(g.numpy() != 0) for g in grads)
        keras.optimizers.SGD(0.1).apply(grads, layer.trainable_weights)
        assert any(not np.array_equal(b, w.numpy()) for b, w in zip(before, layer.trainable_weights))

    if mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_float16")
        try:
            half = make_layer()
            out = half(inputs, **call_kwargs)
            assert out.dtype == tf.float16 and np.all(np.isfinite(out.numpy()))
            assert all(w.dtype == "float32" for w in half.trainable_weights)
        finally:
            keras.mixed_precision.set_global_policy("float32")
    return layer
