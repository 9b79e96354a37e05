import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import data, networks
from tests.conftest import assert_resumes_exactly


def small_simgan(seed=1, pool_size=8):
    return keras_gan.SimGAN(networks.simgan_refiner(1, filters=4, num_blocks=1),
                            networks.simgan_discriminator(8, 1, filters=(4, 4)),
                            pool_size=pool_size, seed=seed)


def images(n=16, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")


def test_refiner_loss_is_local_adversarial_plus_self_regularization():
    model = small_simgan()
    model.compile(loss_weights={"self_regularization": 2.0},
                  g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    assert model.discriminator.output.shape[1:] == (2, 2, 1)  # one logit per patch
    synthetic, real = images(8), images(8, seed=1)
    logs = model.fit(synthetic, real, batch_size=8, epochs=1, verbose=0).history
    refined = model.translate(synthetic)
    assert logs["self_regularization"][0] == pytest.approx(
        np.mean(np.abs(refined - synthetic)), rel=1e-5)
    patches = np.asarray(model.discriminator(refined))
    adversarial = np.mean(np.log1p(np.exp(-patches)))  # non-saturating, mean over patches
    assert logs["g_adversarial"][0] == pytest.approx(adversarial, rel=1e-4)
    assert logs["g_loss"][0] == pytest.approx(adversarial + 2.0 * logs["self_regularization"][0],
                                              rel=1e-4)


def test_history_pool_fills_and_everything_resumes_exactly(tmp_path):
    synthetic, real = images(16), images(16, seed=1)
    model = small_simgan()
    model.compile()
    model.fit(synthetic, real, batch_size=4, epochs=2, verbose=0, shuffle=False)
    assert int(model.pool.count.numpy()) == 8  # full after two batches
    first, restored = assert_resumes_exactly(small_simgan, (synthetic, real),
                                             tmp_path / "simgan.keras", batch_size=4)
    assert isinstance(restored, keras_gan.SimGAN) and restored.refiner is restored.generator


def test_refinement_data_and_errors():
    synthetic, real, labels = data.load_refinement(num_samples=10)
    assert synthetic.shape == real.shape == (10, 28, 28, 1) and labels.shape == (10,)
    assert set(np.unique(synthetic)) <= {-1.0, 1.0}  # rendered: two intensities
    assert len(np.unique(real)) > 10  # real: anti-aliased
    model = small_simgan()
    model.compile()
    with pytest.raises(ValueError, match=r"\(synthetic, real\)"):
        model.fit(images(8), batch_size=4, verbose=0)
