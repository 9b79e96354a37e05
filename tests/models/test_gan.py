import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import regularizers
from keras_gan.models import _critic
from tests.conftest import (assert_weights_close, images, randomize_networks, ring_points,
                            tiny_image_gan, tiny_mlp_gan)

METRICS = {"d_loss", "g_loss", "real_logits", "fake_logits", "d_grad_norm", "g_grad_norm"}


def _finite(history):
    return all(math.isfinite(v[-1]) for v in history.history.values())


def test_fit_on_arrays_logs_named_finite_metrics():
    gan = tiny_mlp_gan()
    gan.compile()
    history = gan.fit(ring_points(64), batch_size=16, epochs=2, verbose=0)
    assert set(history.history) == METRICS
    assert _finite(history)
    assert int(gan.step_counter.numpy()) == 8
    assert gan.d_optimizer.iterations.numpy() == 8 and gan.g_optimizer.iterations.numpy() == 8


def test_fit_on_dataset_with_labels_and_penalty_metric():
    x = images(8)
    labels = np.arange(8) % 2
    ds = tf.data.Dataset.from_tensor_slices((x, labels)).batch(4)
    gan = tiny_image_gan(batchnorm=False)
    gan.compile(loss="wasserstein", penalties=["gp"], d_steps=2)
    history = gan.fit(ds, epochs=1, verbose=0)
    assert set(history.history) == METRICS | {"gp"}
    assert _finite(history)
    assert gan.d_optimizer.iterations.numpy() == 4  # 2 batches x 2 critic steps
    assert gan.g_optimizer.iterations.numpy() == 2


def test_training_changes_both_networks_and_generates():
    gan = tiny_mlp_gan()
    gan.compile()
    g0 = [w.numpy().copy() for w in gan.generator.weights]
    d0 = [w.numpy().copy() for w in gan.discriminator.weights]
    gan.fit(ring_points(32), batch_size=16, epochs=1, verbose=0)
    assert any(not np.allclose(a, b.numpy()) for a, b in zip(g0, gan.generator.weights))
    assert any(not np.allclose(a, b.numpy()) for a, b in zip(d0, gan.discriminator.weights))
    samples = gan.generate(5, seed=3)
    assert samples.shape == (5, 2)
    np.testing.assert_allclose(samples, gan.generate(5, seed=3), atol=1e-6)
    np.testing.assert_allclose(gan.predict(np.zeros((2, 4), "float32"), verbose=0),
                               gan.generator.predict(np.zeros((2, 4), "float32"), verbose=0), atol=1e-6)


def test_evaluate_reports_losses():
    gan = tiny_mlp_gan()
    gan.compile()
    result = gan.evaluate(ring_points(32), batch_size=16, verbose=0, return_dict=True)
    assert set(result) == {"d_loss", "g_loss", "real_logits", "fake_logits"}
    assert all(math.isfinite(v) for v in result.values())


def test_replicated_latents_differ_between_steps_and_d_steps():
    gan = tiny_mlp_gan()
    draws = [gan._draw("normal", 4, (4,), step, stream).numpy() for step in (0, 1) for stream in (0, 64)]
    for i in range(len(draws)):
        for j in range(i + 1, len(draws)):
            assert not np.allclose(draws[i], draws[j])


def test_lazy_penalty_is_evaluated_every_interval_with_scaled_weight():
    gan = tiny_mlp_gan()
    gan.compile(penalties=[regularizers.R1Penalty(weight=1.0, interval=3)])
    critic = lambda x: gan.discriminator(x, training=True)  # noqa: E731
    real = ring_points(4)
    expected = float(regularizers.r1_penalty(critic, real))
    noise = gan._noise_fn(4, 0, 1)
    values = [float(gan._penalty_term(gan.penalties[0], critic, real, real, noise, step, 0))
              for step in range(4)]
    assert values[0] == pytest.approx(3 * expected, rel=1e-5)
    assert values[3] == pytest.approx(3 * expected, rel=1e-5)
    assert values[1] == 0.0 and values[2] == 0.0
    history = gan.fit(real, batch_size=4, epochs=1, verbose=0)
    assert history.history["r1"][0] == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(
    "cls, d_lr, d_steps, loss_type, penalty_types, clip",
    [
        (keras_gan.GAN, 2e-4, 1, keras_gan.losses.NonSaturating, [], 0.0),
        (keras_gan.WGAN, 5e-5, 5, keras_gan.losses.Wasserstein, [], 0.01),
        (keras_gan.WGANGP, 1e-4, 5, keras_gan.losses.Wasserstein, [regularizers.GradientPenalty], 0.0),
        (keras_gan.LSGAN, 2e-4, 1, keras_gan.losses.LeastSquares, [], 0.0),
        (keras_gan.DRAGAN, 1e-4, 1, keras_gan.losses.NonSaturating, [regularizers.DRAGANPenalty], 0.0),
        (keras_gan.SNGAN, 2e-4, 5, keras_gan.losses.Hinge, [], 0.0),
    ],
)
def test_variant_defaults(cls, d_lr, d_steps, loss_type, penalty_types, clip):
    with pytest.warns(UserWarning, match="SpectralNormalization") if cls is keras_gan.SNGAN else _no_op():
        gan = tiny_mlp_gan(cls)
    gan.compile()
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(d_lr)
    assert gan.d_steps == d_steps and isinstance(gan.loss_fn, loss_type)
    assert [type(p) for p in gan.penalties] == penalty_types
    assert gan.weight_clip == clip
    if cls is keras_gan.WGANGP:
        assert gan.penalties[0].weight == 10.0
        assert float(gan.d_optimizer.beta_1) == 0.0 and float(gan.d_optimizer.beta_2) == 0.9
    history = gan.fit(ring_points(16), batch_size=8, epochs=1, verbose=0)
    assert _finite(history)
    if clip:
        for v in gan.discriminator.trainable_variables:
            assert np.max(np.abs(v.numpy())) <= clip + 1e-7


class _no_op:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_compile_overrides_variant_defaults():
    gan = tiny_mlp_gan(keras_gan.WGANGP)
    gan.compile(d_steps=2, penalties=[], loss="hinge")
    assert gan.d_steps == 2 and gan.penalties == () and isinstance(gan.loss_fn, keras_gan.losses.Hinge)


# --- clear errors --------------------------------------------------------


def test_generator_discriminator_shape_mismatch():
    g = keras_gan.networks.dcgan_generator(8, 32, 1, base_filters=4)
    d = keras_gan.networks.dcgan_discriminator(28, 1, base_filters=4)
    with pytest.raises(ValueError, match=r"produces samples of shape \(32, 32, 1\).*expects \(28, 28, 1\)"):
        keras_gan.GAN(g, d, 8)


def test_latent_dim_mismatch():
    g = keras_gan.networks.mlp_generator(8, 2)
    d = keras_gan.networks.mlp_discriminator(2)
    with pytest.raises(ValueError, match=r"latents of shape \(batch, 4\)"):
        keras_gan.GAN(g, d, 4)
    with pytest.raises(ValueError, match="latent_dim"):
        keras_gan.GAN(g, d, 0)


def test_discriminator_must_be_per_sample():
    inputs = keras.Input((2,))
    logits = keras.layers.Lambda(lambda t: keras.ops.mean(t))(keras.layers.Dense(1)(inputs))
    d = keras.Model(inputs, logits)
    with pytest.raises(ValueError, match="per sample"):
        keras_gan.GAN(keras_gan.networks.mlp_generator(4, 2), d, 4)


def test_data_must_match_generator_output():
    gan = tiny_mlp_gan()
    gan.compile()
    with pytest.raises(ValueError, match=r"Real samples have shape \(3,\) but the generator produces \(2,\)"):
        gan.fit(np.zeros((8, 3), "float32"), batch_size=4, verbose=0)


def test_unscaled_images_are_rejected():
    gan = tiny_image_gan()
    gan.compile()
    raw = (np.random.default_rng(0).uniform(0, 255, (4, 28, 28, 1))).astype("uint8")
    with pytest.raises(TypeError, match=r"dtype uint8.*127.5"):
        gan.fit(raw, batch_size=2, verbose=0)
    with pytest.raises(ValueError, match=r"scaled to \[-1, 1\]"):
        gan.fit(raw.astype("float32"), batch_size=2, verbose=0)


def test_fit_before_compile():
    gan = tiny_mlp_gan()
    with pytest.raises(RuntimeError, match=r"before compile\(\)"):
        gan.fit(ring_points(8), batch_size=4, verbose=0)


def test_compile_argument_errors():
    gan = tiny_mlp_gan()
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two optimizer instances"):
        gan.compile(d_optimizer=opt, g_optimizer=opt)
    with pytest.raises(ValueError, match="d_steps"):
        gan.compile(d_steps=0)
    with pytest.raises(ValueError, match="Did you mean 'hinge'"):
        gan.compile(loss="hingee")
    with pytest.raises(ValueError, match="does not take `optimizer`"):
        gan.compile(optimizer="adam")
    with pytest.raises(ValueError, match="unique"):
        gan.compile(penalties=["r1", "r1"])


def test_non_finite_loss_stops_with_loss_and_step():
    gan = tiny_mlp_gan()
    gan.compile()
    data = ring_points(16)
    data[9] = np.nan  # the third batch of 4
    with pytest.raises(keras_gan.NonFiniteLossError, match=r"d_loss became nan at training step 2"):
        gan.fit(data, batch_size=4, epochs=1, verbose=0, shuffle=False)


# --- saving and resuming ----------------------------------------------------


def _train(gan, x, epochs, **kwargs):
    gan.fit(x, batch_size=8, epochs=epochs, verbose=0, shuffle=False, **kwargs)
    return [w.numpy().copy() for w in gan.weights]


@pytest.mark.parametrize("cls", [keras_gan.GAN, keras_gan.WGANGP])
def test_save_load_resume_equals_uninterrupted(tmp_path, cls):
    x = ring_points(32)
    uninterrupted = tiny_mlp_gan(cls)
    initial = [w.numpy().copy() for w in uninterrupted.weights]
    uninterrupted.compile()
    expected = _train(uninterrupted, x, 4)

    first = tiny_mlp_gan(cls)
    first.set_weights(initial)
    first.compile()
    _train(first, x, 2)
    path = str(tmp_path / "gan.keras")
    first.save(path)
    restored = keras.models.load_model(path)
    assert type(restored) is cls
    assert_weights_close(restored.weights, first.weights, atol=0)
    assert restored.d_optimizer.iterations.numpy() == first.d_optimizer.iterations.numpy()
    for a, b in zip(restored.d_optimizer.variables, first.d_optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    np.testing.assert_allclose(restored.generate(4, seed=0), first.generate(4, seed=0), atol=1e-6)
    resumed = _train(restored, x, 2)
    assert_weights_close(resumed, expected, atol=1e-6)


def test_backup_and_restore_resumes_exactly(tmp_path):
    x = ring_points(32)
    reference = tiny_mlp_gan()
    initial = [w.numpy().copy() for w in reference.weights]
    reference.compile()
    expected = _train(reference, x, 4)

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt("simulated crash")

    backup = str(tmp_path / "backup")
    crashed = tiny_mlp_gan()
    crashed.set_weights(initial)
    crashed.compile()
    with pytest.raises(KeyboardInterrupt):
        _train(crashed, x, 4, callbacks=[keras.callbacks.BackupAndRestore(backup), Interrupt()])

    restarted = tiny_mlp_gan()
    restarted.set_weights(initial)
    restarted.compile()
    history = restarted.fit(x, batch_size=8, epochs=4, verbose=0, shuffle=False,
                            callbacks=[keras.callbacks.BackupAndRestore(backup)])
    assert len(history.epoch) == 2  # epochs 3 and 4 only
    assert_weights_close(restarted.weights, expected, atol=1e-6)


# --- precision and compilation ---------------------------------------------


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("cls", [keras_gan.GAN, keras_gan.WGANGP])
def test_mixed_precision_trains(policy, cls):
    keras.mixed_precision.set_global_policy(policy)
    gan = tiny_image_gan(cls, batchnorm=cls is keras_gan.GAN)
    gan.compile(d_steps=1)
    scaled = isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert scaled == (policy == "mixed_float16")
    assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer) == scaled
    assert gan.generator.layers[2].compute_dtype == policy.split("_")[1]
    history = gan.fit(images(8), batch_size=4, epochs=1, verbose=0)
    assert _finite(history)
    assert gan.generate(2).dtype == np.float32


def _fixed_noise(kind, local_batch, sample_shape, seed, dtype="float32"):
    """Deterministic stand-in for the random draws, identical with and without XLA."""
    del seed
    shape = tf.concat([tf.reshape(local_batch, [1]), tf.constant(sample_shape, tf.int32)], 0) \
        if sample_shape else tf.reshape(local_batch, [1])
    values = tf.cos(tf.cast(tf.range(tf.reduce_prod(shape)), dtype) * 0.7 + 0.3)
    values = values if kind == "normal" else 0.5 + 0.5 * values
    return tf.reshape(values, shape)


@pytest.mark.parametrize("cls", [keras_gan.GAN, keras_gan.WGANGP, keras_gan.DRAGAN])
def test_xla_training_matches_graph_mode(cls, monkeypatch):
    # XLA's random number generators are not bit-compatible with TensorFlow's
    # kernels (measured: stateless Philox draws differ), so the step's math is
    # compared with fixed noise; each mode is reproducible on its own.
    monkeypatch.setattr(keras_gan._replicas, "draw_global_slice", _fixed_noise)
    results = []
    initial = None
    for jit in (False, True):
        gan = tiny_mlp_gan(cls)
        if initial is None:
            initial = [w.numpy().copy() for w in gan.weights]
        gan.set_weights(initial)
        # SGD: Adam's first steps are close to lr * sign(g), which turns
        # float rounding differences between XLA and TF kernels into lr-sized ones.
        gan.compile(d_optimizer=keras.optimizers.SGD(0.05), g_optimizer=keras.optimizers.SGD(0.05),
                    d_steps=2, jit_compile=jit)
        assert gan.jit_compile is jit
        history = gan.fit(ring_points(16), batch_size=4, epochs=1, verbose=0, shuffle=False)
        assert _finite(history)
        results.append([w.numpy() for w in gan.weights])
    assert_weights_close(results[0], results[1], atol=1e-5)


def test_xla_runs_are_reproducible():
    results = []
    for _ in range(2):
        keras.utils.set_random_seed(3)
        gan = tiny_mlp_gan(keras_gan.WGANGP, seed=7)
        gan.compile(jit_compile=True)
        gan.fit(ring_points(16), batch_size=4, epochs=1, verbose=0, shuffle=False)
        results.append([w.numpy() for w in gan.weights])
    assert_weights_close(results[0], results[1], atol=0)


@pytest.mark.parametrize("cls", [keras_gan.GAN, keras_gan.WGANGP])
def test_xla_trains_convolutional_networks(cls):
    # Gradient penalty on convolutions needs second derivatives inside XLA.
    gan = tiny_image_gan(cls, batchnorm=cls is keras_gan.GAN)
    gan.compile(d_steps=2, jit_compile=True)
    assert gan.jit_compile is True
    history = gan.fit(images(8), batch_size=4, epochs=1, verbose=0)
    assert _finite(history)


def test_generate_checks_its_inputs_and_batches():
    from tests.conftest import tiny_conditional_gan

    gan = tiny_image_gan()
    out = gan.generate(5, seed=2, batch_size=2)
    assert out.shape == (5, 28, 28, 1) and out.dtype == np.float32
    np.testing.assert_allclose(out, gan.generator(gan.sample_latents(5, seed=2)).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="unconditional"):
        gan.generate(2, labels=[0, 1])
    with pytest.raises(ValueError, match=r"shape \(n, 8\)"):
        gan.generate(latents=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="num_samples"):
        gan.generate()
    conditional = tiny_conditional_gan()
    with pytest.raises(ValueError, match="pass `labels=`"):
        conditional.generate(2)
    with pytest.raises(ValueError, match="one per sample"):
        conditional.generate(2, labels=[1])
    assert conditional.generate(3, labels=[0, 1, 3]).shape == (3, 32, 32, 3)


def _keras_io_style(seed=1, cls=None, **layers):
    """A BatchNorm-free critic (the keras-io DCGAN's), optionally with extra layers."""
    generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(7 * 7 * 4),
                                  keras.layers.LeakyReLU(0.2), keras.layers.Reshape((7, 7, 4)),
                                  keras.layers.Conv2DTranspose(4, 4, strides=4, padding="same"),
                                  keras.layers.Conv2D(1, 3, padding="same", activation="tanh")])
    discriminator = keras.Sequential([
        keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, strides=2, padding="same"),
        keras.layers.LeakyReLU(0.2), *layers.get("extra", []),
        keras.layers.Conv2D(8, 3, strides=2, padding="same"), keras.layers.LeakyReLU(0.2),
        keras.layers.GlobalMaxPooling2D(), keras.layers.Dense(1)])
    return (cls or keras_gan.GAN)(generator, discriminator, 4, seed=seed)


@pytest.mark.parametrize("cls", [keras_gan.GAN, keras_gan.WGANGP])
def test_one_critic_call_on_real_and_fake_trains_as_two(cls):
    x = images(32)
    runs = []
    for joint in (True, False):
        keras.utils.set_random_seed(0)  # the same initial weights
        gan = _keras_io_style(cls=cls)
        # SGD: Adam would turn round-off (a gradient of 1e-12 against an exact 0)
        # into a full step.
        gan.compile(d_optimizer=keras.optimizers.SGD(0.05), g_optimizer=keras.optimizers.SGD(0.05))
        if not joint:
            _critic._verdicts[gan.discriminator] = False  # the two-call path
        history = gan.fit(x, batch_size=16, epochs=2, verbose=0, shuffle=False)
        runs.append((gan, history.history))
    (joint, joint_logs), (apart, apart_logs) = runs
    assert _critic.per_sample_network(joint.discriminator)
    assert_weights_close(joint.discriminator.get_weights(), apart.discriminator.get_weights(),
                         atol=1e-5)
    assert_weights_close(joint.generator.get_weights(), apart.generator.get_weights(), atol=1e-5)
    for key in ("d_loss", "real_logits", "fake_logits", "d_grad_norm"):
        np.testing.assert_allclose(joint_logs[key], apart_logs[key], rtol=1e-4, atol=1e-6)


def test_only_per_sample_critics_are_called_once():
    per_sample_network = _critic.per_sample_network
    assert per_sample_network(_keras_io_style().discriminator)
    # Noise drawn independently per element: one call samples the same law.
    assert per_sample_network(_keras_io_style(extra=[keras.layers.Dropout(0.3)]).discriminator)
    for extra in (keras.layers.BatchNormalization(), keras_gan.layers.MinibatchStdDev(),
                  keras.layers.Lambda(lambda t: t)):
        assert not per_sample_network(_keras_io_style(extra=[extra]).discriminator), extra
    assert not per_sample_network(keras_gan.networks.dcgan_discriminator(28, 1, base_filters=4))
    assert not per_sample_network(keras_gan.networks.resnet_discriminator(
        32, 3, widths=[8, 8, 8, 8]))  # spectral normalization: one power iteration per call


def test_a_dropout_critic_called_once_drops_each_half_independently():
    critic = keras.Sequential([keras.Input((2000,)), keras.layers.Dropout(0.3, seed=0)])
    ones = tf.ones((64, 2000))
    real_out, fake_out = _critic.judge_both(
        critic, lambda x: critic(x, training=True), ones, ones)
    real_kept, fake_kept = (real_out.numpy() > 0), (fake_out.numpy() > 0)
    # Each half keeps 70% (+- 5 standard errors), with its own mask.
    assert abs(real_kept.mean() - 0.7) < 5 * np.sqrt(0.21 / real_kept.size)
    assert abs(fake_kept.mean() - 0.7) < 5 * np.sqrt(0.21 / fake_kept.size)
    agreement = (real_kept == fake_kept).mean()  # 0.7^2 + 0.3^2 for independent masks
    assert abs(agreement - 0.58) < 5 * np.sqrt(0.58 * 0.42 / real_kept.size)


def _linear_gan(latent_dim=3):
    """G(z) = z K and D(x) = x w: the refinement energy's gradient is
    z - K w, so its gradient descent has a closed form."""
    generator = keras.Sequential([keras.Input((latent_dim,)), keras.layers.Dense(2, use_bias=False)])
    discriminator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    return keras_gan.GAN(generator, discriminator, latent_dim, seed=0)


def test_refine_latents_is_gradient_descent_on_prior_minus_logit():
    gan = _linear_gan()
    k = gan.generator.layers[-1].kernel.numpy().astype("float64")
    w = gan.discriminator.layers[-1].kernel.numpy().astype("float64")
    pull = (k @ w)[:, 0]  # the logit's gradient: D(G(z)) = z K w
    z0 = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
    for steps, size in ((1, 0.1), (7, 0.05), (30, 0.2)):
        # no prior: gradient ascent on the logit, a straight line
        np.testing.assert_allclose(gan.refine_latents(z0, steps=steps, step_size=size),
                                   z0 + steps * size * pull, rtol=1e-5, atol=1e-5)
        # prior weight c: z_n = pull / c + (1 - size c)^n (z_0 - pull / c)
        for c in (1.0, 0.5):
            expected = pull / c + (1.0 - size * c) ** steps * (z0 - pull / c)
            refined = gan.refine_latents(z0, steps=steps, step_size=size, prior_weight=c,
                                         batch_size=2)
            np.testing.assert_allclose(refined, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(gan.refine_latents(z0, steps=0), z0)
    # generate(refine_steps=...) decodes the refined latents
    np.testing.assert_allclose(
        gan.generate(latents=z0, refine_steps=7, refine_step_size=0.05),
        gan.generate(latents=gan.refine_latents(z0, steps=7, step_size=0.05)), atol=1e-6)


def test_refine_latents_routes_labels_and_checks_its_inputs():
    from tests.conftest import tiny_conditional_gan

    gan = tiny_conditional_gan()
    randomize_networks(gan, seed=0)  # a pull well above float32 rounding
    z = np.random.default_rng(1).standard_normal((3, 8)).astype("float32")
    labels = np.array([0, 2, 3])
    size, steps = 0.2, 3
    expected = tf.constant(z)
    for _ in range(steps):  # the same descent, written out eagerly on the model's networks
        with tf.GradientTape() as tape:
            tape.watch(expected)
            given = tf.constant(labels)
            logits = gan.discriminate(gan.generate_images(expected, given), given)
            energy = 0.5 * tf.reduce_sum(expected**2) - tf.reduce_sum(logits)
        expected = expected - size * tape.gradient(energy, expected)
    # the discriminator's pull: what the prior alone (z (1 - size)^steps) leaves aside
    prior_only = z * (1.0 - size) ** steps
    pull = gan.refine_latents(z, labels=labels, steps=steps, step_size=size,
                              prior_weight=1.0) - prior_only
    scale = np.abs(pull).max()
    assert scale > 1e-4
    np.testing.assert_allclose(pull, expected.numpy() - prior_only, atol=1e-3 * scale)
    other = gan.refine_latents(z, labels=[1, 1, 1], steps=steps, step_size=size,
                               prior_weight=1.0) - prior_only
    assert np.abs(other - pull).max() > 0.05 * scale
    with pytest.raises(ValueError, match="pass `labels=`"):
        gan.refine_latents(z)
    with pytest.raises(ValueError, match="`steps` must be an integer >= 0"):
        gan.refine_latents(z, labels=labels, steps=-1)
    with pytest.raises(ValueError, match="`step_size` must be a positive"):
        gan.refine_latents(z, labels=labels, step_size=0.0)
    with pytest.raises(ValueError, match="`prior_weight` must be a number >= 0"):
        gan.refine_latents(z, labels=labels, prior_weight=-1.0)
    with pytest.raises(ValueError, match=r"shape \(n, 8\)"):
        gan.refine_latents(z[:, :4], labels=labels)
