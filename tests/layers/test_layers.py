import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import layers
from tests.layers.helpers import run_layer_test

rng = np.random.default_rng(0)
X4 = rng.normal(size=(4, 4, 4, 8)).astype("float32")
W = rng.normal(size=(4, 6)).astype("float32")


def test_minibatch_stddev():
    layer = run_layer_test(lambda: layers.MinibatchStdDev(group_size=2, num_channels=2), X4,
                           (4, 4, 4, 10), 0)
    # Reference: groups are samples {0, 2} and {1, 3}; channel groups of 4.
    y = X4.reshape(2, 2, 4, 4, 2, 4)
    std = np.sqrt(((y - y.mean(0)) ** 2).mean(0) + 1e-8).mean(axis=(1, 2, 4))  # (2, 2)
    out = layer(X4).numpy()
    np.testing.assert_allclose(out[..., :8], X4)
    for i in range(4):
        np.testing.assert_allclose(out[i, :, :, 8:], np.broadcast_to(std[i % 2], (4, 4, 2)), rtol=1e-5)
    same = np.repeat(X4[:1], 4, axis=0)
    assert np.max(np.abs(layers.MinibatchStdDev()(same).numpy()[..., 8:])) < 1e-3  # sqrt(1e-8)
    with pytest.raises(ValueError, match="divisible"):
        layers.MinibatchStdDev(num_channels=3)(X4)


def test_pixel_normalization():
    out = run_layer_test(layers.PixelNormalization, X4, X4.shape, 0)(X4).numpy()
    np.testing.assert_allclose(np.mean(out**2, axis=-1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="epsilon"):
        layers.PixelNormalization(epsilon=-1)


def test_equalized_dense():
    x = rng.normal(size=(3, 5)).astype("float32")
    layer = run_layer_test(lambda: layers.EqualizedDense(4, lr_multiplier=0.01, bias_initializer=0.5),
                           x, (3, 4), 5 * 4 + 4)
    scale = math.sqrt(2) / math.sqrt(5) * 0.01
    expected = x @ (layer.kernel.numpy() * scale) + layer.bias.numpy() * 0.01
    np.testing.assert_allclose(layer(x), expected, rtol=1e-5, atol=1e-6)
    fresh = layers.EqualizedDense(256, lr_multiplier=0.01, bias_initializer=0.5)
    fresh.build((None, 256))
    assert fresh.kernel.numpy().std() == pytest.approx(100.0, rel=0.05)  # N(0, 1 / lr_multiplier)
    np.testing.assert_allclose(fresh.bias.numpy() * 0.01, 0.5)  # effective bias is the initializer
    with pytest.raises(ValueError, match="units"):
        layers.EqualizedDense(0)


def test_equalized_conv2d():
    layer = run_layer_test(lambda: layers.EqualizedConv2D(3, 3, strides=2), X4, (4, 2, 2, 3), 3 * 3 * 8 * 3 + 3)
    scale = math.sqrt(2) / math.sqrt(3 * 3 * 8)
    expected = tf.nn.conv2d(X4, layer.kernel.numpy() * scale, 2, "SAME") + layer.bias.numpy()
    np.testing.assert_allclose(layer(X4), expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="padding"):
        layers.EqualizedConv2D(3, 3, padding="full")


def test_adain():
    # Two equalized affines (6 -> 8, with bias) map the style to a scale and a bias.
    run_layer_test(layers.AdaIN, [X4, W], X4.shape, 2 * (6 * 8 + 8))
    layer = layers.AdaIN()
    layer([X4, W])
    for dense in (layer.style_scale, layer.style_bias):
        dense.kernel.assign(np.zeros_like(dense.kernel.numpy()))
    np.testing.assert_allclose(layer.style_scale.bias.numpy(), 1.0)  # initial style scale
    np.testing.assert_allclose(layer.style_bias.bias.numpy(), 0.0)
    out = layer([X4, W]).numpy()  # scale 1, bias 0: plain instance normalization
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(1, 2)), 1.0, rtol=1e-3)
    layer.style_bias.bias.assign(np.full(8, 3.0, "float32"))
    np.testing.assert_allclose(layer([X4, W]).numpy().mean(axis=(1, 2)), 3.0, atol=1e-5)
    with pytest.raises(ValueError, match=r"\[features, styles\]"):
        layers.AdaIN()(X4)


def test_noise_injection():
    noise = rng.normal(size=(4, 4, 4, 1)).astype("float32")
    layer = run_layer_test(lambda: layers.NoiseInjection(seed=1), X4, X4.shape, 8,
                           call_kwargs={"noise": noise})
    fresh = layers.NoiseInjection(seed=1)
    np.testing.assert_allclose(fresh(X4), X4)  # scale starts at 0
    scale = np.arange(8, dtype="float32")
    layer.scale.assign(scale)
    np.testing.assert_allclose(layer(X4, noise=noise), X4 + noise * scale, rtol=1e-6)
    a, b = layer(X4).numpy(), layer(X4).numpy()
    assert not np.allclose(a, b)  # fresh noise each call
    np.testing.assert_allclose((a - X4)[..., 2] / 2.0, (a - X4)[..., 1], atol=1e-5)  # one map for all channels


def test_modulated_conv2d():
    layer = run_layer_test(lambda: layers.ModulatedConv2D(5, 3), [X4, W], (4, 4, 4, 5),
                           (6 * 8 + 8) + 3 * 3 * 8 * 5 + 5)
    kernels = layer.modulated_kernel(W).numpy()  # (batch, k, k, in, out)
    np.testing.assert_allclose(np.sqrt((kernels**2).sum(axis=(1, 2, 3))), 1.0, rtol=1e-5)
    out = layer([X4, W]).numpy()
    for i in range(4):  # the fast path equals a convolution with each sample's own kernel
        expected = tf.nn.conv2d(X4[i : i + 1], kernels[i], 1, "SAME").numpy()[0] + layer.bias.numpy()
        np.testing.assert_allclose(out[i], expected, rtol=1e-4, atol=1e-5)
    plain = layers.ModulatedConv2D(5, 3, demodulate=False)
    plain([X4, W])
    norms = np.sqrt((plain.modulated_kernel(W).numpy() ** 2).sum(axis=(1, 2, 3)))
    assert not np.allclose(norms, 1.0)
    with pytest.raises(ValueError, match="odd"):
        layers.ModulatedConv2D(5, 2)


def test_self_attention2d():
    c = 8
    layer = run_layer_test(lambda: layers.SelfAttention2D(reduction=4), X4, X4.shape,
                           2 * (c * 2) + 2 * (c * c) + 1)
    fresh = layers.SelfAttention2D(reduction=4)
    np.testing.assert_allclose(fresh(X4), X4)  # gamma starts at 0
    attention = layer.attention(X4).numpy()
    assert attention.shape == (4, 16, 16)
    np.testing.assert_allclose(attention.sum(-1), 1.0, rtol=1e-5)
    layer.gamma.assign(1.0)
    flat = X4.reshape(4, 16, c)
    q, k = flat @ layer.query.kernel.numpy(), flat @ layer.key.kernel.numpy()
    scores = q @ k.transpose(0, 2, 1)
    beta = np.exp(scores - scores.max(-1, keepdims=True))
    beta /= beta.sum(-1, keepdims=True)
    expected = flat + (beta @ (flat @ layer.value.kernel.numpy())) @ layer.output_projection.kernel.numpy()
    np.testing.assert_allclose(layer(X4).numpy().reshape(4, 16, c), expected, rtol=1e-4, atol=1e-4)


def test_conditional_batch_normalization():
    labels = np.array([0, 1, 2, 1])
    layer = run_layer_test(lambda: layers.ConditionalBatchNormalization(3), [X4, labels], X4.shape,
                           2 * 3 * 8, 2 * 8, call_kwargs={"training": True})
    gamma = rng.uniform(0.5, 2, (3, 8)).astype("float32")
    beta = rng.normal(size=(3, 8)).astype("float32")
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    out = layer([X4, labels], training=True).numpy()
    normalized = (X4 - X4.mean(axis=(0, 1, 2))) / np.sqrt(X4.var(axis=(0, 1, 2)) + 1e-3)
    np.testing.assert_allclose(out, normalized * gamma[labels][:, None, None] + beta[labels][:, None, None],
                               rtol=1e-4, atol=1e-4)
    moving = layer.moving_mean.numpy()
    layer([X4, labels], training=False)
    np.testing.assert_array_equal(moving, layer.moving_mean.numpy())  # inference leaves them alone


def test_minibatch_discrimination():
    x = rng.normal(size=(4, 6)).astype("float32")
    layer = run_layer_test(lambda: layers.MinibatchDiscrimination(3, 2), x, (4, 9), 6 * 3 * 2)
    same = np.repeat(x[:1], 4, axis=0)
    np.testing.assert_allclose(layer(same).numpy()[:, 6:], 4.0, rtol=1e-6)  # identical: batch size
    layer.kernel.assign(np.full((6, 6), 1000.0, "float32"))
    far = np.diag(np.arange(1, 5, dtype="float32")) @ np.ones((4, 6), "float32")
    np.testing.assert_allclose(layer(far).numpy()[:, 6:], 1.0, rtol=1e-6)  # far apart: only itself


def test_virtual_batch_normalization():
    x = rng.normal(size=(6, 3)).astype("float32")
    run_layer_test(layers.VirtualBatchNormalization, x, x.shape, 3 + 3, 3 + 3 + 1,
                           call_kwargs={"training": True})
    fresh = layers.VirtualBatchNormalization()
    fresh(x, training=True)  # the reference batch
    other = rng.normal(loc=2.0, size=(2, 3)).astype("float32")
    fresh(other, training=True)
    np.testing.assert_allclose(fresh.reference_mean.numpy(), x.mean(0), rtol=1e-5)  # unchanged
    out = fresh(other).numpy()
    mean = (6 * x.mean(0) + other) / 7
    var = (6 * (x**2).mean(0) + other**2) / 7 - mean**2
    np.testing.assert_allclose(out, (other - mean) / np.sqrt(var + 1e-5), rtol=1e-4, atol=1e-4)
    # A sample's output does not depend on the rest of its batch.
    np.testing.assert_allclose(fresh(other[:1]).numpy(), out[:1], rtol=1e-5)


def test_gradient_reversal():
    x = tf.constant([[1.0, -2.0]])
    layer = run_layer_test(lambda: layers.GradientReversal(0.5), x, (1, 2), 0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * tf.constant([[3.0, 4.0]]))
    np.testing.assert_allclose(y, x)
    np.testing.assert_allclose(tape.gradient(loss, x), [[-1.5, -2.0]])


def test_sub_pixel_upsampling():
    x = np.arange(2 * 2 * 2 * 8, dtype="float32").reshape(2, 2, 2, 8)
    layer = run_layer_test(lambda: layers.SubPixelUpsampling(2), x, (2, 4, 4, 2), 0)
    # Reference: channel (dy * r + dx) * c + k goes to pixel (2y + dy, 2x + dx), channel k.
    expected = x.reshape(2, 2, 2, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(2, 4, 4, 2)
    np.testing.assert_array_equal(layer(x).numpy(), expected)
    with pytest.raises(ValueError, match="divisible"):
        layers.SubPixelUpsampling(2)(np.zeros((1, 2, 2, 3), "float32"))
