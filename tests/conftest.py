"""Test set-up: quiet TensorFlow, two logical CPU devices, float32 by default."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# XLA by default costs a compile per fit, which would dominate hundreds of
# two-step fits; tests/test_xla.py lifts this and trains every kind of model
# under XLA. Subprocesses (multi-worker, SIGKILL tests) inherit it.
os.environ.setdefault("KERAS_GAN_JIT", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Two logical CPU devices let the distribution tests run MirroredStrategy on
# one machine. This must happen before TensorFlow initializes its devices.
_cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    _cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
)


@pytest.fixture(autouse=True)
def _float32_policy_and_seed():
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(0)
    yield
    keras.mixed_precision.set_global_policy("float32")


def tiny_mlp_gan(cls=None, latent_dim=4, seed=1, hidden=(16,)):
    """A small MLP GAN on 2D points."""
    import keras_gan

    cls = cls or keras_gan.GAN
    generator = keras_gan.networks.mlp_generator(latent_dim, 2, hidden)
    discriminator = keras_gan.networks.mlp_discriminator(2, hidden)
    return cls(generator, discriminator, latent_dim, seed=seed)


def tiny_image_gan(cls=None, latent_dim=8, seed=1, batchnorm=True, synchronized=False):
    """A small DCGAN on 28x28x1 images."""
    import keras_gan

    cls = cls or keras_gan.GAN
    generator = keras_gan.networks.dcgan_generator(
        latent_dim, 28, 1, base_filters=4, synchronized_batchnorm=synchronized)
    discriminator = keras_gan.networks.dcgan_discriminator(
        28, 1, base_filters=4, batchnorm=batchnorm, synchronized_batchnorm=synchronized)
    return cls(generator, discriminator, latent_dim, seed=seed)


def ring_points(n=64, seed=0):
    import keras_gan

    return keras_gan.data.sample_mixture(keras_gan.data.ring_centers(), 0.02, n, seed=seed)


def images(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n, 28, 28, 1)).astype("float32")


def assert_resumes_exactly(build, data, path, batch_size=8, compile_kwargs=None):
    """Two epochs straight against one epoch, `save`, `load_model` and one
    more epoch, from equal weights: the weights must end equal. Returns
    `(model saved after one epoch, the reloaded model after its epoch)`."""
    compile_kwargs = compile_kwargs or dict
    uninterrupted = build()
    initial = [w.numpy().copy() for w in uninterrupted.weights]
    uninterrupted.compile(**compile_kwargs())
    uninterrupted.fit(data, batch_size=batch_size, epochs=2, verbose=0, shuffle=False)
    first = build()
    first.set_weights(initial)
    first.compile(**compile_kwargs())
    first.fit(data, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    first.save(path)
    restored = keras.models.load_model(path)
    reloaded = [w.numpy().copy() for w in restored.weights]
    assert_weights_close(reloaded, first.weights)
    restored.fit(data, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    assert_weights_close(restored.weights, uninterrupted.weights, atol=1e-6)
    return first, restored


def assert_weights_close(a, b, atol=1e-6):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), atol=atol, rtol=0)


def tiny_conditional_gan(num_classes=4, latent_dim=8, seed=1):
    """A small class-conditional DCGAN on 32x32x3 images."""
    import keras_gan

    g = keras_gan.networks.dcgan_generator(latent_dim, 32, 3, 2, num_classes=num_classes)
    d = keras_gan.networks.dcgan_discriminator(32, 3, 2, num_classes=num_classes)
    return keras_gan.ConditionalGAN(g, d, latent_dim, num_classes=num_classes, seed=seed)


def randomize_networks(gan, seed, scale=0.3):
    """Draws the generator's and discriminator's trainable weights from
    N(0, scale^2): an untrained model's logits barely depend on its input, and
    larger weights make gradients through it well above float32 rounding."""
    rng = np.random.default_rng(seed)
    for variable in gan.generator.trainable_weights + gan.discriminator.trainable_weights:
        variable.assign(rng.normal(0.0, scale, variable.shape).astype("float32"))
    return gan
