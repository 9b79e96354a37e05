import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import regularizers

W = np.array([0.6, -0.3, 1.2], dtype="float32")


def linear_critic(x):
    # Gradient w.r.t. every input is W, whatever the point.
    return tf.reduce_sum(tf.cast(x, tf.float32) * W, axis=-1)


def f(x):
    return float(keras.ops.convert_to_numpy(x))


def test_gradient_penalty_of_linear_critic():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(5, 3)).astype("float32")
    fake = rng.normal(size=(5, 3)).astype("float32")
    expected = (np.linalg.norm(W) - 1.0) ** 2
    assert f(regularizers.gradient_penalty(linear_critic, real, fake)) == pytest.approx(expected, rel=1e-5)
    alpha = np.linspace(0, 1, 5).astype("float32")
    assert f(regularizers.gradient_penalty(linear_critic, real, fake, alpha)) == pytest.approx(
        expected, rel=1e-5)
    assert f(regularizers.GradientPenalty(weight=10.0)(linear_critic, real=real, fake=fake)) == (
        pytest.approx(expected, rel=1e-5))


def test_one_sided_gradient_penalty():
    real = np.zeros((2, 3), "float32")
    small = lambda x: 0.5 * linear_critic(x)  # noqa: E731
    norm = 0.5 * np.linalg.norm(W)
    assert norm < 1.0
    assert f(regularizers.gradient_penalty(small, real, real, one_sided=True)) == pytest.approx(0.0, abs=1e-7)
    assert f(regularizers.gradient_penalty(small, real, real)) == pytest.approx((norm - 1) ** 2, rel=1e-5)


def test_gradient_penalty_interpolates_per_sample():
    # Critic x^2 summed: gradient 2 x_hat, so the penalty depends on alpha.
    critic = lambda x: tf.reduce_sum(tf.square(x), axis=-1)  # noqa: E731
    real = np.array([[1.0, 0.0], [0.0, 2.0]], "float32")
    fake = np.zeros_like(real)
    alpha = np.array([0.5, 0.25], "float32")
    norms = 2 * np.linalg.norm(alpha[:, None] * real, axis=1)
    expected = np.mean((norms - 1) ** 2)
    assert f(regularizers.gradient_penalty(critic, real, fake, alpha)) == pytest.approx(expected, rel=1e-5)


def test_gradient_penalty_is_finite_for_zero_gradients():
    # A critic whose weights are all zero has zero input gradients; without an
    # epsilon inside the square root the weight gradient would be 0/0 = NaN.
    v = tf.Variable(np.zeros(3, "float32"))
    critic = lambda x: tf.reduce_sum(v * x, axis=-1)  # noqa: E731
    x = np.ones((2, 3), "float32")
    with tf.GradientTape() as tape:
        value = regularizers.gradient_penalty(critic, x, x)
    grad = tape.gradient(value, v)
    assert f(value) == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.isfinite(grad.numpy()))


def test_r1_and_r2_of_linear_critic():
    x = np.random.default_rng(1).normal(size=(4, 3)).astype("float32")
    expected = float(np.sum(W**2))
    assert f(regularizers.r1_penalty(linear_critic, x)) == pytest.approx(expected, rel=1e-6)
    assert f(regularizers.r2_penalty(linear_critic, x)) == pytest.approx(expected, rel=1e-6)
    assert f(regularizers.R1Penalty()(linear_critic, real=x, fake=None)) == pytest.approx(expected, rel=1e-6)
    assert f(regularizers.R2Penalty()(linear_critic, real=None, fake=x)) == pytest.approx(expected, rel=1e-6)


def test_r1_on_images_of_a_conv_critic_matches_autodiff_by_hand():
    critic = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten(),
                               keras.layers.Dense(1)])
    x = tf.constant(np.random.default_rng(2).normal(size=(3, 4, 4, 1)).astype("float32"))
    grads = []
    for i in range(3):  # one sample at a time: no reliance on summing over the batch
        xi = x[i : i + 1]
        with tf.GradientTape() as tape:
            tape.watch(xi)
            out = critic(xi)
        grads.append(np.sum(tape.gradient(out, xi).numpy() ** 2))
    assert f(regularizers.r1_penalty(critic, x)) == pytest.approx(np.mean(grads), rel=1e-5)


def test_dragan_penalty_of_linear_critic():
    x = np.random.default_rng(3).normal(size=(6, 3)).astype("float32")
    expected = (np.linalg.norm(W) - 1.0) ** 2
    assert f(regularizers.dragan_penalty(linear_critic, x)) == pytest.approx(expected, rel=1e-5)
    assert f(regularizers.DRAGANPenalty()(linear_critic, real=x, fake=None)) == pytest.approx(
        expected, rel=1e-5)


def test_dragan_perturbation_scale():
    # Critic sum(x^2): gradient 2 x_hat, x_hat = x + alpha * c * std(x) * u.
    critic = lambda x: tf.reduce_sum(tf.square(x), axis=-1)  # noqa: E731
    x = np.array([[1.0, -1.0], [3.0, 1.0]], "float32")
    u = np.array([[0.5, 0.2], [0.1, 0.9]], "float32")
    alpha = np.array([1.0, 0.5], "float32")
    x_hat = x + alpha[:, None] * 0.5 * x.std() * u
    expected = np.mean((np.linalg.norm(2 * x_hat, axis=1) - 1) ** 2)
    got = regularizers.dragan_penalty(critic, x, u, alpha, scale=0.5)
    assert f(got) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    "penalty",
    [regularizers.GradientPenalty(5.0, target=0.5, one_sided=True, interval=2),
     regularizers.R1Penalty(0.1, interval=16), regularizers.R2Penalty(1.0),
     regularizers.DRAGANPenalty(10.0, scale=0.3, name="dr")],
)
def test_penalty_serialization(penalty):
    restored = regularizers.get(keras.saving.serialize_keras_object(penalty))
    assert type(restored) is type(penalty) and restored.get_config() == penalty.get_config()


def test_penalty_argument_checks():
    with pytest.raises(ValueError, match="interval"):
        regularizers.R1Penalty(interval=0)
    with pytest.raises(ValueError, match="weight"):
        regularizers.GradientPenalty(weight=-1.0)
    with pytest.raises(ValueError, match="Did you mean 'dragan'"):
        regularizers.get("dragn")
    assert isinstance(regularizers.get("gp"), regularizers.GradientPenalty)
