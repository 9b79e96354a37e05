import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import integrate, stats

import keras_gan
from keras_gan.models.vae import gaussian_kl
from tests.conftest import assert_resumes_exactly, assert_weights_close
from tests.models.test_distribution import one_and_two_replicas

LATENT = 3


def images(n=16, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")


def networks(split_output=True, decoder_activation=None):
    inputs = keras.Input((8, 8, 1))
    hidden = keras.layers.Dense(16, activation="relu")(keras.layers.Flatten()(inputs))
    if split_output:
        outputs = [keras.layers.Dense(LATENT, name="mean")(hidden),
                   keras.layers.Dense(LATENT, name="log_var")(hidden)]
    else:
        outputs = keras.layers.Dense(2 * LATENT)(hidden)
    encoder = keras.Model(inputs, outputs, name="encoder")
    decoder = keras.Sequential([
        keras.Input((LATENT,)), keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(64, activation=decoder_activation), keras.layers.Reshape((8, 8, 1))],
        name="decoder")
    return encoder, decoder


def small_vae(seed=1, **kwargs):
    return keras_gan.VAE(*networks(), latent_dim=LATENT, seed=seed, **kwargs)


def small_vaegan(seed=1):
    encoder, decoder = networks(decoder_activation="tanh")
    inputs = keras.Input((8, 8, 1))
    features = keras.layers.Dense(8, activation="relu", name="features")(
        keras.layers.Flatten()(inputs))
    discriminator = keras.Model(inputs, keras.layers.Dense(1)(features))
    return keras_gan.VAEGAN(encoder, decoder, discriminator, latent_dim=LATENT, seed=seed)


def test_gaussian_kl_matches_numerical_integration():
    mean = np.array([[0.3, -1.2], [0.0, 0.8]])
    log_var = np.array([[-0.5, 0.4], [0.0, -1.5]])
    expected = []
    for m_row, lv_row in zip(mean, log_var):
        total = 0.0
        for m, lv in zip(m_row, lv_row):
            q = stats.norm(m, np.exp(0.5 * lv))
            total += integrate.quad(lambda z: q.pdf(z) * (q.logpdf(z) - stats.norm.logpdf(z)),
                                    -12, 12)[0]
        expected.append(total)
    np.testing.assert_allclose(gaussian_kl(mean, log_var).numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_reconstruction_loss_is_the_negative_log_likelihood(likelihood):
    vae = small_vae(likelihood=likelihood, gaussian_scale=0.3)
    x = images(2)
    outputs = np.random.default_rng(1).normal(size=x.shape).astype("float32")
    if likelihood == "bernoulli":
        p = 1 / (1 + np.exp(-outputs.astype("float64")))
        target = (x + 1) / 2
        expected = -np.sum(target * np.log(p) + (1 - target) * np.log(1 - p), axis=(1, 2, 3))
    else:
        expected = -np.sum(stats.norm.logpdf(x, outputs, 0.3), axis=(1, 2, 3))
    np.testing.assert_allclose(vae.reconstruction_loss(x, outputs).numpy(), expected, rtol=1e-5)


def test_logged_terms_are_the_elbo_of_the_first_step():
    vae = small_vae(beta=2.0)
    vae.compile(optimizer=keras.optimizers.SGD(0.0))  # no update: one step's values
    logs = vae.fit(images(8), batch_size=8, epochs=1, verbose=0).history
    assert logs["elbo"][0] == pytest.approx(-(logs["reconstruction"][0] + logs["kl"][0]), rel=1e-5)
    assert logs["vae_loss"][0] == pytest.approx(logs["reconstruction"][0] + 2 * logs["kl"][0],
                                                rel=1e-5)
    assert logs["kl"][0] > 0 and np.isfinite(logs["vae_grad_norm"][0])


def test_training_raises_the_elbo_and_reconstructs():
    x = np.repeat(images(4), 8, axis=0)
    vae = small_vae()
    vae.compile(optimizer=keras.optimizers.Adam(3e-3))
    before = vae.evaluate(x, batch_size=16, verbose=0, return_dict=True)
    history = vae.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=60, verbose=0)
    after = vae.evaluate(x, batch_size=16, verbose=0, return_dict=True)
    assert after["elbo"] > before["elbo"] + 3.0, (before, after)
    assert history.history["reconstruction"][-1] < history.history["reconstruction"][0]
    reconstructions = vae.reconstruct(x[:4])
    assert reconstructions.shape == x[:4].shape and np.all(np.abs(reconstructions) <= 1)
    mean, log_var = vae.encode(x[:4])
    assert mean.shape == log_var.shape == (4, LATENT)
    samples = vae.generate(5, seed=0)
    assert samples.shape == (5, 8, 8, 1)
    np.testing.assert_allclose(vae.generate(5, seed=0), samples)


def test_single_output_encoder_and_gaussian_likelihood():
    vae = keras_gan.VAE(*networks(split_output=False, decoder_activation="tanh"),
                        latent_dim=LATENT, likelihood="gaussian", seed=0)
    vae.compile()
    history = vae.fit(images(16), batch_size=8, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values())


def test_save_load_and_exact_resume(tmp_path):
    first, restored = assert_resumes_exactly(small_vae, images(16), tmp_path / "vae.keras")
    assert isinstance(restored, keras_gan.VAE) and restored.beta == 1.0


def test_two_replicas_equal_one_device():
    (single, single_logs), (mirrored, mirrored_logs) = one_and_two_replicas(
        small_vae, images(16), lambda: {"optimizer": keras.optimizers.Adam(1e-3)})
    assert_weights_close(mirrored.weights, single.weights, atol=1e-5)
    np.testing.assert_allclose(mirrored_logs["vae_loss"], single_logs["vae_loss"], rtol=1e-4)


def test_bad_networks_and_options_fail_clearly():
    encoder, decoder = networks()
    with pytest.raises(ValueError, match=r"\[mean, log_var\] of width latent_dim=4"):
        keras_gan.VAE(encoder, keras.Sequential([keras.Input((4,)), keras.layers.Dense(64),
                                                 keras.layers.Reshape((8, 8, 1))]), latent_dim=4)
    with pytest.raises(ValueError, match="likelihood"):
        keras_gan.VAE(encoder, decoder, LATENT, likelihood="poisson")
    with pytest.raises(ValueError, match="beta"):
        keras_gan.VAE(encoder, decoder, LATENT, beta=-1)
    with pytest.raises(TypeError, match="no option"):
        small_vae().compile(loss="hinge")
    with pytest.raises(ValueError, match="decoder produces"):
        vae = small_vae()
        vae.compile()
        vae.fit(np.zeros((4, 4, 4, 1), "float32"), batch_size=4, verbose=0)


def test_vaegan_routes_each_loss_to_its_network(tmp_path):
    model = small_vaegan()
    model.compile()
    assert [p.name for p in model._phases] == ["d", "e", "g"]
    before = {name: [w.numpy().copy() for w in getattr(model, name).trainable_weights]
              for name in ("encoder", "decoder", "discriminator")}
    history = model.fit(images(16), batch_size=8, epochs=1, verbose=0).history
    for key in ("d_loss", "e_loss", "g_loss", "kl", "feature_reconstruction"):
        assert np.isfinite(history[key][-1]), key
    for name, weights in before.items():
        after = getattr(model, name).trainable_weights
        assert any(np.abs(a.numpy() - b).max() > 0 for a, b in zip(after, weights)), name
    model.save(tmp_path / "vaegan.keras")
    restored = keras.models.load_model(tmp_path / "vaegan.keras")
    assert isinstance(restored, keras_gan.VAEGAN)
    np.testing.assert_allclose(restored.reconstruct(images(4)), model.reconstruct(images(4)),
                               atol=1e-6)
    with pytest.raises(TypeError, match="three networks"):
        model.compile(optimizer="adam")


def test_latent_refinement_needs_a_discriminator():
    with pytest.raises(ValueError, match="no adversarial discriminator"):
        small_vae().generate(2, refine_steps=3)
