import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import networks


@pytest.mark.parametrize("resolution", [28, 32, 64, 128, 256])
def test_dcgan_every_resolution(resolution):
    g = networks.dcgan_generator(8, resolution, 3, base_filters=2)
    d = networks.dcgan_discriminator(resolution, 3, base_filters=2)
    assert g.output_shape == (None, resolution, resolution, 3)
    assert d.output_shape == (None, 1)
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in (g.layers[-2], d.layers[1]))


@pytest.mark.parametrize("conditioning", ["embedding", "one_hot"])
def test_conditional_dcgan(conditioning):
    g = networks.dcgan_generator(8, 32, 1, base_filters=2, num_classes=10, conditioning=conditioning)
    d = networks.dcgan_discriminator(32, 1, base_filters=2, num_classes=10, conditioning=conditioning)
    labels = tf.constant([0, 9])
    images = g([tf.random.normal((2, 8)), labels])
    assert images.shape == (2, 32, 32, 1) and d([images, labels]).shape == (2, 1)
    other = g([tf.zeros((2, 8)), tf.constant([1, 2])])
    assert not np.allclose(g([tf.zeros((2, 8)), labels]), other)  # labels change the output
    with pytest.raises(ValueError, match="conditioning"):
        networks.dcgan_generator(8, 32, 1, num_classes=10, conditioning="film")


def _tiny_resnet(resolution, **kwargs):
    from keras_gan.networks import resnet

    g = networks.resnet_generator(8, resolution, 3, widths=(4,) * len(resnet._G_WIDTHS[resolution]), **kwargs)
    d = networks.resnet_discriminator(resolution, 3, widths=(4,) * len(resnet._D_WIDTHS[resolution]), **kwargs)
    return g, d


@pytest.mark.parametrize("resolution", [32, 64])
def test_resnet_shapes_options_and_one_gan_step(resolution):
    g, d = _tiny_resnet(resolution, attention_resolution=16, spectral_norm=True)
    assert g.output_shape == (None, resolution, resolution, 3) and d.output_shape == (None, 1)
    assert any(isinstance(l, keras_gan.layers.SelfAttention2D) for l in g.layers)
    assert any(isinstance(l, keras_gan.layers.SelfAttention2D) for l in d.layers)
    assert sum(isinstance(l, keras.layers.SpectralNormalization) for l in d.layers) > 5
    gan = keras_gan.SNGAN(g, d, 8, seed=0)
    gan.compile(d_steps=1)
    x = np.random.default_rng(0).uniform(-1, 1, (4, resolution, resolution, 3)).astype("float32")
    history = gan.fit(x, batch_size=2, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())


def test_resnet_conditional_batchnorm_and_projection():
    g, d = _tiny_resnet(32, num_classes=5)
    assert any(isinstance(l, keras_gan.layers.ConditionalBatchNormalization) for l in g.layers)
    labels = tf.constant([0, 4])
    images = g([tf.random.normal((2, 8), seed=1), labels], training=True)
    assert images.shape == (2, 32, 32, 3)
    images = tf.random.uniform((2, 32, 32, 3), -1, 1, seed=2)
    logits = d([images, labels])
    assert logits.shape == (2, 1)
    # The projection term: changing the label changes the logit of the same image.
    assert not np.allclose(logits, d([images, tf.constant([1, 2])]))
    with pytest.raises(ValueError, match="resolution 32 or 64"):
        networks.resnet_generator(8, 128)


@pytest.mark.parametrize("resolution", [16, 32, 64, 128, 256, 512])
def test_unet_every_depth(resolution):
    g = networks.unet_generator(resolution, 3, 2, base_filters=2)
    assert g.output_shape == (None, resolution, resolution, 2)


@pytest.mark.parametrize("resolution, patches", [(32, 2), (64, 6), (128, 14), (256, 30), (512, 62)])
def test_patchgan_output_map(resolution, patches):
    d = networks.patchgan_discriminator(resolution, 3, 3, base_filters=2)
    assert d.output_shape == (None, patches, patches, 1)
    with pytest.raises(ValueError, match="fewer"):
        networks.patchgan_discriminator(32, num_downsamples=4)


def test_pix2pix_networks_published_sizes():
    # The 70x70 PatchGAN and the 256x256 U-Net at their published widths.
    assert networks.patchgan_discriminator(256).count_params() == 2_770_497
    assert networks.unet_generator(256).count_params() == 54_424_387


@pytest.mark.parametrize("num_blocks", [6, 9])
def test_cyclegan_generator(num_blocks):
    g = networks.resnet_translation_generator(3, 3, base_filters=2, num_blocks=num_blocks)
    assert g(tf.zeros((1, 32, 48, 3))).shape == (1, 32, 48, 3)  # any size divisible by 4
    assert sum(isinstance(l, keras.layers.GroupNormalization) for l in g.layers) == 2 * num_blocks + 5
    assert sum(isinstance(l, keras_gan.layers.ReflectionPadding2D) for l in g.layers) == 2 * num_blocks + 2


@pytest.mark.parametrize("scale", [2, 4, 8])
def test_srresnet_scales(scale):
    g = networks.srresnet_generator(3, scale, num_blocks=2, filters=4)
    assert g(tf.zeros((1, 6, 5, 3))).shape == (1, 6 * scale, 5 * scale, 3)


def test_srgan_networks_published_sizes():
    assert networks.srresnet_generator().count_params() == 1_554_883  # "1.5M" in Ledig et al.
    d = networks.srgan_discriminator(32, 3, base_filters=2)
    assert d.output_shape == (None, 1)
    with pytest.raises(ValueError, match="multiple of 16"):
        networks.srgan_discriminator(40)


def test_srgan_discriminator_trains_as_a_critic_inside_gan():
    g = networks.dcgan_generator(8, 32, 3, base_filters=2)
    gan = keras_gan.GAN(g, networks.srgan_discriminator(32, 3, base_filters=2), 8, seed=0)
    gan.compile()
    history = gan.fit(np.zeros((4, 32, 32, 3), "float32"), batch_size=2, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())


@pytest.mark.parametrize("builder, inputs", [
    (lambda: networks.unet_generator(16, 3, 3, base_filters=2), [(2, 16, 16, 3)]),
    (lambda: networks.resnet_translation_generator(3, 3, base_filters=2, num_blocks=2), [(2, 16, 16, 3)]),
    (lambda: networks.srresnet_generator(3, 2, num_blocks=1, filters=4), [(2, 8, 8, 3)]),
])
def test_translation_generators_train_one_step(builder, inputs):
    model = builder()
    x = np.random.default_rng(0).uniform(-1, 1, inputs[0]).astype("float32")
    target = model(x)
    model.compile(keras.optimizers.Adam(1e-3), loss="mae")
    before = [w.numpy().copy() for w in model.trainable_weights]
    history = model.fit(x, np.asarray(target) * 0.5, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(b, w.numpy()) for b, w in zip(before, model.trainable_weights))


def test_patchgan_trains_one_step_on_pairs():
    d = networks.patchgan_discriminator(32, 3, 3, base_filters=2)
    d.compile(keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    x = np.zeros((2, 32, 32, 3), "float32")
    history = d.fit([x, x], np.ones((2, 2, 2, 1), "float32"), verbose=0)
    assert np.isfinite(history.history["loss"][0])


BUILDERS = {
    "dcgan_conditional": (lambda: networks.dcgan_generator(8, 32, 1, 2, num_classes=3),
                          lambda: [np.zeros((2, 8), "float32"), np.array([0, 2], "int32")]),
    "resnet_generator": (lambda: _tiny_resnet(32, num_classes=3, spectral_norm=True, attention_resolution=8)[0],
                         lambda: [np.zeros((2, 8), "float32"), np.array([0, 2], "int32")]),
    "resnet_discriminator": (lambda: _tiny_resnet(32, num_classes=3, attention_resolution=16)[1],
                             lambda: [np.ones((2, 32, 32, 3), "float32"), np.array([0, 2], "int32")]),
    "unet": (lambda: networks.unet_generator(16, 3, 3, 2), lambda: np.ones((2, 16, 16, 3), "float32")),
    "patchgan": (lambda: networks.patchgan_discriminator(32, 3, 3, 2),
                 lambda: [np.ones((2, 32, 32, 3), "float32")] * 2),
    "cyclegan": (lambda: networks.resnet_translation_generator(3, 3, 2, 2),
                 lambda: np.ones((2, 16, 16, 3), "float32")),
    "srresnet": (lambda: networks.srresnet_generator(3, 2, 1, 4), lambda: np.ones((2, 8, 8, 3), "float32")),
    "srgan_discriminator": (lambda: networks.srgan_discriminator(32, 3, 2),
                            lambda: np.ones((2, 32, 32, 3), "float32")),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_save_load_round_trip(name, tmp_path):
    build, make_inputs = BUILDERS[name]
    model = build()
    inputs = make_inputs()
    path = str(tmp_path / f"{name}.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(restored.predict(inputs, verbose=0), model.predict(inputs, verbose=0),
                               atol=1e-6)


def _conditional_gan(g, d, latent_dim, seed):
    return keras_gan.ConditionalGAN(g, d, latent_dim, num_classes=4, seed=seed)


@pytest.mark.parametrize("family", ["dcgan_embedding", "dcgan_one_hot", "resnet"])
def test_conditional_networks_train_one_step_inside_the_engine(family):
    if family == "resnet":
        g, d = _tiny_resnet(32, num_classes=4)
    else:
        conditioning = family.split("_", 1)[1]
        g = networks.dcgan_generator(8, 32, 3, 2, num_classes=4, conditioning=conditioning)
        d = networks.dcgan_discriminator(32, 3, 2, num_classes=4, conditioning=conditioning)
    gan = _conditional_gan(g, d, 8, seed=0)
    gan.compile(loss="hinge")
    x = np.random.default_rng(0).uniform(-1, 1, (4, 32, 32, 3)).astype("float32")
    history = gan.fit(x, np.array([0, 1, 2, 3]), batch_size=2, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert gan.g_optimizer.iterations.numpy() == 2


def test_conditional_generator_in_an_unconditional_gan_is_refused():
    g = networks.dcgan_generator(8, 32, 3, 2, num_classes=4)
    with pytest.raises(ValueError, match="conditional"):
        keras_gan.GAN(g, networks.dcgan_discriminator(32, 3, 2), 8)
