import keras
import numpy as np
import pytest

from keras_gan.constraints import WeightClip, apply_weight_clip


def test_weight_clip_bounds_values():
    w = np.array([-1.0, -0.005, 0.0, 0.02, 3.0], "float32")
    clipped = keras.ops.convert_to_numpy(WeightClip(0.01)(w))
    np.testing.assert_allclose(clipped, [-0.01, -0.005, 0.0, 0.01, 0.01])


def test_weight_clip_as_kernel_constraint_after_training():
    layer = keras.layers.Dense(3, kernel_constraint=WeightClip(0.05))
    model = keras.Sequential([keras.Input((4,)), layer])
    model.compile(keras.optimizers.SGD(10.0), "mse")
    model.fit(np.ones((8, 4)), np.full((8, 3), 100.0), verbose=0, epochs=2)
    assert np.max(np.abs(layer.kernel.numpy())) <= 0.05 + 1e-7


def test_config_round_trip():
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(WeightClip(0.2)))
    assert isinstance(restored, WeightClip) and restored.clip_value == 0.2
    with pytest.raises(ValueError, match="clip_value"):
        WeightClip(0.0)


def test_apply_weight_clip_to_every_kernel():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dense(1)])
    for v in model.weights:
        v.assign(np.full(v.shape, 5.0, "float32"))
    kernels = apply_weight_clip(model, 0.1, include="kernels")
    assert len(kernels) == 2
    for layer in model.layers:
        assert np.max(np.abs(layer.kernel.numpy())) <= 0.1
        assert np.all(layer.bias.numpy() == 5.0)  # untouched with include="kernels"
    assert len(apply_weight_clip(model, 0.1)) == 4
    with pytest.raises(ValueError, match="include"):
        apply_weight_clip(model, 0.1, include="biases")
