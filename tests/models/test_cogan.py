import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import networks
from keras_gan.runs.kinds.coupled import second_domain


def _pair(seed=0):
    keras.utils.set_random_seed(seed)
    return networks.cogan_networks(8, 28, 1, base_filters=4)


def test_generators_share_all_but_their_last_layer():
    generator, _ = _pair()
    a, b = generator.get_layer("images_a"), generator.get_layer("images_b")
    b.set_weights(a.get_weights())  # equal heads on one shared trunk: equal images
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    images = generator(z, training=False).numpy()
    np.testing.assert_allclose(images[..., 0], images[..., 1], atol=1e-6)


def test_discriminators_share_all_but_their_first_layer():
    _, discriminator = _pair()
    first = discriminator.get_layer("down_0_per_domain")
    kernel, bias = first.get_weights()
    half = kernel.shape[-1] // 2
    x = np.random.default_rng(1).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    logits = discriminator(np.concatenate([x, -x], -1)).numpy()
    # Domain A's logit reads domain A's channel alone.
    other = discriminator(np.concatenate([x, x], -1)).numpy()
    np.testing.assert_allclose(logits[:, 0], other[:, 0], atol=1e-6)
    # With equal first layers, equal inputs give equal logits: the rest is shared.
    kernel[..., half:] = kernel[..., :half]
    bias[half:] = bias[:half]
    first.set_weights([kernel, bias])
    same = discriminator(np.concatenate([x, x], -1)).numpy()
    np.testing.assert_allclose(same[:, 0], same[:, 1], atol=1e-5)


def test_cogan_trains_generates_pairs_and_reloads(tmp_path):
    generator, discriminator = _pair()
    model = keras_gan.CoGAN(generator, discriminator, 8, seed=1)
    digits = np.random.default_rng(2).uniform(-1, 1, (20, 28, 28, 1)).astype("float32")
    pairs = keras_gan.CoGAN.pair_domains(digits[:12], second_domain(digits[12:], "negative"))
    assert pairs.shape == (8, 28, 28, 2)
    assert any(np.allclose(pairs[0, ..., 0], d[..., 0]) for d in digits[:12])
    model.compile()
    history = model.fit(pairs, batch_size=4, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1]) and np.isfinite(history["g_loss"][-1])
    a, b = model.generate_pairs(3, seed=0)
    assert a.shape == b.shape == (3, 28, 28, 1)
    np.testing.assert_allclose(model.generate(3, seed=0), np.concatenate([a, b], axis=2))
    model.save(tmp_path / "cogan.keras")
    restored = keras.models.load_model(tmp_path / "cogan.keras")
    np.testing.assert_allclose(restored.generate(3, seed=0), model.generate(3, seed=0), atol=1e-6)
    edges = second_domain(digits[:2], "edges")
    assert edges.shape == (2, 28, 28, 1) and edges.min() >= -1 and edges.max() <= 1


def test_cogan_refuses_unstacked_networks():
    plain = keras_gan.networks.dcgan_generator(8, 28, 1, base_filters=4)
    with pytest.raises(ValueError, match="stacked on the channel"):
        keras_gan.CoGAN(plain, keras_gan.networks.dcgan_discriminator(28, 1, base_filters=4), 8)
    generator, _ = _pair()
    with pytest.raises(ValueError, match="one logit per domain"):
        keras_gan.CoGAN(generator, keras.Sequential([
            keras.Input((28, 28, 2)), keras.layers.Flatten(), keras.layers.Dense(1)]), 8)
