"""Data-efficient training: DiffAugment, ADA, LeCam, consistency regularization, top-k.

The transforms are checked against NumPy, the ADA, LeCam and top-k rules
against their published formulas computed here, and the training options
for exact resume, XLA and mixed precision (two replicas: test_distribution.py).
"""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import augment, regularizers
from tests.conftest import assert_weights_close, ring_points, tiny_image_gan, tiny_mlp_gan


def _uniform_noise(values):
    """A `noise(kind, shape)` returning the given arrays in order."""
    queue = [np.asarray(v, np.float32) for v in values]

    def noise(kind, sample_shape):
        value = queue.pop(0)
        assert value.shape[1:] == tuple(sample_shape), (value.shape, sample_shape)
        return tf.constant(value)

    return noise


def _batch(n=3, size=8, channels=1, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype("float32")


# --- the transforms -------------------------------------------------------------------


def test_translate_moves_pixels_with_zero_or_reflected_borders():
    x = _batch(3, 6, 2)
    shifts = np.array([[1, 2], [0, 0], [-2, 3]], np.int32)
    zeros = augment.translate(tf.constant(x), tf.constant(shifts), mode="zeros").numpy()
    reflect = augment.translate(tf.constant(x), tf.constant(shifts), mode="reflect").numpy()
    for i, (dy, dx) in enumerate(shifts):
        padded = np.pad(x[i], ((6, 6), (6, 6), (0, 0)))
        np.testing.assert_array_equal(zeros[i], padded[6 - dy:12 - dy, 6 - dx:12 - dx])
        mirrored = np.pad(x[i], ((6, 6), (6, 6), (0, 0)), mode="reflect")
        np.testing.assert_array_equal(reflect[i], mirrored[6 - dy:12 - dy, 6 - dx:12 - dx])
    with pytest.raises(ValueError, match="'zeros' or 'reflect'"):
        augment.translate(tf.constant(x), tf.constant(shifts), mode="wrap")


def test_cutout_zeroes_the_papers_square():
    x = np.ones((2, 8, 8, 1), np.float32)
    # DiffAugment: offset floor(u * (8 + 1 - 0)) = 4 and 0, square of 4 from offset - 2.
    out = augment.cutout(tf.constant(x), tf.constant([[0.5, 0.0], [0.99, 0.5]]), 0.5).numpy()
    expected = np.ones_like(x)
    expected[0, 2:6, 0:2] = 0  # rows 2..5, columns -2..1 clipped
    expected[1, 6:8, 2:6] = 0  # rows 8 - 2 = 6.., columns 2..5
    np.testing.assert_array_equal(out, expected)
    # ADA: centred at u * side, only where the mask says so.
    out = augment.cutout(tf.constant(x), tf.constant([[0.5, 0.5], [0.5, 0.5]]), 0.5,
                         mask=tf.constant([[True], [False]]), centred=True).numpy()
    expected = np.ones_like(x)
    expected[0, 2:6, 2:6] = 0
    np.testing.assert_array_equal(out, expected)


def test_diffaugment_is_the_authors_pipeline():
    x = _batch(2, 8, 3)
    color = np.array([[0.1, 0.7, 0.2], [0.9, 0.0, 1.0]], np.float32)
    position = np.array([[0.0, 0.0], [0.5, 0.5]], np.float32)  # shift -1 px and 0 px (+-1 allowed)
    cut = np.array([[0.99, 0.99], [0.0, 0.0]], np.float32)
    out = augment.DiffAugment()(tf.constant(x), _uniform_noise([color, position, cut])).numpy()
    expected = []
    for i in range(2):
        y = x[i] + (color[i, 0] - 0.5)
        mean = y.mean(axis=2, keepdims=True)
        y = (y - mean) * (color[i, 1] * 2) + mean
        y = (y - y.mean()) * (color[i, 2] + 0.5) + y.mean()
        shift = np.floor(position[i] * 3).astype(int) - 1
        y = np.pad(y, ((1, 1), (1, 1), (0, 0)))[1 - shift[0]:9 - shift[0], 1 - shift[1]:9 - shift[1]]
        offset = np.floor(cut[i] * 9).astype(int) - 2
        y = y.copy()
        y[max(offset[0], 0):offset[0] + 4, max(offset[1], 0):offset[1] + 4] = 0
        expected.append(y)
    np.testing.assert_allclose(out, np.stack(expected), atol=1e-6)


def test_ada_transforms_at_p_0_and_1():
    x = _batch(4, 6, 3)
    ada = augment.AdaptiveAugment()
    rng = np.random.default_rng(1)
    draws = lambda: [rng.uniform(size=(4,) + s) for s in  # noqa: E731
                     [(1,), (1,), (1,), (2,), (1,), (3,), (3,), (2,), (1,)]]
    same = ada(tf.constant(x), _uniform_noise(draws()), 0.0).numpy()
    np.testing.assert_allclose(same, x, atol=1e-6)
    flip = augment.AdaptiveAugment(transforms="xflip")
    np.testing.assert_array_equal(flip(tf.constant(x), _uniform_noise([np.zeros((4, 1))]), 1.0),
                                  x[:, :, ::-1])
    rotate = augment.AdaptiveAugment(transforms="rotate90")
    k = np.array([[0.1], [0.3], [0.6], [0.9]])  # 0, 1, 2 and 3 quarter turns
    out = rotate(tf.constant(x), _uniform_noise([k, np.zeros((4, 1))]), 1.0).numpy()
    for i in range(4):
        np.testing.assert_array_equal(out[i], np.rot90(x[i], i, axes=(0, 1)))
    with pytest.raises(ValueError, match="square images"):
        rotate(tf.zeros((2, 4, 6, 1)), _uniform_noise([]), 1.0)


@pytest.mark.parametrize("policy", [augment.DiffAugment(), augment.AdaptiveAugment()])
def test_augmentation_is_differentiable_in_the_images(policy):
    x = tf.constant(_batch(4, 8, 3))
    rng = np.random.default_rng(0)
    noise = lambda kind, shape: tf.constant(rng.uniform(size=(4,) + shape), tf.float32)  # noqa: E731
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(tf.square(policy(x, noise, 1.0)))
    grads = tape.gradient(total, x)
    assert grads is not None and np.all(np.isfinite(grads)) and np.abs(grads).sum() > 0


def test_augment_options_are_checked_and_serialized():
    assert augment.get(None) is None and augment.get(False) is None
    assert augment.get("ada") == augment.AdaptiveAugment()
    assert augment.get("translation") == augment.DiffAugment("translation")
    config = keras.saving.serialize_keras_object(augment.AdaptiveAugment(kimg=20, fixed_p=0.3))
    assert augment.get(config) == augment.AdaptiveAugment(kimg=20, fixed_p=0.3)
    for bad, match in [("colour", "comma-separated"), ("color,color", "distinct"), (3, "not understood")]:
        with pytest.raises(ValueError, match=match):
            augment.get(bad)
    with pytest.raises(ValueError, match="0 < target < 1"):
        augment.AdaptiveAugment(target=1.5)


# --- the rules that steer and regularize ----------------------------------------------


class _Step:
    def __init__(self, batch_size, counter=0):
        self.batch_size, self.counter = tf.constant(batch_size), tf.constant(counter, tf.int64)


def test_ada_adjusts_p_by_the_published_rule():
    gan = tiny_image_gan(batchnorm=False)
    ada = augment.AdaptiveAugment(target=0.6, kimg=0.08, interval=2, initial_p=0.5)
    gan.compile(augment=ada)
    p, signs, count = 0.5, 0.0, 0
    rng = np.random.default_rng(0)
    for update in range(1, 9):
        logits = rng.normal(0.3, 1.0, (4, 1)).astype("float32")
        got = float(gan._adapt_augment(tf.constant(logits), _Step(4)))
        signs, count = signs + np.sign(logits).sum(), count + 4
        if update % 2 == 0:  # p += sign(r_t - target) * batch * interval / (kimg * 1000)
            p = float(np.clip(p + np.sign(signs / count - 0.6) * 4 * 2 / 80.0, 0, 1))
            signs, count = 0.0, 0
        assert got == pytest.approx(p, abs=1e-6)
    assert gan.training_state.means["augment_p"].numpy() == pytest.approx(p)
    fixed = tiny_image_gan(batchnorm=False)
    fixed.compile(augment=augment.AdaptiveAugment(fixed_p=0.25))
    assert float(fixed._adapt_augment(tf.ones((4, 1)), _Step(4))) == 0.0  # not steered


def test_lecam_is_the_authors_regularizer():
    gan = tiny_image_gan(batchnorm=False)
    gan.compile(lecam=0.3)
    rng = np.random.default_rng(0)
    ema_real = ema_fake = None
    for _ in range(3):
        real, fake = rng.normal(1, 1, (5, 1)), rng.normal(-1, 1, (5, 1))
        value = float(gan._lecam(tf.constant(real, tf.float32), tf.constant(fake, tf.float32)))
        ema_real = real.mean() if ema_real is None else 0.99 * ema_real + 0.01 * real.mean()
        ema_fake = fake.mean() if ema_fake is None else 0.99 * ema_fake + 0.01 * fake.mean()
        expected = (np.mean(np.maximum(real - ema_fake, 0) ** 2)
                    + np.mean(np.maximum(ema_real - fake, 0) ** 2))
        assert value == pytest.approx(expected, rel=1e-5)
    assert gan.training_state.means["lecam_real"].numpy() == pytest.approx(ema_real, rel=1e-5)


@pytest.mark.parametrize("loss", ["non_saturating", "hinge", "least_squares"])
def test_top_k_keeps_the_highest_scored_fakes(loss):
    gan = tiny_image_gan(batchnorm=False)
    gan.compile(loss=loss, top_k={"fraction": 0.25, "decay": 0.5, "every": 10})
    fake = np.array([[0.3], [-1.0], [2.0], [0.1], [-0.2], [1.5], [0.0], [-3.0]], np.float32)
    real = np.linspace(-1, 1, 8, dtype=np.float32)[:, None]
    for counter, k in [(0, 8), (10, 4), (25, 2), (100, 2)]:  # max(0.5^(t//10) * 8, 0.25 * 8)
        value, kept = gan._top_k_loss(tf.constant(fake), tf.constant(real), _Step(8, counter))
        top = np.sort(fake[:, 0])[::-1][:k][:, None]
        expected = float(gan.generator_loss(fake_logits=tf.constant(top), real_logits=tf.constant(real)))
        assert float(kept) == k
        assert float(value) == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="top_k"):
        gan.compile(top_k=1.5)
    with pytest.raises(ValueError, match="top_k needs a generator loss"):
        gan.compile(top_k=0.5, loss="relativistic_average")


def test_consistency_penalty_matches_numpy():
    weights = np.random.default_rng(0).normal(size=(8, 8, 1)).astype("float32")
    critic = lambda x: tf.reduce_sum(x * weights, axis=[1, 2, 3])[:, None]  # noqa: E731
    real, fake = _batch(2, 8, 1, seed=1), _batch(2, 8, 1, seed=2)
    shift = np.array([[0.0, 0.99], [0.5, 0.2]], np.float32)  # (dy, dx) = (-1, 1), (0, -1)
    flip = np.array([[0.2], [0.8]], np.float32)              # the first image flipped
    bcr = regularizers.get("bcr")
    assert (bcr.name, bcr.fake_weight) == ("bcr", 1.0) and regularizers.get("cr").name == "cr"
    value = float(bcr(critic, real=real, fake=fake, noise=_uniform_noise([shift, flip, shift, flip])))

    def term(x):
        moved = []
        for i in range(2):
            dy, dx = np.floor(shift[i] * 3).astype(int) - 1
            y = np.pad(x[i], ((8, 8), (8, 8), (0, 0)), mode="reflect")[8 - dy:16 - dy, 8 - dx:16 - dx]
            moved.append(y[:, ::-1] if flip[i, 0] < 0.5 else y)
        d = (x * weights).sum(axis=(1, 2, 3)) - (np.stack(moved) * weights).sum(axis=(1, 2, 3))
        return np.mean(d ** 2)

    assert value == pytest.approx(term(real) + term(fake), rel=1e-4)
    assert regularizers.get(keras.saving.serialize_keras_object(bcr)).get_config() == bcr.get_config()
    with pytest.raises(ValueError, match="transforms"):
        regularizers.ConsistencyPenalty(transforms="rotate")


# --- training with the options -----------------------------------------------------------

EVERYTHING = dict(augment=augment.AdaptiveAugment(kimg=0.08, interval=1, initial_p=0.5), lecam=0.3,
                  top_k={"fraction": 0.5, "every": 1}, penalties=["bcr", "r1"])


def small_conv_gan(seed=1):
    """A GAN on 8x8 images with two small convolutional networks (no batch
    statistics): cheap to compile with every option on."""
    generator = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(8 * 8 * 2), keras.layers.Reshape((8, 8, 2)),
        keras.layers.Conv2D(1, 3, padding="same", activation="tanh")])
    discriminator = keras.Sequential([
        keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, strides=2, padding="same"),
        keras.layers.LeakyReLU(0.2), keras.layers.Flatten(), keras.layers.Dense(1)])
    return keras_gan.GAN(generator, discriminator, 4, seed=seed)


def small_images(n=16):
    return np.random.default_rng(0).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")


def _fit(gan, epochs, x):
    return gan.fit(x, batch_size=8, epochs=epochs, verbose=0, shuffle=False)


def test_every_option_trains_and_resumes_exactly(tmp_path):
    x = small_images()
    uninterrupted = small_conv_gan()
    initial = [w.numpy().copy() for w in uninterrupted.weights]
    uninterrupted.compile(**EVERYTHING)
    history = _fit(uninterrupted, 4, x)
    for name in ("augment_p", "lecam", "top_k", "bcr", "r1"):
        assert name in history.history and all(map(math.isfinite, history.history[name]))
    assert len(set(history.history["augment_p"])) > 1  # steered, by 0.1 per step
    assert history.history["top_k"][0] < 8  # decays from the batch every step

    first = small_conv_gan()
    first.set_weights(initial)
    first.compile(**EVERYTHING)
    _fit(first, 2, x)
    first.save(tmp_path / "gan.keras")
    restored = keras.models.load_model(tmp_path / "gan.keras")
    for name, value in first.training_state.means.items():
        assert restored.training_state.means[name].numpy() == value.numpy(), name
    assert restored.augment == EVERYTHING["augment"] and restored.top_k["fraction"] == 0.5
    _fit(restored, 2, x)
    assert_weights_close(restored.weights, uninterrupted.weights, atol=1e-6)


def test_xla_step_with_augmentation_matches_graph_mode(monkeypatch):
    from tests.models.test_gan import _fixed_noise

    monkeypatch.setattr(keras_gan._replicas, "draw_global_slice", _fixed_noise)
    results, initial = [], None
    for jit in (False, True):
        gan = small_conv_gan()
        initial = initial or [w.numpy() for w in gan.weights]
        gan.set_weights(initial)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.05), g_optimizer=keras.optimizers.SGD(0.05),
                    jit_compile=jit, **{**EVERYTHING, "augment": "color,translation,cutout"})
        _fit(gan, 1, small_images())
        results.append([w.numpy() for w in gan.weights])
    assert_weights_close(results[0], results[1], atol=1e-5)


def test_mixed_precision_with_augmentation():
    keras.mixed_precision.set_global_policy("mixed_float16")
    gan = small_conv_gan()
    gan.compile(augment="ada", lecam=0.1, penalties=["r1"])
    history = _fit(gan, 1, small_images())
    assert all(math.isfinite(v[-1]) for v in history.history.values())


def test_augment_needs_images_and_options_are_checked():
    gan = tiny_mlp_gan()
    gan.compile(augment="translation")
    with pytest.raises(ValueError, match="augments image batches"):
        gan.fit(ring_points(8), batch_size=4, epochs=1, verbose=0)
    for option, value in [("lecam", -1.0), ("lecam", "big"), ("top_k", {"fraction": 0.5, "size": 2}),
                          ("top_k", 0)]:
        with pytest.raises(ValueError, match=option):
            tiny_mlp_gan().compile(**{option: value})


def test_run_configuration_takes_the_options():
    from keras_gan import runs
    from keras_gan.runs.config import RunError
    from keras_gan.runs.kinds import base

    config = runs.resolve_config("dcgan_mnist", ['augment={"name": "ada", "kimg": 20}',
                                                 "lecam=0.3", "top_k=0.5", 'penalties=["bcr"]'])
    assert base.augment(config) == augment.AdaptiveAugment(kimg=20)
    assert (config["lecam"], config["top_k"]) == (0.3, 0.5)
    assert [p.name for p in base.penalties(config)] == ["bcr"]
    assert base.augment({"augment": "translation"}) == "translation"
    with pytest.raises(RunError, match="name 'ada' or 'diffaugment'"):
        base.augment({"augment": {"name": "flip"}})
    with pytest.raises(RunError, match="kimg > 0"):
        base.augment({"augment": {"name": "ada", "kimg": -1}})
