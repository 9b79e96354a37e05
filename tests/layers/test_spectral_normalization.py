"""keras.layers.SpectralNormalization checked for the kernels GANs use, and
the `spectral_normalize` helper.

Keras's wrapper, in training calls, runs its power iteration and *assigns*
`W / sigma(W)` into the wrapped layer's kernel (the TF-Addons design); the
tests below pin that behaviour down.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan.layers import spectral_normalize


def _sigma(kernel):
    return np.linalg.svd(np.asarray(kernel).reshape(-1, kernel.shape[-1]), compute_uv=False)[0]


def test_spectral_norm_of_ones_2x2_is_2():
    dense = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")
    sn = keras.layers.SpectralNormalization(dense, power_iterations=20)
    x = np.eye(2, dtype="float32")
    np.testing.assert_allclose(sn(x), np.ones((2, 2)))  # inference: the raw kernel, sigma 2
    np.testing.assert_allclose(sn(x, training=True), np.full((2, 2), 0.5), rtol=1e-5)


@pytest.mark.parametrize(
    "make, shape",
    [(lambda: keras.layers.Dense(6), (3, 5)),
     (lambda: keras.layers.Conv2D(4, 3, padding="same"), (2, 6, 6, 3)),
     (lambda: keras.layers.Conv2DTranspose(4, 4, strides=2, padding="same"), (2, 6, 6, 3))],
)
def test_kernels_are_normalized_and_u_persists(make, shape):
    layer = make()
    sn = keras.layers.SpectralNormalization(layer, power_iterations=1)
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    sn(x)
    layer.kernel.assign(layer.kernel.numpy() * 7.0)
    u0 = sn.vector_u.numpy().copy()
    for _ in range(30):  # one power iteration per training call; u carries over
        sn(x, training=True)
    assert not np.allclose(u0, sn.vector_u.numpy())
    assert _sigma(layer.kernel.numpy()) == pytest.approx(1.0, rel=1e-3)
    u = sn.vector_u.numpy().copy()
    sn(x)  # inference calls neither iterate nor rescale
    np.testing.assert_array_equal(u, sn.vector_u.numpy())


def test_spectral_normalized_embedding_keeps_float_outputs():
    embedding = keras.layers.Embedding(4, 3, embeddings_initializer="ones")
    sn = keras_gan.layers.SpectralNormalization(embedding, power_iterations=20)
    labels = tf.constant([0, 3])
    np.testing.assert_allclose(sn(labels), np.ones((2, 3)))
    # sigma(ones(4, 3)) = sqrt(12); the normalized rows are 1 / sqrt(12).
    np.testing.assert_allclose(sn(labels, training=True), np.full((2, 3), 12**-0.5), rtol=1e-5)
    x = np.ones((2, 5), "float32")
    dense = keras_gan.layers.SpectralNormalization(keras.layers.Dense(2))
    np.testing.assert_allclose(dense(x), keras.layers.SpectralNormalization.call(dense, x))
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(sn))
    assert type(restored) is keras_gan.layers.SpectralNormalization


def test_u_survives_save_and_load(tmp_path):
    model = keras.Sequential([keras.Input((4,)),
                              keras.layers.SpectralNormalization(keras.layers.Dense(3), name="sn")])
    model(np.ones((2, 4), "float32"), training=True)
    path = str(tmp_path / "sn.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_array_equal(restored.get_layer("sn").vector_u.numpy(),
                                  model.get_layer("sn").vector_u.numpy())


def test_spectral_normalize_wraps_every_kernel_of_a_network():
    d = keras_gan.networks.dcgan_discriminator(32, 3, base_filters=4, batchnorm=False)
    sn = spectral_normalize(d)
    wrapped = [l for l in sn.layers if isinstance(l, keras_gan.layers.SpectralNormalization)]
    assert len(wrapped) == 4  # three convolutions and the logits Dense
    assert sn.output_shape == d.output_shape
    keep = spectral_normalize(d, exclude=("logits",))
    assert sum(isinstance(l, keras.layers.SpectralNormalization) for l in keep.layers) == 3
    with pytest.raises(ValueError, match="power_iterations"):
        spectral_normalize(d, power_iterations=0)


def test_sngan_trains_with_spectral_norm_in_float32_and_mixed_precision():
    for policy in ("float32", "mixed_float16"):
        keras.mixed_precision.set_global_policy(policy)
        g = keras_gan.networks.dcgan_generator(8, 32, 3, base_filters=4)
        d = spectral_normalize(keras_gan.networks.dcgan_discriminator(32, 3, base_filters=4, batchnorm=False))
        gan = keras_gan.SNGAN(g, d, 8, seed=0)
        gan.compile(d_steps=1)
        x = np.random.default_rng(0).uniform(-1, 1, (8, 32, 32, 3)).astype("float32")
        history = gan.fit(x, batch_size=4, verbose=0)
        assert all(np.isfinite(v[-1]) for v in history.history.values())
        for layer in gan.discriminator.layers:
            if isinstance(layer, keras.layers.SpectralNormalization):
                assert _sigma(layer.layer.kernel.numpy()) < 1.1
    keras.mixed_precision.set_global_policy("float32")
