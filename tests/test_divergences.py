import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import optimize, spatial, stats

import keras_gan
from keras_gan import divergences, losses

NAMES = sorted(divergences.F_DIVERGENCES)

# Two distributions on five points, in twentieths so that batches of 20
# samples represent them exactly.
P = np.array([2, 4, 6, 5, 3]) / 20.0
Q = np.array([6, 2, 4, 3, 5]) / 20.0

# Closed forms from SciPy and textbook definitions, not from the f table.
REFERENCE = {
    "kl": stats.entropy(P, Q),
    "reverse_kl": stats.entropy(Q, P),
    "jensen_shannon": 2.0 * spatial.distance.jensenshannon(P, Q) ** 2,
    "pearson": np.sum((P - Q) ** 2 / Q),
    "squared_hellinger": np.sum((np.sqrt(P) - np.sqrt(Q)) ** 2),
    "total_variation": 0.5 * np.sum(np.abs(P - Q)),
}

# The logits v with g_f(v) = T, solved by hand for each output activation.
INVERSE_ACTIVATION = {
    "kl": lambda t: t,
    "reverse_kl": lambda t: -np.log(-t),
    "jensen_shannon": lambda t: -np.log(np.exp(np.log(2.0) - t) - 1.0),
    "pearson": lambda t: t,
    "squared_hellinger": lambda t: -np.log(1.0 - t),
    # T* = +-1/2 is approached: tanh(arctanh(1 - 1e-12)) / 2.
    "total_variation": lambda t: np.arctanh(np.clip(2.0 * t, -1 + 1e-12, 1 - 1e-12)),
}


def numpy(x):
    return keras.ops.convert_to_numpy(x).astype("float64")


def batches(logits_per_point):
    """Real and fake logit batches that are P and Q exactly."""
    real = np.repeat(logits_per_point, (P * 20).astype(int))
    fake = np.repeat(logits_per_point, (Q * 20).astype(int))
    return real.astype("float32"), fake.astype("float32")


@pytest.mark.parametrize("name", NAMES)
def test_conjugate_of_the_activation_is_the_fenchel_conjugate(name):
    """f*(g_f(v)) as the loss computes it equals sup_u (u t - f(u)) found
    numerically, at t = g_f(v)."""
    table = divergences.F_DIVERGENCES[name]
    for v in (-1.5, -0.4, 0.3, 1.2):
        t = float(numpy(table["activation"](tf.constant(v))))

        def negative(s):  # u = exp(s) > 0, the domain of every f here
            u = np.exp(s)
            return -(u * t - table["f"](u))

        result = optimize.minimize_scalar(negative, bounds=(-25.0, 12.0), method="bounded",
                                          options={"xatol": 1e-10})
        stable = float(numpy(table["conjugate_of_activation"](tf.constant(v))))
        direct = float(numpy(table["conjugate"](tf.constant(t))))
        assert stable == pytest.approx(-result.fun, abs=2e-4), (name, v)
        assert direct == pytest.approx(stable, rel=1e-4, abs=1e-5), (name, v)


@pytest.mark.parametrize("name", NAMES)
def test_bound_is_tight_at_the_optimal_critic_and_lower_elsewhere(name):
    table = divergences.F_DIVERGENCES[name]
    loss = divergences.FDivergence(name)
    optimal = table["derivative"](P / Q)  # T*(x) = f'(p(x) / q(x))
    real, fake = batches(INVERSE_ACTIVATION[name](optimal))
    bound = float(numpy(loss.bound(real_logits=real, fake_logits=fake)))
    assert bound == pytest.approx(REFERENCE[name], rel=1e-4, abs=1e-6)
    assert float(numpy(loss.discriminator_loss(real_logits=real, fake_logits=fake))) \
        == pytest.approx(-bound, rel=1e-6)
    worse_real, worse_fake = batches(INVERSE_ACTIVATION[name](0.5 * optimal))
    worse = float(numpy(loss.bound(real_logits=worse_real, fake_logits=worse_fake)))
    assert worse < bound - 1e-3


@pytest.mark.parametrize("name", NAMES)
def test_generator_losses_and_large_logits_stay_finite(name):
    alternative = divergences.FDivergence(name)
    saddle = divergences.FDivergence(name, generator="bound")
    table = divergences.F_DIVERGENCES[name]
    fake = np.array([-0.7, 0.2, 1.1], "float32")
    assert float(numpy(alternative.generator_loss(fake_logits=fake))) == pytest.approx(
        -np.mean(numpy(table["activation"](tf.constant(fake)))), rel=1e-6)
    assert float(numpy(saddle.generator_loss(fake_logits=fake))) == pytest.approx(
        np.mean(numpy(table["conjugate_of_activation"](tf.constant(fake)))), rel=1e-6)
    large = tf.constant([-60.0, 60.0] if name not in ("kl", "squared_hellinger")
                        else [-60.0, 40.0])
    with tf.GradientTape() as tape:
        tape.watch(large)
        value = alternative.discriminator_loss(real_logits=large, fake_logits=large)
    assert np.isfinite(numpy(value)) and np.all(np.isfinite(numpy(tape.gradient(value, large))))


def test_names_serialization_and_errors():
    for name in NAMES:
        loss = losses.get(f"f_{name}")
        assert isinstance(loss, divergences.FDivergence) and loss.divergence == name
        restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(
            divergences.FDivergence(name, generator="bound")))
        assert restored.get_config() == {"divergence": name, "generator": "bound"}
    mmd = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(
        divergences.MMD("gaussian", scales=(1.0, 3.0))))
    assert (mmd.kernel, mmd.scales) == ("gaussian", (1.0, 3.0))
    with pytest.raises(ValueError, match="Unknown f-divergence 'chi'.*pearson"):
        divergences.FDivergence("chi")
    with pytest.raises(ValueError, match="generator="):
        divergences.FDivergence("kl", generator="minimax")
    with pytest.raises(ValueError, match="Did you mean 'f_kl'"):
        losses.get("f_kll")
    with pytest.raises(ValueError, match="kernel="):
        divergences.MMD("laplace")
    with pytest.raises(ValueError, match="scales="):
        divergences.MMD(scales=(1.0, -2.0))


def mmd_reference(x, y, kernel, scales):
    """Unbiased MMD^2 with explicit loops over pairs (Gretton et al. 2012, eq. 3)."""
    def k(a, b):
        d = np.sum((a - b) ** 2)
        if kernel == "gaussian":
            return sum(np.exp(-d / (2 * s * s)) for s in scales)
        return sum((1 + d / (2 * s)) ** -s for s in scales)

    n, m = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return xx + yy - 2 * xy


@pytest.mark.parametrize("kernel", ["rational_quadratic", "gaussian"])
def test_mmd_matches_the_pairwise_definition(kernel):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 3))
    y = rng.normal(0.5, 1.3, size=(9, 3))
    loss = divergences.MMD(kernel)
    expected = mmd_reference(x, y, kernel, loss.scales)
    value = float(numpy(divergences.mmd_squared(x, y, kernel, loss.scales)))
    assert value == pytest.approx(expected, rel=1e-4)
    assert float(numpy(loss.generator_loss(fake_logits=y, real_logits=x))) == pytest.approx(
        expected, rel=1e-4)
    assert float(numpy(loss.discriminator_loss(real_logits=x, fake_logits=y))) == pytest.approx(
        -expected, rel=1e-4)
    with pytest.raises(ValueError, match="real_logits"):
        loss.generator_loss(fake_logits=y)


def test_mmd_of_two_gaussians_matches_the_closed_form():
    """For N(mu_i, s^2 I) in d dimensions and k = exp(-|x - y|^2 / (2 sigma^2)),
    E k = (sigma^2 / (sigma^2 + 2 s^2))^(d/2) exp(-|mu_i - mu_j|^2 / (2 (sigma^2 + 2 s^2)))."""
    rng = np.random.default_rng(1)
    d, s, sigma, shift = 2, 0.7, 1.5, np.array([1.0, -0.5])
    x = rng.normal(0.0, s, size=(3000, d))
    y = rng.normal(0.0, s, size=(3000, d)) + shift
    c = sigma**2 + 2 * s**2
    expected = 2 * (sigma**2 / c) ** (d / 2) * (1 - np.exp(-shift @ shift / (2 * c)))
    value = float(numpy(divergences.mmd_squared(x, y, "gaussian", (sigma,))))
    assert value == pytest.approx(expected, abs=0.025)  # about 3 standard errors at n = 3000
    same = float(numpy(divergences.mmd_squared(x, rng.normal(0.0, s, (3000, d)), "gaussian",
                                               (sigma,))))
    assert abs(same) < 0.005


def test_witness_penalty_matches_a_linear_feature_critic():
    """With features h(x) = W x and one Gaussian kernel, the witness gradient
    at x is sum over real j of k(h, h_j) (h_j - h) W / sigma^2 / n minus the
    same over fakes; the penalty is E(||grad|| - 1)^2 at the interpolates."""
    rng = np.random.default_rng(2)
    w = rng.normal(size=(3, 2))
    real = rng.normal(size=(4, 3))
    fake = rng.normal(size=(4, 3)) + 1.0
    alpha = rng.uniform(size=4)
    sigma = 1.7
    penalty = divergences.MMDWitnessPenalty(weight=1.0, kernel="gaussian", scales=(sigma,))
    critic = lambda x: tf.matmul(tf.cast(x, tf.float32), tf.constant(w, tf.float32))  # noqa: E731
    value = float(numpy(penalty(critic, real=real, fake=fake,
                                noise=lambda kind, shape: tf.constant(alpha, tf.float32))))
    h_real, h_fake = real @ w, fake @ w
    expected = []
    for a, r, f in zip(alpha, real, fake):
        h = (a * r + (1 - a) * f) @ w

        def part(others):
            k = np.exp(-np.sum((others - h) ** 2, axis=1) / (2 * sigma**2))
            return (k[:, None] * (others - h)).mean(axis=0) / sigma**2

        grad = (part(h_real) - part(h_fake)) @ w.T
        expected.append((np.linalg.norm(grad) - 1) ** 2)
    assert value == pytest.approx(np.mean(expected), rel=1e-4)


@pytest.mark.parametrize("case", ["f_reverse_kl", "mmd"])
def test_one_fit_step_and_save_load(case, tmp_path):
    keras.utils.set_random_seed(0)
    generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(2)])
    width = 3 if case == "mmd" else 1
    discriminator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(width)])
    if case == "mmd":
        model = keras_gan.MMDGAN(generator, discriminator, latent_dim=4, seed=3)
        model.compile(d_steps=2)
    else:
        model = keras_gan.GAN(generator, discriminator, latent_dim=4, seed=3)
        model.compile(loss=case)
    data = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    history = model.fit(data, batch_size=16, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    if case == "mmd":
        assert "mmd_gp" in history.history and history.history["mmd_gp"][-1] > 0
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    latents = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(restored.generate(latents=latents), model.generate(latents=latents),
                               atol=1e-6)
    assert type(restored.loss_fn) is type(model.loss_fn)
    assert restored.loss_fn.get_config() == model.loss_fn.get_config()
