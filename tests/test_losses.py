import keras
import numpy as np
import pytest

from keras_gan import losses

REAL = np.array([2.0, -1.0, 0.5, 3.0], dtype="float32")
FAKE = np.array([0.5, -3.0, 1.5, -0.25], dtype="float32")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x.astype("float64")))


def f(x):
    return float(keras.ops.convert_to_numpy(x))


# Independent references written with sigmoid and log, not softplus.
REFERENCES = {
    "minimax": (
        lambda r, g: -np.mean(np.log(sigmoid(r))) - np.mean(np.log(1 - sigmoid(g))),
        lambda r, g: np.mean(np.log(1 - sigmoid(g))),
    ),
    "non_saturating": (
        lambda r, g: -np.mean(np.log(sigmoid(r))) - np.mean(np.log(1 - sigmoid(g))),
        lambda r, g: -np.mean(np.log(sigmoid(g))),
    ),
    "wasserstein": (
        lambda r, g: np.mean(g) - np.mean(r),
        lambda r, g: -np.mean(g),
    ),
    "hinge": (
        lambda r, g: np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + g)),
        lambda r, g: -np.mean(g),
    ),
    "least_squares": (
        lambda r, g: 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(g**2),
        lambda r, g: 0.5 * np.mean((g - 1) ** 2),
    ),
    "relativistic_average": (
        lambda r, g: -np.mean(np.log(sigmoid(r - g.mean())))
        - np.mean(np.log(1 - sigmoid(g - r.mean()))),
        lambda r, g: -np.mean(np.log(sigmoid(g - r.mean())))
        - np.mean(np.log(1 - sigmoid(r - g.mean()))),
    ),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_family_matches_reference(name):
    d_ref, g_ref = REFERENCES[name]
    d_fn = getattr(losses, f"{name}_discriminator_loss")
    g_fn = getattr(losses, f"{name}_generator_loss")
    assert f(d_fn(real_logits=REAL, fake_logits=FAKE)) == pytest.approx(d_ref(REAL, FAKE), rel=1e-5)
    assert f(g_fn(fake_logits=FAKE, real_logits=REAL)) == pytest.approx(g_ref(REAL, FAKE), rel=1e-5)
    obj = losses.get(name)
    assert f(obj.discriminator_loss(real_logits=REAL, fake_logits=FAKE)) == pytest.approx(
        d_ref(REAL, FAKE), rel=1e-5)
    assert f(obj.generator_loss(fake_logits=FAKE, real_logits=REAL)) == pytest.approx(
        g_ref(REAL, FAKE), rel=1e-5)


def test_hand_computed_values():
    # At logits 0 every logistic term is log 2.
    zero = np.zeros(3, "float32")
    assert f(losses.non_saturating_discriminator_loss(real_logits=zero, fake_logits=zero)) == (
        pytest.approx(2 * np.log(2)))
    assert f(losses.minimax_generator_loss(fake_logits=zero)) == pytest.approx(-np.log(2))
    # Hinge: relu(1 - 2) + relu(1 + (-0.5)) = 0 + 0.5.
    assert f(losses.hinge_discriminator_loss(real_logits=[2.0], fake_logits=[-0.5])) == 0.5
    # Wasserstein: E[fake] - E[real] = 1 - 3.
    assert f(losses.wasserstein_discriminator_loss(real_logits=[3.0], fake_logits=[1.0])) == -2.0


@pytest.mark.parametrize("name", ["minimax", "non_saturating", "relativistic_average"])
def test_logistic_losses_are_stable_for_large_logits(name):
    big = np.array([200.0, -200.0], "float32")
    d = losses.get(name).discriminator_loss(real_logits=big, fake_logits=-big)
    g = losses.get(name).generator_loss(fake_logits=big, real_logits=big)
    assert np.isfinite(f(d)) and np.isfinite(f(g))
    # A confident correct discriminator on both halves: loss near 200 / 2 * 2.
    assert f(losses.non_saturating_discriminator_loss(
        real_logits=np.array([200.0], "float32"), fake_logits=np.array([-200.0], "float32"))) < 1e-6


def test_one_sided_label_smoothing():
    r = np.array([1.5], "float32")
    g = np.array([-0.5], "float32")
    s = 0.1
    expected = -(1 - s) * np.log(sigmoid(r)) - s * np.log(1 - sigmoid(r)) - np.log(1 - sigmoid(g))
    got = losses.NonSaturating(label_smoothing=s).discriminator_loss(real_logits=r, fake_logits=g)
    assert f(got) == pytest.approx(float(expected[0]), rel=1e-5)
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.NonSaturating(label_smoothing=1.0)


def test_least_squares_targets():
    loss = losses.LeastSquares(a=-1.0, b=1.0, c=0.0)
    got = loss.discriminator_loss(real_logits=REAL, fake_logits=FAKE)
    assert f(got) == pytest.approx(0.5 * np.mean((REAL - 1) ** 2) + 0.5 * np.mean((FAKE + 1) ** 2))
    assert f(loss.generator_loss(fake_logits=FAKE)) == pytest.approx(0.5 * np.mean(FAKE**2))
    with pytest.raises(ValueError, match="different targets"):
        losses.LeastSquares(a=1.0, b=1.0)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_any_logits_rank(name):
    rng = np.random.default_rng(0)
    real = rng.normal(size=(2, 3, 3, 1)).astype("float32")
    fake = rng.normal(size=(2, 3, 3, 1)).astype("float32")
    obj = losses.get(name)
    patch = obj.discriminator_loss(real_logits=real, fake_logits=fake)
    flat = obj.discriminator_loss(real_logits=real.ravel(), fake_logits=fake.ravel())
    assert f(patch) == pytest.approx(f(flat), rel=1e-6)


def test_logits_are_keyword_only():
    with pytest.raises(TypeError):
        losses.hinge_discriminator_loss(REAL, FAKE)


def test_relativistic_generator_needs_real_logits():
    assert losses.RelativisticAverage.generator_needs_real_logits
    with pytest.raises(ValueError, match="real_logits"):
        losses.relativistic_average_generator_loss(fake_logits=FAKE, real_logits=None)


@pytest.mark.parametrize(
    "obj",
    [losses.Minimax(0.1), losses.NonSaturating(0.2), losses.Wasserstein(), losses.Hinge(),
     losses.LeastSquares(-1.0, 1.0, 0.0), losses.RelativisticAverage(0.1)],
)
def test_serialization_round_trip(obj):
    config = keras.saving.serialize_keras_object(obj)
    restored = losses.get(config)
    assert type(restored) is type(obj)
    assert restored.get_config() == obj.get_config()


def test_unknown_name_suggests_close_matches():
    with pytest.raises(ValueError, match="Did you mean 'hinge'"):
        losses.get("hinje")
    with pytest.raises(TypeError, match="AdversarialLoss"):
        losses.get(3)
