import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import networks


def _cgan(num_classes=4, conditioning="embedding", **kwargs):
    g = networks.dcgan_generator(8, 28, 1, base_filters=4, num_classes=num_classes,
                                 conditioning=conditioning)
    d = networks.dcgan_discriminator(28, 1, base_filters=4, num_classes=num_classes,
                                     conditioning=conditioning)
    return keras_gan.ConditionalGAN(g, d, 8, num_classes=num_classes, seed=1, **kwargs)


def _data(n=8, num_classes=4):
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (n, 28, 28, 1)).astype("float32"), np.arange(n) % num_classes


@pytest.mark.parametrize("conditioning", ["embedding", "one_hot"])
def test_fits_on_arrays_and_datasets_with_labels(conditioning):
    gan = _cgan(conditioning=conditioning)
    gan.compile()
    x, y = _data()
    history = gan.fit(x, y, batch_size=4, verbose=0)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    history_ds = gan.fit(ds, verbose=0)
    one_hot = gan.fit(x, np.eye(4, dtype="float32")[y], batch_size=4, verbose=0)
    for h in (history, history_ds, one_hot):
        assert np.isfinite(h.history["d_loss"][-1]) and np.isfinite(h.history["g_loss"][-1])
    assert int(gan.step_counter.numpy()) == 6


def test_generates_the_requested_classes_and_round_trips(tmp_path):
    gan = _cgan()
    gan.compile()
    x, y = _data()
    gan.fit(x, y, batch_size=4, verbose=0)
    z = np.random.default_rng(1).standard_normal((4, 8)).astype("float32")
    labels = np.array([0, 1, 2, 3])
    out = gan.generate(latents=z, labels=labels)
    np.testing.assert_allclose(out, gan.generator([z, labels]).numpy(), atol=1e-6)
    same_z = gan.generate(latents=np.repeat(z[:1], 4, axis=0), labels=labels)
    assert not np.allclose(same_z[0], same_z[1])  # the label changes the sample
    gan.save(tmp_path / "cgan.keras")
    loaded = keras.models.load_model(tmp_path / "cgan.keras")
    assert isinstance(loaded, keras_gan.ConditionalGAN) and loaded.num_classes == 4
    np.testing.assert_allclose(loaded.generate(latents=z, labels=labels), out, atol=1e-6)


def test_bad_labels_and_class_counts_are_refused():
    gan = _cgan()
    gan.compile()
    x, y = _data()
    with pytest.raises(ValueError, match=r"fit\(images, labels\)"):
        gan.fit(x, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"class ids in \[0, 4\)"):
        gan.fit(x, y + 1, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"class ids in \[0, 4\)"):
        gan.generate(2, labels=[0, 4])
    g = networks.dcgan_generator(8, 28, 1, base_filters=4, num_classes=4)
    d = networks.dcgan_discriminator(28, 1, base_filters=4, num_classes=4)
    with pytest.raises(ValueError, match="encodes 4 classes"):
        keras_gan.ConditionalGAN(g, d, 8, num_classes=10)
    with pytest.raises(ValueError, match="num_classes"):
        keras_gan.ConditionalGAN(g, d, 8, num_classes=0)


def test_projection_discriminator_with_conditional_batchnorm_trains():
    g = networks.resnet_generator(8, 32, 3, widths=(8, 8, 8), num_classes=3)
    d = networks.resnet_discriminator(32, 3, widths=(8, 8, 8, 8), num_classes=3)
    gan = keras_gan.ConditionalGAN(g, d, 8, num_classes=3, seed=0)
    gan.compile(loss="hinge")
    x = np.random.default_rng(0).uniform(-1, 1, (4, 32, 32, 3)).astype("float32")
    history = gan.fit(x, np.array([0, 1, 2, 0]), batch_size=2, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
