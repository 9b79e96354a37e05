import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import data, networks
from keras_gan.layers import GradientReversal
from keras_gan.models.dann import reversal_schedule
from tests.conftest import assert_resumes_exactly, assert_weights_close
from tests.models.test_distribution import one_and_two_replicas


def small_dann(seed=1, **kwargs):
    features = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Flatten(),
                                 keras.layers.Dense(5, activation="tanh")])
    classifier = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])
    domain = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
    return keras_gan.DANN(features, classifier, domain, num_classes=3, seed=seed, **kwargs)


def batches(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return {"source": rng.uniform(-1, 1, (n, 4, 4, 3)).astype("float32"),
            "labels": rng.integers(0, 3, n).astype("int32"),
            "target": rng.uniform(-1, 1, (n, 4, 4, 3)).astype("float32") * 0.5 + 0.3}


def test_schedule_and_reversal_layer():
    np.testing.assert_allclose(reversal_schedule(tf.constant([0.0, 0.5, 1.0])).numpy(),
                               [0.0, 2 / (1 + np.exp(-5)) - 1, 2 / (1 + np.exp(-10)) - 1],
                               rtol=1e-6)
    x = tf.constant([1.0, -2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(GradientReversal()(x, lambda_=tf.constant(0.3)) * [2.0, 5.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [-0.6, -1.5], rtol=1e-6)


def test_one_step_is_the_papers_gradient():
    """Features move down the class loss and *up* lambda times the domain loss;
    the domain classifier moves down the domain loss (one SGD step, lr 1)."""
    model = small_dann(schedule_steps=10)
    model.compile(optimizer=keras.optimizers.SGD(1.0))
    model.step_counter.assign(5)  # p = 0.5
    scale = 2 / (1 + np.exp(-5)) - 1
    batch = batches(8)
    source, target = tf.constant(batch["source"]), tf.constant(batch["target"])
    labels = tf.constant(batch["labels"])
    weights = {name: getattr(model, name).trainable_weights
               for name in ("features", "classifier", "domain_classifier")}
    with tf.GradientTape(persistent=True) as tape:
        hidden = model.features(tf.concat([source, target], 0))
        class_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels, model.classifier(hidden[:8])))
        domain_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
            tf.concat([tf.zeros(8), tf.ones(8)], 0), tf.reshape(model.domain_classifier(hidden),
                                                               [-1])))
    expected = {}
    for w, gc, gd in zip(weights["features"], tape.gradient(class_loss, weights["features"]),
                         tape.gradient(domain_loss, weights["features"])):
        expected[w.path] = w.numpy() - (gc.numpy() - scale * gd.numpy())
    for w, g in zip(weights["classifier"], tape.gradient(class_loss, weights["classifier"])):
        expected[w.path] = w.numpy() - g.numpy()
    for w, g in zip(weights["domain_classifier"],
                    tape.gradient(domain_loss, weights["domain_classifier"])):
        expected[w.path] = w.numpy() - g.numpy()
    logs = model.fit(batch, batch_size=8, epochs=1, verbose=0, shuffle=False).history
    assert logs["reversal"][0] == pytest.approx(scale, rel=1e-6)
    assert logs["class_loss"][0] == pytest.approx(float(class_loss), rel=1e-5)
    assert logs["domain_loss"][0] == pytest.approx(float(domain_loss), rel=1e-5)
    for group in weights.values():
        for w in group:
            np.testing.assert_allclose(w.numpy(), expected[w.path], atol=1e-5)


def test_trains_evaluates_saves_and_resumes(tmp_path):
    batch = batches(32)
    model = small_dann()
    model.compile()
    model.fit(batch, batch_size=8, epochs=2, verbose=0, shuffle=False)
    result = model.evaluate({"target": batch["target"], "target_labels": batch["labels"]},
                            batch_size=8, verbose=0, return_dict=True)
    assert result["target_accuracy"] == pytest.approx(
        model.accuracy(batch["target"], batch["labels"]), abs=1e-6)
    first, restored = assert_resumes_exactly(small_dann, batch, tmp_path / "dann.keras")
    assert isinstance(restored, keras_gan.DANN) and restored.num_classes == 3


def test_two_replicas_equal_one_device():
    (single, _), (mirrored, _) = one_and_two_replicas(
        lambda: small_dann(schedule_steps=4), batches(16),
        lambda: {"optimizer": keras.optimizers.SGD(0.1, momentum=0.9)})
    assert_weights_close(mirrored.weights, single.weights, atol=1e-5)


def test_domain_shift_data_networks_and_errors():
    shift = data.load_domain_shift(num_source=20, num_target=10, num_test=5)
    assert shift["source"].shape == (20, 28, 28, 3) and shift["target"].shape == (10, 28, 28, 3)
    assert shift["test_target"].shape == (5, 28, 28, 3) and shift["test_labels"].shape == (5,)
    np.testing.assert_array_equal(shift["source"][..., 0], shift["source"][..., 2])  # grey
    assert np.std(shift["target"] - shift["target"][..., :1]) > 0.1  # coloured
    digit = np.full((1, 2, 2, 1), -1.0, np.float32)
    digit[0, 0, 0, 0] = 1.0  # one white pixel: 1 - background there
    blended = data.mnist_m_style(digit, seed=3)
    assert np.all(np.abs(blended) <= 1.0)
    features, classifier, domain = networks.dann_networks()
    model = keras_gan.DANN(features, classifier, domain, num_classes=10)
    assert model(shift["source"][:2]).shape == (2, 10)
    with pytest.raises(ValueError, match="3 logits"):
        keras_gan.DANN(features, classifier, domain, num_classes=3)
    small = small_dann()
    small.compile()
    with pytest.raises(ValueError, match="dict"):
        small.fit(batches()["source"], batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"\['target'\] are missing"):
        small.fit({"source": batches()["source"], "labels": batches()["labels"]}, batch_size=8,
                  verbose=0)
