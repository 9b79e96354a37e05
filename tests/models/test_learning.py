"""It learns: small MLP GANs recover the modes of the 8-Gaussian ring on CPU.

Ring of radius 1, std 0.02; modes counted with the PacGAN/VEEGAN protocol
(a sample within 3 std of its nearest mode is high quality; a mode with a
high-quality sample is captured). Each run is seeded and takes well under a
minute on two cores.
"""

import keras
import pytest

import keras_gan

pytestmark = pytest.mark.slow

STD = 0.02


def _train_ring(cls, steps, latent_dim=8, width=128, **compile_kwargs):
    keras.utils.set_random_seed(0)
    centers = keras_gan.data.ring_centers(8, 1.0)
    points = keras_gan.data.sample_mixture(centers, STD, 256 * steps, seed=0)
    gan = cls(keras_gan.networks.mlp_generator(latent_dim, 2, (width, width)),
              keras_gan.networks.mlp_discriminator(2, (width, width)), latent_dim, seed=0)
    gan.compile(**compile_kwargs)
    gan.fit(points, batch_size=256, epochs=1, verbose=0)
    return keras_gan.metrics.mode_coverage(gan.generate(2000, seed=1), centers, STD)


def test_gan_recovers_the_ring():
    result = _train_ring(keras_gan.GAN, 2000,
                         d_optimizer=keras.optimizers.Adam(1e-3, 0.5),
                         g_optimizer=keras.optimizers.Adam(1e-3, 0.5))
    assert result["modes"] >= 7, result
    assert result["high_quality"] > 0.3, result  # measured 0.59


def test_wgan_gp_recovers_the_ring():
    # lambda = 0.1, as in the authors' toy-data script ("smaller lambda seems
    # to help for toy tasks specifically"); lambda = 10 needs far more steps.
    result = _train_ring(keras_gan.WGANGP, 1500,
                         d_optimizer=keras.optimizers.Adam(1e-3, 0.5, 0.9),
                         g_optimizer=keras.optimizers.Adam(1e-3, 0.5, 0.9),
                         penalties=[keras_gan.regularizers.GradientPenalty(0.1)])
    assert result["modes"] >= 7, result
    assert result["high_quality"] > 0.2, result  # measured 0.47
