"""ProGAN, StyleGAN, StyleGAN2, SAGAN and LAPGAN: networks at every stage,
the penalties against hand-computed values, style mixing, truncation, the
Laplacian pyramid, training and save/load."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import callbacks, layers, networks, regularizers
from keras_gan.models.progan import fade_images
from keras_gan.models.stylegan import mix_styles
from tests.conftest import assert_weights_close

SMALL = {"fmap_base": 32, "fmap_max": 8}


def _images(n, size, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 3)).astype("float32")


def _latents(n, dim=8, seed=0):
    return np.random.default_rng(seed).standard_normal((n, dim)).astype("float32")


def _progan(resolution=16):
    return keras_gan.ProGAN(networks.progan_generator(8, resolution, 3, **SMALL),
                            networks.progan_discriminator(resolution, 3, **SMALL),
                            latent_dim=8, seed=1)


def _stylegan(version=2, resolution=8, randomize_noise=False):
    g = networks.stylegan_generator(8, resolution, 3, mapping_layers=2, version=version,
                                    randomize_noise=randomize_noise, **SMALL)
    d = networks.stylegan2_discriminator(resolution, 3, **SMALL)
    model = keras_gan.StyleGAN2 if version == 2 else keras_gan.StyleGAN
    return model(g, d, latent_dim=8, seed=1)


# --- progressive growing ----------------------------------------------------

def test_progan_networks_at_every_level_of_detail():
    g = networks.progan_generator(8, 16, 3, **SMALL)
    d = networks.progan_discriminator(16, 3, **SMALL)
    z = _latents(4)
    for lod, block in ((0.0, 1), (1.0, 2), (2.0, 4)):
        g.get_layer("lod").lod.assign(lod)
        d.get_layer("lod").lod.assign(lod)
        images = g(z).numpy()
        assert images.shape == (4, 16, 16, 3)
        # At lod k the image is the 16 / 2^k one upsampled: constant k x k blocks.
        blocks = images.reshape(4, 16 // block, block, 16 // block, block, 3)
        np.testing.assert_allclose(
            blocks, np.broadcast_to(blocks[:, :, :1, :, :1], blocks.shape), atol=1e-6)
        assert d(images).shape == (4, 1)
    # A real image at lod k is its 2^k x 2^k block means, as the generator's output.
    real = _images(2, 16)
    faded = fade_images(real, 1.0).numpy()
    means = real.reshape(2, 8, 2, 8, 2, 3).mean(axis=(2, 4))
    np.testing.assert_allclose(faded, np.repeat(np.repeat(means, 2, 1), 2, 2), atol=1e-6)
    np.testing.assert_allclose(fade_images(real, 0.0), real, atol=1e-6)
    half = fade_images(real, 0.5).numpy()
    np.testing.assert_allclose(half, 0.5 * real + 0.5 * faded, atol=1e-6)


def test_fade_in_is_continuous_across_growth_steps_and_saved(tmp_path):
    gan = _progan()
    z = _latents(3)

    def output(lod):
        gan.set_lod(lod)
        return gan.generator(z).numpy()

    for level in (1.0, 2.0):  # the growth steps 4 -> 8 and 8 -> 16
        below, at, above = output(level - 1e-4), output(level), output(level + 1e-4)
        assert np.abs(below - at).max() < 1e-2 and np.abs(above - at).max() < 1e-3
        assert np.abs(output(level - 0.5) - at).max() > 10 * np.abs(below - at).max()
    # The schedule itself is continuous: stable, then a linear fade.
    schedule = callbacks.ProgressiveGrowing(stable_images=100, fade_images=50)
    assert schedule.lod_at(0, 2.0) == 2.0 and schedule.lod_at(100, 2.0) == 2.0
    assert schedule.lod_at(125, 2.0) == pytest.approx(1.5)
    assert schedule.lod_at(150, 2.0) == pytest.approx(1.0)
    assert abs(schedule.lod_at(149, 2.0) - schedule.lod_at(150, 2.0)) <= 1 / 50 + 1e-9
    assert schedule.lod_at(10**6, 2.0) == 0.0
    # The level of detail and the images seen are saved with the model.
    gan.compile()
    gan.fit(_images(8, 16), batch_size=4, epochs=1, verbose=0,
            callbacks=[callbacks.ProgressiveGrowing(stable_images=2, fade_images=4,
                                                    directory=tmp_path / "res")])
    assert int(gan.images_seen.numpy()) == 8
    assert gan.lod == pytest.approx(2.0 - 2.0 / 4.0)  # set before the 2nd batch: 4 seen
    assert sorted(p.name for p in (tmp_path / "res").iterdir()) == [
        "resolution_4.keras", "resolution_8.keras"]
    gan.save(tmp_path / "progan.keras")
    loaded = keras.models.load_model(tmp_path / "progan.keras")
    assert loaded.lod == pytest.approx(gan.lod) and int(loaded.images_seen.numpy()) == 8
    np.testing.assert_allclose(loaded.generate(latents=z), gan.generate(latents=z), atol=1e-6)
    assert keras.models.load_model(tmp_path / "res" / "resolution_4.keras").lod == 2.0


def test_progan_refuses_networks_without_a_level_of_detail():
    g = networks.dcgan_generator(8, 32, 3, base_filters=4)
    with pytest.raises(ValueError, match="LevelOfDetail"):
        keras_gan.ProGAN(g, networks.progan_discriminator(32, 3, **SMALL), latent_dim=8)
    with pytest.raises(TypeError, match="ProGAN"):
        gan = keras_gan.GAN(g, networks.dcgan_discriminator(32, 3, base_filters=4), latent_dim=8)
        gan.compile()
        gan.fit(_images(4, 32), batch_size=4, verbose=0,
                callbacks=[callbacks.ProgressiveGrowing(10, 10)])


# --- style-based generators ---------------------------------------------------

@pytest.mark.parametrize("version", [1, 2])
def test_style_generators_at_every_resolution(version):
    for resolution in (8, 16, 32):
        g = networks.stylegan_generator(8, resolution, 3, mapping_layers=2, version=version,
                                        **SMALL)
        synthesis = g.get_layer("synthesis")
        assert tuple(synthesis.input.shape[1:]) == (2 * int(math.log2(resolution)) - 2, 8)
        assert g(_latents(2)).shape == (2, resolution, resolution, 3)
        d = networks.stylegan2_discriminator(resolution, 3, **SMALL)
        assert d(_images(2, resolution)).shape == (2, 1)
    with pytest.raises(ValueError, match="version"):
        networks.synthesis_network(8, version=3)


def test_demodulated_weights_have_unit_norm_per_output_channel():
    layer = layers.ModulatedConv2D(5, 3)
    x, w = _images(2, 4), _latents(2)
    layer([x, w])
    layer.affine.kernel.assign(np.random.default_rng(1).standard_normal((8, 3)))
    kernel = layer.modulated_kernel(w).numpy()  # (batch, k, k, in, out)
    norms = np.sqrt((kernel**2).sum(axis=(1, 2, 3)))
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)
    # The fused call equals the convolution with each sample's demodulated kernel.
    per_sample = np.stack([tf.nn.conv2d(x[i:i + 1], kernel[i], 1, "SAME")[0] for i in range(2)])
    np.testing.assert_allclose(layer([x, w]), per_sample + layer.bias.numpy(), atol=1e-5)


def test_path_length_and_r1_equal_hand_computed_values_on_linear_toys():
    rng = np.random.default_rng(0)
    batch, num_ws, w_dim, size = 3, 2, 4, 2
    matrix = rng.standard_normal((num_ws * w_dim, size * size * 3)).astype("float32")
    ws = rng.standard_normal((batch, num_ws, w_dim)).astype("float32")
    noise = rng.standard_normal((batch, size, size, 3)).astype("float32")

    def synthesize(styles):  # a linear generator: images = w A
        return tf.reshape(tf.reshape(styles, (-1, num_ws * w_dim)) @ matrix, (-1, size, size, 3))

    penalty, new_mean, lengths = regularizers.path_length_penalty(
        synthesize, ws, noise, tf.constant(0.5), decay=0.01)
    grads = (noise.reshape(batch, -1) / math.sqrt(size * size)) @ matrix.T
    expected_lengths = np.sqrt((grads.reshape(batch, num_ws, w_dim) ** 2).sum(-1).mean(-1))
    expected_mean = 0.5 + 0.01 * (expected_lengths.mean() - 0.5)
    np.testing.assert_allclose(lengths, expected_lengths, rtol=1e-5)
    np.testing.assert_allclose(new_mean, expected_mean, rtol=1e-5)
    np.testing.assert_allclose(penalty, ((expected_lengths - expected_mean) ** 2).mean(), rtol=1e-4)

    # R1 of a linear critic D(x) = <v, x> is ||v||^2; of D(x) = <v, x^2>, mean ||2 v x||^2.
    v = rng.standard_normal((size, size, 3)).astype("float32")
    real = rng.standard_normal((batch, size, size, 3)).astype("float32")
    linear = lambda x: tf.reduce_sum(x * v, axis=[1, 2, 3])[:, None]  # noqa: E731
    quadratic = lambda x: tf.reduce_sum(x * x * v, axis=[1, 2, 3])[:, None]  # noqa: E731
    np.testing.assert_allclose(regularizers.r1_penalty(linear, real), (v**2).sum(), rtol=1e-5)
    np.testing.assert_allclose(regularizers.r1_penalty(quadratic, real),
                               ((2 * v * real) ** 2).sum(axis=(1, 2, 3)).mean(), rtol=1e-5)
    drift = regularizers.DriftPenalty(0.001)
    np.testing.assert_allclose(drift(linear, real=real, fake=None),
                               ((real * v).sum(axis=(1, 2, 3)) ** 2).mean(), rtol=1e-5)
    assert regularizers.get("pl").applies_to == "generator"
    assert regularizers.get("drift").applies_to == "discriminator"


def test_style_mixing_changes_only_the_layers_it_should():
    w1 = np.ones((3, 6, 2), "float32")
    w2 = -np.ones((3, 6, 2), "float32")
    mixed = mix_styles(w1, w2, tf.constant([1.0, 4.0, 6.0])).numpy()
    np.testing.assert_array_equal(mixed[0, :1], 1.0)
    np.testing.assert_array_equal(mixed[0, 1:], -1.0)
    np.testing.assert_array_equal(mixed[1, :4], 1.0)
    np.testing.assert_array_equal(mixed[1, 4:], -1.0)
    np.testing.assert_array_equal(mixed[2], 1.0)  # cutoff = num_ws: no mixing
    # The cutoffs drawn in training: uniform over 1..num_ws-1 with probability p.
    gan = _stylegan(2, 16)
    gan.style_mixing = 0.5
    num_ws = gan.num_ws
    u = np.linspace(0, 0.999, 1000).astype("float32")
    w = tf.constant(np.zeros((1000, 8), "float32"))
    mapping = gan.generator.get_layer("mapping")
    latents = {"z": _latents(1000), "z_mix": _latents(1000, seed=1), "mix": u}
    styles = gan._training_styles(w, mapping, latents, False).numpy()
    switched = np.abs(styles - styles[:, :1]).max(axis=2) > 0  # layer differs from layer 0
    first = np.where(switched.any(1), switched.argmax(1), num_ws)
    assert (first[u >= 0.5] == num_ws).all()
    counts = np.bincount(first[u < 0.5], minlength=num_ws + 1)
    assert counts[0] == 0 and set(np.nonzero(counts)[0]) == set(range(1, num_ws))
    # style_mix: image [i, j] = synthesis of row i's styles with column j's at `layers`.
    rows, columns = _latents(2, seed=2), _latents(3, seed=3)
    grid = gan.style_mix(rows, columns, layers=range(0, 2))
    assert grid.shape == (2, 3, 16, 16, 3)
    ws_rows, ws_columns = gan.styles(rows), gan.styles(columns)
    manual = ws_rows[1].copy()
    manual[:2] = ws_columns[2, :2]
    np.testing.assert_allclose(grid[1, 2], gan.synthesize(manual[None])[0], atol=1e-5)
    assert not np.allclose(grid[1, 2], gan.synthesize(ws_rows[1:2])[0], atol=1e-3)
    with pytest.raises(ValueError, match="layers"):
        gan.style_mix(rows, columns, layers=[num_ws])


def test_a_style_only_reaches_the_layers_that_read_it():
    g = networks.stylegan_generator(8, 16, 3, mapping_layers=2, randomize_noise=False, **SMALL)
    synthesis = g.get_layer("synthesis")
    # Styles 0-2 drive conv_4b, to_rgb_4/conv_8a and conv_8b; 3-5 the 8x8 RGB and 16x16 layers.
    features_8 = keras.Model(synthesis.input, synthesis.get_layer("lrelu_8b").output)
    ws = np.repeat(_latents(2)[:, None], 6, axis=1)
    changed_fine = ws.copy()
    changed_fine[:, 3:] = _latents(2, seed=9)[:, None]
    changed_coarse = ws.copy()
    changed_coarse[:, 2] = _latents(2, seed=9)
    np.testing.assert_allclose(features_8(changed_fine), features_8(ws), atol=1e-6)
    assert not np.allclose(synthesis(changed_fine), synthesis(ws), atol=1e-4)
    assert not np.allclose(features_8(changed_coarse), features_8(ws), atol=1e-4)


def test_truncation_in_w_pulls_samples_to_the_average():
    gan = _stylegan(2, 8)
    gan.w_average.assign(np.full((8,), 0.25, "float32"))
    z = _latents(4)
    collapsed = gan.generate(latents=z, psi=0.0)
    np.testing.assert_allclose(collapsed, np.repeat(collapsed[:1], 4, 0), atol=1e-5)
    np.testing.assert_allclose(gan.generate(latents=z, psi=1.0), gan.generator(z), atol=1e-5)
    ws = gan.styles(z, psi=0.5, cutoff=2)
    plain = gan.styles(z)
    np.testing.assert_allclose(ws[:, :2], 0.25 + 0.5 * (plain[:, :2] - 0.25), rtol=1e-5)
    np.testing.assert_allclose(ws[:, 2:], plain[:, 2:])
    # discriminator-guided refinement acts on z, before the truncation in W
    refined = gan.refine_latents(z, steps=2, step_size=0.1)
    assert not np.allclose(refined, z)
    np.testing.assert_allclose(gan.generate(latents=z, psi=0.5, refine_steps=2, refine_step_size=0.1),
                               gan.generate(latents=refined, psi=0.5), atol=1e-5)


# --- training, saving, loading -------------------------------------------------

def _lapgan():
    g = networks.lapgan_generator(8, 16, 3, levels=2, filters=4, hidden=16)
    d = networks.lapgan_discriminator(16, 3, levels=2, filters=4, hidden=16)
    return keras_gan.LAPGAN(g, d, latent_dim=8, seed=1)


def test_lapgan_pyramid_and_coarse_to_fine_sampling():
    gan = _lapgan()
    assert gan.latent_dim == 8 + 16 * 16 and gan.coarse_latent_dim == 8
    real = _images(2, 16)
    residual, coarse, image_0 = [np.asarray(x) for x in gan.decompose(real)]
    # I_0 is the 2x2 block means; l_1 its bilinear upsampling; the pyramid is exact.
    np.testing.assert_allclose(image_0, real.reshape(2, 8, 2, 8, 2, 3).mean(axis=(2, 4)),
                               atol=1e-6)
    np.testing.assert_allclose(coarse, keras.layers.UpSampling2D(2, interpolation="bilinear")(
        image_0), atol=1e-6)
    np.testing.assert_allclose(coarse + residual, real, atol=1e-6)
    # Training fakes refine the *real* coarse image; sampling runs coarse to fine.
    latents = gan.sample_latents(2, seed=0)
    fake = gan.generate_images(latents, labels=gan.decompose(real))
    assert [tuple(x.shape) for x in fake] == [(2, 16, 16, 3), (2, 16, 16, 3), (2, 8, 8, 3)]
    np.testing.assert_allclose(fake[1], coarse, atol=1e-6)
    levels = gan.generate_levels(3, seed=4)
    assert [x.shape for x in levels] == [(3, 8, 8, 3), (3, 16, 16, 3)]
    np.testing.assert_allclose(levels[-1], gan.generate(3, seed=4), atol=1e-5)
    with pytest.raises(ValueError, match="z_0 size"):
        keras_gan.LAPGAN(gan.generator, gan.discriminator, latent_dim=9)
    with pytest.raises(ValueError, match="penalties"):
        gan.compile(penalties=["gp"])


@pytest.mark.parametrize("kind", ["progan", "stylegan", "stylegan2", "sagan", "lapgan"])
def test_models_train_save_and_reload_with_equal_outputs(kind, tmp_path):
    keras.utils.set_random_seed(0)
    fit_callbacks = []
    if kind == "progan":
        gan, size = _progan(8), 8
        fit_callbacks = [callbacks.ProgressiveGrowing(4, 4)]
    elif kind == "sagan":
        size = 32
        g = networks.resnet_generator(8, 32, 3, widths=[8, 8, 8], spectral_norm=True,
                                      attention_resolution=16)
        d = networks.resnet_discriminator(32, 3, widths=[8, 8, 8, 8], attention_resolution=16)
        gan = keras_gan.SAGAN(g, d, latent_dim=8, seed=1)
    elif kind == "lapgan":
        gan, size = _lapgan(), 16
    else:
        gan, size = _stylegan(2 if kind == "stylegan2" else 1, 8), 8
        fit_callbacks = [callbacks.GeneratorEMA(0.9)]
    gan.compile()
    history = gan.fit(_images(16, size), batch_size=4, epochs=1, verbose=0,
                      callbacks=fit_callbacks)
    logs = {k: v[-1] for k, v in history.history.items()}
    assert all(np.isfinite(v) for v in logs.values()), logs
    if kind == "progan":
        assert {"gp", "drift"} <= set(logs) and gan.lod < gan.max_lod
    if kind == "stylegan2":
        # Lazy R1 every 16 critic steps, path length every 4 generator steps (steps 0 and 4 of 4).
        assert logs["r1"] > 0 and logs["pl"] > 0
        assert gan.penalty_means.means["pl"].numpy() > 0
        assert np.abs(gan.w_average.numpy()).max() > 0
    gan.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    assert type(loaded) is type(gan)
    assert_weights_close(loaded.weights, gan.weights)
    z = _latents(4, gan.latent_dim)
    np.testing.assert_allclose(loaded.generate(latents=z), gan.generate(latents=z), atol=1e-5)
    if kind.startswith("stylegan"):
        np.testing.assert_allclose(loaded.generate(latents=z, psi=0.7),
                                   gan.generate(latents=z, psi=0.7), atol=1e-5)
        assert loaded.style_mixing == gan.style_mixing
    # Training continues from the reloaded state.
    loaded.fit(_images(4, size), batch_size=4, epochs=1, verbose=0)


def test_stylegan_defaults_and_errors():
    gan = _stylegan(2, 8)
    gan.compile()
    names = {p.name: p for p in gan.penalties}
    assert names["r1"].interval == 16 and names["pl"].interval == 4 and names["pl"].weight == 2
    assert gan.ema_generator is not None
    with pytest.raises(ValueError, match="mapping"):
        keras_gan.StyleGAN(networks.dcgan_generator(8, 32, 3, base_filters=4),
                           networks.dcgan_discriminator(32, 3, base_filters=4), latent_dim=8)
    with pytest.raises(ValueError, match="discriminator penalties only"):
        g = networks.unet_generator(32, 3, 3, base_filters=4)
        d = networks.patchgan_discriminator(32, 3, 3, base_filters=4, num_downsamples=1)
        keras_gan.Pix2Pix(g, d).compile(penalties=["pl"])
    with pytest.warns(UserWarning, match="SelfAttention2D"):
        keras_gan.SAGAN(networks.dcgan_generator(8, 32, 3, base_filters=4),
                        networks.dcgan_discriminator(32, 3, base_filters=4), latent_dim=8)


def test_path_length_penalty_on_a_plain_gan_uses_the_input_latents():
    g = networks.dcgan_generator(8, 32, 3, base_filters=4)
    d = networks.dcgan_discriminator(32, 3, base_filters=4)
    gan = keras_gan.GAN(g, d, latent_dim=8, seed=1)
    gan.compile(penalties=[regularizers.PathLengthPenalty(interval=1)])
    logs = gan.fit(_images(8, 32), batch_size=4, epochs=1, verbose=0).history
    assert logs["pl"][-1] > 0
    mean = gan.penalty_means.means["pl"].numpy()
    assert 0 < mean < 1  # two updates of 0.01 towards lengths of order 1-10
