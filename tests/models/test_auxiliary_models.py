"""ACGAN, InfoGAN, the semi-supervised GAN and BigGAN on the shared engine."""

import math
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import networks
from tests.conftest import images, randomize_networks

LABELS = np.arange(16) % 10


def _acgan(num_classes=10, head=10):
    g = networks.dcgan_generator(8, 28, 1, base_filters=4, num_classes=num_classes)
    d = networks.dcgan_discriminator(28, 1, base_filters=4, auxiliary_units=head)
    return keras_gan.ACGAN(g, d, 8, num_classes, seed=1)


def _infogan(**kwargs):
    kwargs = {"noise_dim": 6, "categorical_codes": (10,), "continuous_codes": 2, **kwargs}
    width = sum(kwargs["categorical_codes"]) + kwargs["continuous_codes"]
    g = networks.dcgan_generator(kwargs["noise_dim"] + width, 28, 1, base_filters=4)
    d = networks.dcgan_discriminator(28, 1, base_filters=4, auxiliary_units=width)
    return keras_gan.InfoGAN(g, d, seed=1, **kwargs)


def _round_trip(model, path, latents, labels=None):
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    np.testing.assert_allclose(loaded.generate(latents=latents, labels=labels),
                               model.generate(latents=latents, labels=labels), atol=1e-6)
    return loaded


# --- ACGAN --------------------------------------------------------------------

def test_acgan_fits_arrays_and_datasets_logs_class_terms_and_round_trips(tmp_path):
    model = _acgan()
    model.compile()
    history = model.fit(images(16), LABELS, batch_size=8, epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    for key in ("d_class_loss", "g_class_loss", "real_accuracy"):
        assert np.isfinite(logs[key]), key
    # An untrained 10-class head: cross-entropy near log(10) for real and fake.
    assert 0.5 * math.log(10) < logs["d_class_loss"] / 2 < 2 * math.log(10)
    dataset = tf.data.Dataset.from_tensor_slices((images(16), LABELS)).batch(8)
    model.fit(dataset, epochs=1, verbose=0)
    z = model.sample_latents(4, seed=0).numpy()
    loaded = _round_trip(model, tmp_path / "acgan.keras", z, [0, 3, 3, 9])
    # Requested classes reach the generator: equal to calling it directly.
    direct = model.generator([z, np.array([0, 3, 3, 9], "int32")], training=False)
    np.testing.assert_allclose(loaded.generate(latents=z, labels=[0, 3, 3, 9]), direct, atol=1e-5)


def test_acgan_class_loss_is_the_cross_entropy_of_the_head():
    model = _acgan()
    logits = np.random.default_rng(0).normal(size=(6, 10)).astype("float32")
    labels = np.array([0, 1, 2, 3, 4, 5], "int32")
    losses, logs = model.discriminator_terms(real_aux=logits, fake_aux=logits, labels=labels,
                                             latents=None)
    log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    expected = -log_softmax[np.arange(6), labels].mean()
    np.testing.assert_allclose(float(losses["d_class_loss"]), 2 * expected, rtol=1e-5)
    np.testing.assert_allclose(float(logs["real_accuracy"]),
                               np.mean(logits.argmax(-1) == labels), rtol=1e-6)


def test_acgan_bad_input_is_refused():
    with pytest.raises(ValueError, match="class head has 7 outputs"):
        _acgan(head=7)
    with pytest.raises(ValueError, match=r"\[logits, class_logits\]"):
        keras_gan.ACGAN(networks.dcgan_generator(8, 28, 1, base_filters=4, num_classes=10),
                        networks.dcgan_discriminator(28, 1, base_filters=4), 8, 10)
    model = _acgan()
    model.compile()
    with pytest.raises(ValueError, match="trains on labelled data"):
        model.fit(images(8), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"class ids in \[0, 10\)"):
        model.fit(images(8), np.full(8, 10), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="pass `labels="):
        model.generate(2)


# --- InfoGAN ------------------------------------------------------------------

def test_information_term_equals_its_closed_form():
    model = _infogan(categorical_codes=(3, 4), continuous_codes=2)
    rng = np.random.default_rng(0)
    latents = model.latents_from(rng, 5)
    q = rng.normal(size=(5, 9)).astype("float32")
    loss, bound = model.information(q, latents)

    def cross_entropy(codes, logits):
        log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        return -(codes * log_softmax).sum(-1).mean()

    ce = cross_entropy(latents[:, 6:9], q[:, :3]) + cross_entropy(latents[:, 9:13], q[:, 3:7])
    squared = (0.5 * (latents[:, 13:] - q[:, 7:]) ** 2).sum(-1).mean()
    entropy = math.log(3) + math.log(4) + 2 * math.log(2)
    log_q = -ce - squared - math.log(2 * math.pi)
    np.testing.assert_allclose(float(bound), entropy + log_q, rtol=1e-5)
    np.testing.assert_allclose(float(loss), ce + squared, rtol=1e-5)
    # A Q that recovers the categorical codes exactly attains H(c) = log K;
    # a Q that ignores them (equal logits) has no information: 0.
    only_categorical = _infogan(categorical_codes=(10,), continuous_codes=0)
    codes = only_categorical.latents_from(rng, 8)
    _, perfect = only_categorical.information(60.0 * codes[:, 6:], codes)
    _, blind = only_categorical.information(np.zeros((8, 10), "float32"), codes)
    np.testing.assert_allclose(float(perfect), math.log(10), atol=1e-5)
    np.testing.assert_allclose(float(blind), 0.0, atol=1e-6)


def test_infogan_latents_hold_valid_codes():
    model = _infogan()
    noise = {"normal": tf.random.normal, "uniform": tf.random.uniform}
    latents = model.training_latents(lambda kind, shape: noise[kind]((64, *shape))).numpy()
    assert latents.shape == (64, model.latent_dim) == (64, 18)
    one_hot = latents[:, 6:16]
    np.testing.assert_array_equal(one_hot.sum(-1), 1.0)
    assert set(np.unique(one_hot)) == {0.0, 1.0}
    assert np.all(np.abs(latents[:, 16:]) <= 1.0)
    sampled = model.sample_latents(200, seed=0, truncation=0.5).numpy()
    assert np.abs(sampled[:, :6]).max() <= 0.5
    np.testing.assert_array_equal(sampled[:, 6:16].sum(-1), 1.0)


def test_infogan_fits_round_trips_and_writes_traversal_grids(tmp_path):
    model = _infogan()
    model.compile()
    grid = keras_gan.callbacks.SampleGrid(tmp_path / "grids", num_samples=4, traversal=True)
    history = model.fit(images(16), batch_size=8, epochs=1, verbose=0, callbacks=[grid])
    for key in ("d_info_loss", "g_info_loss", "mutual_information"):
        assert np.isfinite(history.history[key][-1]), key
    names = sorted(os.listdir(tmp_path / "grids"))
    assert names == ["epoch_0001.png", "epoch_0001_traversal_0.png",
                     "epoch_0001_traversal_1.png", "epoch_0001_traversal_2.png"]
    from PIL import Image

    from keras_gan.visualization import image_grid

    # 8 rows x 10 classes of 28x28 tiles for the categorical code.
    expected = image_grid(np.zeros((80, 28, 28, 1), "float32"), 10).shape[:2]
    png = Image.open(tmp_path / "grids" / "epoch_0001_traversal_0.png")
    assert png.size[::-1] == expected
    latents, columns = model.traversal_latents(2, num_rows=3, num_values=5)
    assert columns == 5 and latents.shape == (15, 18)
    rows = latents.reshape(3, 5, 18)
    # Within a row only the traversed code (the second continuous one) changes.
    np.testing.assert_array_equal(rows[:, :, :17], np.repeat(rows[:, :1, :17], 5, axis=1))
    np.testing.assert_allclose(rows[0, :, 17], np.linspace(-2, 2, 5))
    _round_trip(model, tmp_path / "infogan.keras", latents)


def test_infogan_bad_configuration_is_refused():
    with pytest.raises(ValueError, match="Q head has 12 outputs; the codes need 11"):
        keras_gan.InfoGAN(networks.dcgan_generator(17, 28, 1, base_filters=4),
                          networks.dcgan_discriminator(28, 1, base_filters=4, auxiliary_units=12),
                          noise_dim=6, categorical_codes=(10,), continuous_codes=1)
    with pytest.raises(ValueError, match="at least one code"):
        keras_gan.InfoGAN(networks.dcgan_generator(6, 28, 1, base_filters=4),
                          networks.dcgan_discriminator(28, 1, base_filters=4), noise_dim=6,
                          categorical_codes=(), continuous_codes=0)
    with pytest.raises(ValueError, match="code` must be an integer in"):
        _infogan().traversal_latents(3)
    with pytest.raises(ValueError, match="needs a model with latent codes"):
        from tests.conftest import tiny_image_gan

        gan = tiny_image_gan()
        gan.compile()
        gan.fit(images(8), batch_size=8, verbose=0,
                callbacks=[keras_gan.callbacks.SampleGrid("unused", traversal=True)])


# --- semi-supervised ----------------------------------------------------------

def _blobs(n, seed):
    """Four well-separated 2D Gaussian classes."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, n)
    centers = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], "float32") * 0.5
    return (centers[labels] + 0.08 * rng.standard_normal((n, 2))).astype("float32"), labels


def test_semi_supervised_classifier_beats_chance_with_few_labels():
    x, y = _blobs(512, 0)
    kept = keras_gan.data.keep_labels(y, per_class=3, seed=0)  # 12 labels of 512
    assert (kept >= 0).sum() == 12 and np.all(kept[kept >= 0] == y[kept >= 0])
    g = networks.mlp_generator(4, 2, (32, 32))
    d = networks.mlp_discriminator(2, (32, 32), num_logits=4)
    model = keras_gan.SemiSupervisedGAN(g, d, 4, num_classes=4, seed=0)
    model.compile(d_optimizer=keras.optimizers.Adam(3e-3, 0.5),
                  g_optimizer=keras.optimizers.Adam(3e-3, 0.5))
    assert model.feature_matching is True  # the default generator loss
    x_test, y_test = _blobs(400, 1)
    history = model.fit(x, kept, batch_size=64, epochs=15, verbose=0,
                        validation_data=(x_test, y_test))
    assert "accuracy" not in history.history and "val_accuracy" in history.history
    accuracy = model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    np.testing.assert_allclose(accuracy, np.mean(model.classify(x_test) == y_test), atol=1e-6)
    assert accuracy > 0.8, accuracy  # chance is 0.25


def test_semi_supervised_round_trip_and_bad_input(tmp_path):
    g = networks.dcgan_generator(8, 28, 1, base_filters=4)
    d = networks.dcgan_discriminator(28, 1, base_filters=4, num_logits=10)
    model = keras_gan.SemiSupervisedGAN(g, d, 8, num_classes=10, seed=1)
    model.compile()
    labels = np.where(np.arange(16) < 4, LABELS, -1)
    history = model.fit(tf.data.Dataset.from_tensor_slices((images(16), labels)).batch(8),
                        epochs=1, verbose=0)
    assert np.isfinite(history.history["d_class_loss"][-1])
    assert model.sampling_classes is None  # G is unconditional: no labels to generate()
    loaded = _round_trip(model, tmp_path / "ssgan.keras", model.sample_latents(3, seed=0).numpy())
    np.testing.assert_array_equal(loaded.classify(images(4)), model.classify(images(4)))
    with pytest.raises(ValueError, match="-1 for unlabelled"):
        model.fit(images(8), np.full(8, 10), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="keep_labels"):
        model.fit(images(8), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="num_logits=10"):
        keras_gan.SemiSupervisedGAN(g, networks.dcgan_discriminator(28, 1, base_filters=4), 8, 10)
    with pytest.raises(ValueError, match="fewer than per_class"):
        keras_gan.data.keep_labels(np.array([0, 0, 1]), per_class=2)


# --- BigGAN and the engine options it uses ------------------------------------

def test_orthogonal_regularization_equals_the_off_diagonal_formula():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 4, 5)).astype("float32")
    w = kernel.reshape(-1, 5)
    gram = w.T @ w
    expected = 1e-4 * np.sum((gram * (1 - np.eye(5))) ** 2)
    value = keras_gan.regularizers.OffDiagonalOrthogonal(1e-4)(kernel)
    np.testing.assert_allclose(float(value), expected, rtol=1e-5)
    orthogonal = np.linalg.qr(np.random.default_rng(1).normal(size=(8, 8)))[0] * 3.0
    assert float(keras_gan.regularizers.OffDiagonalOrthogonal()(orthogonal)) < 1e-9


def test_network_regularization_losses_join_the_generator_loss():
    """Two identical models, one with an L2 kernel regularizer on the
    generator, trained with learning rate 0: the logged g_loss differs by the
    regularizer's value."""

    def build(regularizer):
        latents = keras.Input((4,))
        outputs = keras.layers.Dense(2, kernel_regularizer=regularizer,
                                     kernel_initializer="ones")(latents)
        g = keras.Model(latents, outputs)
        model = keras_gan.GAN(g, networks.mlp_discriminator(2, (8,)), 4, seed=3)
        model.compile(d_optimizer=keras.optimizers.SGD(0.0), g_optimizer=keras.optimizers.SGD(0.0))
        return model

    keras.utils.set_random_seed(0)
    plain = build(None)
    keras.utils.set_random_seed(0)
    regularized = build(keras.regularizers.L2(0.5))
    data = np.zeros((8, 2), "float32")
    a = plain.fit(data, batch_size=8, verbose=0, shuffle=False).history
    b = regularized.fit(data, batch_size=8, verbose=0, shuffle=False).history
    np.testing.assert_allclose(b["g_loss"][0] - a["g_loss"][0], 0.5 * 8, rtol=1e-5)
    np.testing.assert_allclose(b["d_loss"][0], a["d_loss"][0], rtol=1e-6)


def test_biggan_style_model_trains_saves_and_truncates(tmp_path):
    g = networks.resnet_generator(8, 32, 3, widths=(8, 8, 8), num_classes=4,
                                  shared_embedding_dim=4, spectral_norm=True,
                                  orthogonal_regularization=1e-4)
    d = networks.resnet_discriminator(32, 3, widths=(8, 8, 8, 8), num_classes=4)
    assert g.get_layer("shared_embedding").input_dim == 4 and g.losses
    model = keras_gan.BigGAN(g, d, 8, num_classes=4, seed=1)
    assert model.ema_generator is not None
    model.compile()
    assert model.d_steps == 2 and type(model.loss_fn).__name__ == "Hinge"
    x = np.random.default_rng(0).uniform(-1, 1, (8, 32, 32, 3)).astype("float32")
    model.fit(x, np.arange(8) % 4, batch_size=4, epochs=1, verbose=0,
              callbacks=[keras_gan.callbacks.GeneratorEMA(0.9)])
    z = model.sample_latents(1000, seed=0, truncation=0.3).numpy()
    assert np.abs(z).max() <= 0.3
    _round_trip(model, tmp_path / "biggan.keras", z[:4], [0, 1, 2, 3])
    with pytest.raises(ValueError, match="set `num_classes` too"):
        networks.resnet_generator(8, 32, 3, shared_embedding_dim=4)


def test_feature_matching_loss_value_and_gradient():
    from keras_gan.models._tricks import feature_matching_loss

    rng = np.random.default_rng(0)
    real = rng.normal(size=(6, 3)).astype("float32")
    fake = tf.Variable(rng.normal(size=(6, 3)).astype("float32"))
    with tf.GradientTape() as tape:
        value = feature_matching_loss(real, fake)
    difference = fake.numpy().mean(0) - real.mean(0)
    np.testing.assert_allclose(float(value), np.sum(difference ** 2), rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(value, fake),
                               np.tile(2 * difference / 6, (6, 1)), rtol=1e-5)
    gan = keras_gan.GAN(networks.mlp_generator(4, 2, (8,)), networks.mlp_discriminator(2, (8,)), 4)
    with pytest.raises(ValueError, match="name of a discriminator layer"):
        gan.compile(feature_matching="no_such_layer")
    with pytest.raises(ValueError, match="historical_averaging"):
        gan.compile(historical_averaging=-1.0)


def test_historical_average_is_the_mean_of_past_weights(tmp_path):
    gan = keras_gan.GAN(networks.mlp_generator(4, 2, (8,)), networks.mlp_discriminator(2, (8,)), 4,
                        seed=0)
    gan.compile(historical_averaging=0.5)
    snapshots = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            snapshots.append([v.numpy().copy() for v in gan.discriminator.trainable_variables])

    gan.fit(np.zeros((32, 2), "float32"), batch_size=8, epochs=1, verbose=0, shuffle=False,
            callbacks=[Record()])
    history = gan.historical_average
    assert float(history.count.numpy()) == 4
    _, averages = history._roles["d"]
    for index, average in enumerate(averages):
        np.testing.assert_allclose(average.numpy(), np.mean([s[index] for s in snapshots], 0),
                                   atol=1e-6)
    current = [v.numpy() for v in gan.discriminator.trainable_variables]
    expected = 0.5 * sum(np.sum((c - a.numpy()) ** 2) for c, a in zip(current, averages))
    np.testing.assert_allclose(float(history.penalty("d")), expected, rtol=1e-5)
    gan.save(tmp_path / "history.keras")
    loaded = keras.models.load_model(tmp_path / "history.keras")
    np.testing.assert_allclose(loaded.historical_average.count.numpy(), 4)


def test_minibatch_discrimination_option_of_the_dcgan_discriminator():
    d = networks.dcgan_discriminator(28, 1, base_filters=4, minibatch_kernels=6)
    assert d.get_layer("minibatch_discrimination").num_kernels == 6
    assert d.get_layer("logits").input.shape[-1] == d.get_layer("features").output.shape[-1] + 6


def test_latent_refinement_uses_the_adversarial_head_and_refuses_codes():
    acgan = _acgan()
    randomize_networks(acgan, seed=1)  # a pull well above float32 rounding
    z = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    refined = acgan.refine_latents(z, labels=[0, 1, 2, 3], steps=2, step_size=0.1)
    assert refined.shape == (4, 8) and np.abs(refined - z).max() > 1e-3
    infogan = _infogan()
    with pytest.raises(ValueError, match="carry codes"):
        infogan.generate(2, refine_steps=3)
