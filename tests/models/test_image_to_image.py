"""Pix2Pix, CycleGAN, SRGAN, StarGAN and the context encoder on one image-to-image engine."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import networks
from tests.conftest import assert_weights_close


def _pictures(n, size=32, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype("float32")


def _pix2pix(multiscale=False):
    g = networks.unet_generator(32, 3, 3, base_filters=4)
    if multiscale:
        d = networks.multiscale_discriminator(32, 3, 3, num_scales=2, base_filters=4,
                                              num_downsamples=1)
    else:
        d = networks.patchgan_discriminator(32, 3, 3, base_filters=4, num_downsamples=1)
    return keras_gan.Pix2Pix(g, d, seed=1)


def _cyclegan(pool_size=4):
    def gen(name):
        return networks.resnet_translation_generator(3, 3, base_filters=4, num_blocks=1,
                                                     name=name)

    def critic(name):
        return networks.patchgan_discriminator(32, 0, 3, base_filters=4, num_downsamples=1,
                                               name=name)

    return keras_gan.CycleGAN(gen("g_ab"), critic("d_b"), gen("g_ba"), critic("d_a"),
                              pool_size=pool_size, seed=1)


def _stargan(domains=3, multi_label=True):
    label_dim = sum(domains) + len(domains) if isinstance(domains, list) else domains
    g = networks.stargan_generator(label_dim, 3, base_filters=4, num_blocks=1)
    d = networks.stargan_discriminator(16, 3, num_domains=sum(np.atleast_1d(domains)),
                                       base_filters=4)
    return keras_gan.StarGAN(g, d, domains, multi_label=multi_label, seed=1)


def _round_trip(model, path, inputs, labels=None):
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    np.testing.assert_allclose(loaded.translate(inputs, labels), model.translate(inputs, labels),
                               atol=1e-5)
    return loaded


# --- pix2pix -----------------------------------------------------------------

def test_pix2pix_trains_on_pairs_logs_l1_and_round_trips(tmp_path):
    model = _pix2pix()
    model.compile()
    inputs, targets = _pictures(4), _pictures(4, seed=1)
    history = model.fit(inputs, targets, batch_size=2, epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    # Untrained tanh outputs near 0 against U(-1, 1) targets: mean |y| = 0.5.
    assert 0.3 < logs["l1"] < 0.8
    # g_loss = adversarial + 100 * l1 (mean over the two steps of each).
    np.testing.assert_allclose(logs["g_loss"], logs["g_adversarial"] + 100 * logs["l1"],
                               rtol=1e-4)
    assert model.compile_from_config and model.loss_weights == {
        "adversarial": 1.0, "l1": 100.0, "feature_matching": 0.0}
    dataset = tf.data.Dataset.from_tensor_slices((inputs, targets)).batch(2)
    model.fit(dataset, epochs=1, verbose=0)
    assert int(model.step_counter.numpy()) == 4
    loaded = _round_trip(model, tmp_path / "p2p.keras", inputs)
    assert int(loaded.step_counter.numpy()) == 4
    assert loaded.loss_weights == model.loss_weights
    # evaluate() reports the generator and critic losses on held-out pairs.
    assert set(loaded.evaluate(inputs, targets, batch_size=2, verbose=0, return_dict=True)) >= {
        "d_loss", "g_loss"}


def test_pix2pix_multiscale_critic_with_feature_matching():
    model = _pix2pix(multiscale=True)
    model.compile(loss_weights={"feature_matching": 10.0})
    history = model.fit(_pictures(2), _pictures(2, seed=1), batch_size=2, epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    assert logs["feature_matching"] > 0
    np.testing.assert_allclose(
        logs["g_loss"], logs["g_adversarial"] + 100 * logs["l1"] + 10 * logs["feature_matching"],
        rtol=1e-4)
    # Two scales: the adversarial loss is the sum of one loss per scale; the
    # non-saturating loss of logits near 0 is log 2 per scale.
    assert 1.0 < logs["g_adversarial"] < 2.0


def test_pix2pix_feature_matching_needs_a_multiscale_critic():
    model = _pix2pix()
    model.compile(loss_weights={"feature_matching": 10.0})
    with pytest.raises(ValueError, match="multiscale_discriminator"):
        model.fit(_pictures(2), _pictures(2), batch_size=2, verbose=0)


def test_image_to_image_errors_name_the_problem():
    model = _pix2pix()
    model.compile()
    with pytest.raises(ValueError, match="paired target"):
        model.fit(_pictures(2), batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="no loss term"):
        model.compile(loss_weights={"l2": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        model.compile(loss_weights={"l1": -1.0})
    with pytest.raises(ValueError, match="resize"):
        model.translate(_pictures(1, size=16))
    with pytest.raises(TypeError, match="127.5"):
        model.fit(np.zeros((2, 32, 32, 3), "uint8"), _pictures(2), batch_size=2, verbose=0)
    # Networks built for different sizes fail at construction.
    with pytest.raises(ValueError, match="same resolution"):
        keras_gan.Pix2Pix(networks.unet_generator(32, 3, 3, base_filters=4),
                          networks.patchgan_discriminator(64, 3, 3, base_filters=4))


# --- CycleGAN ----------------------------------------------------------------

def _identity_network(name):
    inputs = keras.Input((32, 32, 3))
    return keras.Model(inputs, keras.layers.Identity()(inputs), name=name)


def test_cycle_and_identity_losses_are_zero_for_identity_generators():
    critic = networks.patchgan_discriminator(32, 0, 3, base_filters=4, num_downsamples=1)
    critic_a = networks.patchgan_discriminator(32, 0, 3, base_filters=4, num_downsamples=1,
                                               name="critic_a")
    model = keras_gan.CycleGAN(_identity_network("g"), critic, _identity_network("f"), critic_a)
    terms, fake_a, fake_b = model.cycle_terms(_pictures(3), _pictures(3, seed=1))
    assert float(terms["cycle"]) == 0.0 and float(terms["identity"]) == 0.0
    np.testing.assert_array_equal(fake_b, _pictures(3))
    # And positive for a generator that changes images: |2x - x| = |x|, mean 0.5.
    model = _cyclegan()
    terms, _, _ = model.cycle_terms(_pictures(3), _pictures(3, seed=1))
    assert float(terms["cycle"]) > 0 and float(terms["identity"]) > 0


def test_cyclegan_trains_unpaired_batches_and_round_trips(tmp_path):
    model = _cyclegan()
    model.compile()
    assert model.loss_fn.__class__.__name__ == "LeastSquares"
    a, b = _pictures(4), _pictures(4, seed=1)
    history = model.fit(tf.data.Dataset.from_tensor_slices((a, b)).batch(2), epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    np.testing.assert_allclose(
        logs["g_loss"], logs["g_adversarial"] + 10 * logs["cycle"] + 5 * logs["identity"],
        rtol=1e-4)
    assert int(model.pool_a.count.numpy()) == 4  # both batches stored (pool of 4)
    loaded = _round_trip(model, tmp_path / "cycle.keras", a)
    np.testing.assert_allclose(loaded.translate(b, direction="b_to_a"),
                               model.translate(b, direction="b_to_a"), atol=1e-5)
    np.testing.assert_array_equal(loaded.pool_b.images.numpy(), model.pool_b.images.numpy())
    with pytest.raises(ValueError, match="direction"):
        model.translate(a, direction="sideways")
    with pytest.raises(ValueError, match="load_unpaired"):
        model.fit(a, batch_size=2, verbose=0)


def test_image_pool_fills_then_returns_stored_images_half_the_time():
    pool = keras_gan.models.ImagePool(8, (1, 1, 1))
    rng = np.random.default_rng(0)
    first = np.arange(8, dtype="float32").reshape(8, 1, 1, 1)
    out = pool(first, rng.uniform(size=(8, 2)).astype("float32"))
    np.testing.assert_array_equal(out, first)  # while filling: pass through, store
    np.testing.assert_array_equal(np.sort(pool.images.numpy().ravel()), np.arange(8))
    returned_stored, total = 0, 0
    for step in range(400):
        new = np.full((2, 1, 1, 1), 1000 + step, "float32")
        before = set(pool.images.numpy().ravel().tolist())
        out = pool(new, rng.uniform(size=(2, 2)).astype("float32")).numpy().ravel()
        swapped = int(np.sum(out != 1000 + step))
        for value in out[out != 1000 + step]:
            assert value in before  # a stored image, not an invented one
        total += len(out)
        returned_stored += swapped
        # Each swapped-out image's slot now holds the new image (two swaps may share a slot).
        stored_new = int(np.sum(pool.images.numpy().ravel() == 1000 + step))
        assert (stored_new == 0) == (swapped == 0) and stored_new <= swapped
    # Binomial(800, 1/2): mean 400, sd 14.1.
    assert abs(returned_stored / total - 0.5) < 0.06
    assert int(pool.count.numpy()) == 8


def test_linear_decay_schedule():
    schedule = keras_gan.schedules.LinearDecay(2e-4, decay_start=100, decay_steps=100)
    values = [float(schedule(s)) for s in (0, 99, 100, 150, 200, 300)]
    np.testing.assert_allclose(values, [2e-4, 2e-4, 2e-4, 1e-4, 0, 0], atol=1e-12)
    again = keras_gan.schedules.LinearDecay.from_config(schedule.get_config())
    assert float(again(150)) == pytest.approx(1e-4)


# --- SRGAN -------------------------------------------------------------------

def test_psnr_and_ssim_match_closed_forms():
    x = np.full((2, 16, 16, 3), 0.2, "float32")
    y = x + np.float32(0.1)
    # PSNR = 10 log10(MAX^2 / MSE), MAX = 2 (images in [-1, 1]), MSE = 0.01.
    np.testing.assert_allclose(keras_gan.metrics.psnr(x, y), 10 * math.log10(4 / 0.01),
                               rtol=1e-4)
    # Constant images: SSIM is the luminance term (2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1)
    # with C1 = (0.01 * 2)^2 (contrast and structure terms are C2 / C2 = 1).
    c1 = (0.01 * 2) ** 2
    expected = (2 * 0.2 * 0.3 + c1) / (0.2**2 + 0.3**2 + c1)
    np.testing.assert_allclose(keras_gan.metrics.ssim(x, y), expected, rtol=1e-4)
    np.testing.assert_allclose(keras_gan.metrics.ssim(x, x), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match="one shape"):
        keras_gan.metrics.psnr(x, y[:, :8])


def _srgan(extractor=None):
    g = networks.srresnet_generator(3, scale=2, num_blocks=1, filters=4)
    d = networks.srgan_discriminator(16, 3, base_filters=4)
    return keras_gan.SRGAN(g, d, content_extractor=extractor, seed=1)


def test_srgan_pixel_content_loss_psnr_ssim_and_round_trip(tmp_path):
    hr = _pictures(4, size=16)
    lr = keras_gan.data.degrade(hr, scale=2)
    assert lr.shape == (4, 8, 8, 3)
    model = _srgan()
    model.compile()
    history = model.fit(lr, hr, batch_size=2, epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    for key in ("content", "psnr", "ssim"):
        assert np.isfinite(logs[key]), key
    np.testing.assert_allclose(logs["g_loss"], 1e-3 * logs["g_adversarial"] + logs["content"],
                               rtol=1e-4)
    _round_trip(model, tmp_path / "srgan.keras", lr)
    # The content term alone, by hand: the pixel MSE.
    fake = model.generator(lr, training=True)
    terms = model.generator_terms(inputs=lr, targets=hr, fake=fake, labels=None)
    np.testing.assert_allclose(terms["content"], np.mean((np.asarray(fake) - hr) ** 2), rtol=1e-5)


def test_srgan_content_loss_on_an_injected_extractor(tmp_path):
    inputs = keras.Input((None, None, 3))
    features = keras.layers.Conv2D(2, 3, padding="same", name="feat")(inputs)
    extractor = keras.Model(inputs, features, name="extractor")
    model = _srgan(extractor)
    model.compile()
    hr = _pictures(2, size=16)
    lr = keras_gan.data.degrade(hr, scale=2)
    model.fit(lr, hr, batch_size=2, epochs=1, verbose=0)
    fake = model.generator(lr, training=True)
    terms = model.generator_terms(inputs=lr, targets=hr, fake=fake, labels=None)
    expected = np.mean((np.asarray(extractor(fake)) - np.asarray(extractor(hr))) ** 2)
    np.testing.assert_allclose(terms["content"], expected, rtol=1e-5)
    assert not model.content_extractor.trainable_weights  # frozen
    loaded = _round_trip(model, tmp_path / "srgan.keras", lr)
    np.testing.assert_array_equal(loaded.content_extractor.get_weights()[0],
                                  extractor.get_weights()[0])


def test_vgg19_features_build_offline_without_weights():
    features = networks.vgg19_features(weights=None)
    out = features(np.zeros((1, 32, 32, 3), "float32"))
    assert out.shape == (1, 2, 2, 512)  # block5_conv4 of a 32x32 image


def test_degrade_blurs_then_downsamples():
    hr = np.zeros((1, 8, 8, 1), "float32")
    hr[0, 3, 3, 0] = 1.0
    lr = keras_gan.data.degrade(hr, scale=2, blur_sigma=0.0)
    # Without blur: area downsampling (the mean of each 2x2 block).
    assert lr.shape == (1, 4, 4, 1) and lr[0, 1, 1, 0] == pytest.approx(0.25)
    blurred = keras_gan.data.degrade(hr, scale=2, blur_sigma=1.0)
    assert blurred[0, 1, 1, 0] < 0.25 and blurred.sum() == pytest.approx(lr.sum(), rel=0.05)
    with pytest.raises(ValueError, match="divisible"):
        keras_gan.data.degrade(np.zeros((1, 9, 9, 1), "float32"), scale=2)


# --- context encoder --------------------------------------------------------

def test_context_encoder_masks_reconstruction_and_round_trip(tmp_path):
    g = networks.context_encoder_generator(32, 3, base_filters=4, bottleneck=8)
    d = networks.dcgan_discriminator(32, 3, base_filters=4)
    model = keras_gan.ContextEncoder(g, d, mask="random", mask_size=0.5, seed=1)
    masks = model.masks(2, 32, 32, np.array([[0.0, 0.0], [1.0, 1.0]]))
    assert masks.shape == (2, 32, 32, 1) and float(tf.reduce_sum(masks[0])) == 256
    assert masks[0, 0, 0, 0] == 1 and masks[1, 31, 31, 0] == 1 and masks[1, 0, 0, 0] == 0
    images = _pictures(4, size=32)
    inputs, targets, step_masks = model.split_data(images, tf.constant(0, tf.int64))
    np.testing.assert_array_equal(np.asarray(inputs)[np.asarray(step_masks)[..., 0] == 1], 0)
    # Reconstruction loss: MSE over the hole only.
    fake = np.zeros_like(images)
    terms = model.generator_terms(inputs=inputs, targets=targets, fake=fake, labels=step_masks)
    m = np.asarray(step_masks)
    np.testing.assert_allclose(terms["reconstruction"],
                               np.sum(images**2 * m) / (m.sum() * 3), rtol=1e-5)
    model.compile()
    history = model.fit(images, batch_size=2, epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    np.testing.assert_allclose(
        logs["g_loss"], 0.001 * logs["g_adversarial"] + 0.999 * logs["reconstruction"], rtol=1e-4)
    filled = model.translate(images, seed=3)
    model.save(tmp_path / "ce.keras")
    loaded = keras.models.load_model(tmp_path / "ce.keras")
    assert loaded.mask == "random" and loaded.mask_size == 0.5
    np.testing.assert_allclose(loaded.translate(images, seed=3), filled, atol=1e-5)
    # Outside the hole the completed images are the originals.
    hole = np.asarray(model.masks(4, 32, 32, np.random.default_rng(3).uniform(size=(4, 2))))
    np.testing.assert_array_equal(filled[hole[..., 0] == 0], images[hole[..., 0] == 0])
    with pytest.raises(ValueError, match="center"):
        keras_gan.ContextEncoder(g, d, mask="ring")


# --- StarGAN -----------------------------------------------------------------

def test_stargan_trains_with_attribute_labels_and_round_trips(tmp_path):
    model = _stargan(3)
    model.compile(d_steps=1)
    images = _pictures(4, size=16)
    labels = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]], "float32")
    history = model.fit(images, labels, batch_size=2, epochs=1, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    for key in ("gp", "classification", "reconstruction", "d_classification"):
        assert np.isfinite(logs[key]), key
    # Three attributes of an untrained head: sigmoid cross-entropy near 3 log 2.
    assert 0.5 * 3 * math.log(2) < logs["d_classification"] < 2 * 3 * math.log(2)
    np.testing.assert_allclose(
        logs["g_loss"],
        logs["g_adversarial"] + logs["classification"] + 10 * logs["reconstruction"], rtol=1e-4)
    _round_trip(model, tmp_path / "star.keras", images, labels[::-1].copy())
    # A single target vector applies to every image.
    assert model.translate(images, labels[0]).shape == images.shape


def test_stargan_classification_loss_and_target_labels_closed_form():
    model = _stargan([2, 3], multi_label=[True, False])
    logits = np.array([[2.0, -1.0, 0.5, 0.1, -0.3], [0.3, 0.2, 1.0, 2.0, 0.0]], "float32")
    # Sample 0 from dataset 0 (attributes [1, 0]); sample 1 from dataset 1 (class 1 of 3).
    labels = np.array([[1, 0, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 0, 1]], "float32")
    sigmoid_ce = lambda z, t: max(z, 0) - z * t + math.log1p(math.exp(-abs(z)))  # noqa: E731
    first = sigmoid_ce(2.0, 1) + sigmoid_ce(-1.0, 0)
    group = np.array([1.0, 2.0, 0.0])
    second = -(group[1] - math.log(np.exp(group).sum()))
    np.testing.assert_allclose(model.classification_loss(logits, labels), first + second,
                               rtol=1e-5)
    uniform = np.array([[0.2, 0.7, 0.9, 0.1, 0.5], [0.2, 0.7, 0.9, 0.1, 0.5]], "float32")
    target = np.asarray(model.target_labels(labels, uniform))
    # Dataset 0: attributes u < 0.5; other group zero; the mask vector kept.
    np.testing.assert_array_equal(target[0], [1, 0, 0, 0, 0, 1, 0])
    # Dataset 1: one-hot of floor(0.9 * 3) = 2 in its own group only.
    np.testing.assert_array_equal(target[1], [0, 0, 0, 0, 1, 0, 1])


def test_stargan_checks_labels_and_networks():
    model = _stargan(3)
    model.compile(d_steps=1)
    with pytest.raises(ValueError, match="size 3"):
        model.fit(_pictures(2, size=16), np.zeros((2, 4), "float32"), batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="needs target"):
        model.translate(_pictures(1, size=16))
    g = networks.stargan_generator(3, 3, base_filters=4, num_blocks=1)
    d = networks.stargan_discriminator(16, 3, num_domains=4, base_filters=4)
    with pytest.raises(ValueError, match="num_domains=3"):
        keras_gan.StarGAN(g, d, 3)


def test_per_sample_critics_judge_real_and_fake_in_one_call_with_the_same_result():
    from keras_gan.models import _critic

    def critic(name):
        inputs = keras.Input((32, 32, 3))
        h = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(4, 4, strides=2)(inputs))
        return keras.Model(inputs, keras.layers.Conv2D(1, 3)(h), name=name)

    a, b = _pictures(4), _pictures(4, seed=1)
    trained = []
    for joint in (True, False):
        keras.utils.set_random_seed(0)
        model = keras_gan.CycleGAN(
            networks.resnet_translation_generator(3, 3, base_filters=4, num_blocks=1, name="g"),
            critic("d_b"),
            networks.resnet_translation_generator(3, 3, base_filters=4, num_blocks=1, name="f"),
            critic("d_a"), pool_size=0, seed=1)
        model.compile(d_optimizer=keras.optimizers.SGD(0.05),
                      g_optimizer=keras.optimizers.SGD(0.05))
        assert _critic.per_sample_network(model.discriminator)
        if not joint:
            for network in (model.discriminator, model.inverse_discriminator):
                _critic._verdicts[network] = False
        model.fit(tf.data.Dataset.from_tensor_slices((a, b)).batch(2), epochs=1, verbose=0)
        trained.append(model)
    for name in ("discriminator", "inverse_discriminator", "generator"):
        assert_weights_close(getattr(trained[0], name).get_weights(),
                             getattr(trained[1], name).get_weights(), atol=1e-5)
