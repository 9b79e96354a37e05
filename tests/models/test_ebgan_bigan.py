import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import networks
from keras_gan.divergences import EnergyMargin
from keras_gan.models.ebgan import pulling_away
from tests.conftest import assert_resumes_exactly, assert_weights_close
from tests.models.test_distribution import one_and_two_replicas


def images(n=16, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")


def generator(latent_dim=4):
    return keras.Sequential([keras.Input((latent_dim,)), keras.layers.Dense(64, activation="tanh"),
                             keras.layers.Reshape((8, 8, 1))])


def small_ebgan(seed=1, pulling=0.1):
    inputs = keras.Input((8, 8, 1))
    embedding = keras.layers.Dense(6, name="embedding")(keras.layers.Flatten()(inputs))
    reconstruction = keras.layers.Reshape((8, 8, 1))(keras.layers.Dense(64, activation="tanh")(
        embedding))
    discriminator = keras.Model(inputs, [reconstruction, embedding])
    return keras_gan.EBGAN(generator(), discriminator, 4, pulling_away=pulling, seed=seed)


def small_bigan(seed=1):
    encoder = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                                keras.layers.Dense(4)])
    image = keras.Input((8, 8, 1))
    code = keras.Input((4,))
    joint = keras.layers.Concatenate()([keras.layers.Flatten()(image), code])
    discriminator = keras.Model([image, code], keras.layers.Dense(1)(
        keras.layers.Dense(8, activation="relu")(joint)))
    return keras_gan.BiGAN(generator(), encoder, discriminator, 4, seed=seed)


def test_pulling_away_and_margin_losses_match_their_formulas():
    s = np.random.default_rng(0).normal(size=(5, 3))
    expected = 0.0
    for i in range(5):
        for j in range(5):
            if i != j:
                expected += (s[i] @ s[j] / np.linalg.norm(s[i]) / np.linalg.norm(s[j])) ** 2
    assert float(pulling_away(s)) == pytest.approx(expected / 20, rel=1e-5)
    assert float(pulling_away(np.repeat(s[:1], 4, axis=0))) == pytest.approx(1.0, rel=1e-5)
    real_energy, fake_energy = np.array([0.2, 0.5]), np.array([0.3, 1.5, 0.9])
    loss = EnergyMargin(margin=1.0)
    d = loss.discriminator_loss(real_logits=-real_energy, fake_logits=-fake_energy)
    assert float(d) == pytest.approx(0.35 + np.mean([0.7, 0.0, 0.1]), rel=1e-6)
    assert float(loss.generator_loss(fake_logits=-fake_energy)) == pytest.approx(0.9, rel=1e-6)
    with pytest.raises(ValueError, match="margin"):
        EnergyMargin(0)


def test_ebgan_energy_is_the_reconstruction_error_and_it_trains(tmp_path):
    model = small_ebgan()
    x = images(4)
    reconstruction, _ = model.discriminator(x)
    energy = np.mean((np.asarray(reconstruction) - x) ** 2, axis=(1, 2, 3))
    np.testing.assert_allclose(np.asarray(model.discriminate(x))[:, 0], -energy, rtol=1e-5)
    model.compile(loss=EnergyMargin(0.5))
    history = model.fit(images(16), batch_size=8, epochs=1, verbose=0).history
    assert {"d_loss", "g_loss", "pulling_away"} <= set(history)
    assert all(np.isfinite(v[-1]) for v in history.values())
    model.save(tmp_path / "ebgan.keras")
    restored = keras.models.load_model(tmp_path / "ebgan.keras")
    assert restored.pulling_away == 0.1 and restored.loss_fn.margin == 0.5
    np.testing.assert_allclose(restored.generate(4, seed=0), model.generate(4, seed=0), atol=1e-6)


def test_ebgan_builder_and_errors():
    d = networks.ebgan_discriminator(28, 1, base_filters=4, embedding_dim=8)
    reconstruction, embedding = d(np.zeros((2, 28, 28, 1), "float32"))
    assert reconstruction.shape == (2, 28, 28, 1) and embedding.shape == (2, 8)
    plain = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"\[reconstruction, embedding\]"):
        keras_gan.EBGAN(generator(), plain, 4)


def test_bigan_trains_encodes_reconstructs_and_resumes(tmp_path):
    x = images(16)
    model = small_bigan()
    model.compile()
    encoder_before = [w.numpy().copy() for w in model.encoder.weights]
    history = model.fit(x, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    assert all(np.isfinite(v[-1]) for v in history.values())
    assert any(np.abs(a.numpy() - b).max() > 0 for a, b in zip(model.encoder.weights,
                                                                encoder_before))
    assert model.encode(x[:3]).shape == (3, 4)
    np.testing.assert_allclose(model.reconstruct(x[:3]),
                               model.generate(latents=model.encode(x[:3])), atol=1e-6)
    assert_resumes_exactly(small_bigan, x, tmp_path / "bigan.keras")


def test_bigan_two_replicas_equal_one_device():
    (single, _), (mirrored, _) = one_and_two_replicas(
        small_bigan, images(16), lambda: {"d_optimizer": keras.optimizers.Adam(1e-3),
                                          "g_optimizer": keras.optimizers.Adam(1e-3)})
    assert_weights_close(mirrored.weights, single.weights, atol=1e-5)


def test_bigan_builders_and_errors():
    d = networks.bigan_discriminator(28, 1, latent_dim=6, base_filters=4, hidden=8)
    encoder = networks.conv_encoder(28, 1, latent_dim=6, base_filters=4, gaussian=False)
    model = keras_gan.BiGAN(networks.conv_decoder(6, 28, 1, base_filters=4,
                                                  output_activation="tanh"), encoder, d, 6)
    assert model.discriminate(np.zeros((2, 28, 28, 1), "float32")).shape == (2, 1)
    with pytest.raises(ValueError, match=r"codes of shape \(6,\)"):
        keras_gan.BiGAN(networks.conv_decoder(6, 28, 1, base_filters=4),
                        networks.conv_encoder(28, 1, latent_dim=6, base_filters=4), d, 6)
    with pytest.raises(ValueError, match="pairs"):
        model.compile(penalties=["gp"])
