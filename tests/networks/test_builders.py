import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import networks


@pytest.mark.parametrize("resolution, start", [(28, 7), (32, 4), (64, 4)])
def test_dcgan_shapes(resolution, start):
    g = networks.dcgan_generator(16, resolution, 3, base_filters=4)
    d = networks.dcgan_discriminator(resolution, 3, base_filters=4)
    assert g.output_shape == (None, resolution, resolution, 3)
    assert d.output_shape == (None, 1)
    assert g.get_layer("project").output.shape[-1] == start * start * g.get_layer("project_bn").output.shape[-1]
    images = g(np.zeros((2, 16), "float32"))
    assert d(images).shape == (2, 1)


def test_dcgan_parameter_count_28():
    # G: Dense 16 -> 7*7*8 (no bias), BN(8), ConvT 8->4 (no bias), BN(4), ConvT 4->1 (+bias).
    g = networks.dcgan_generator(16, 28, 1, base_filters=4)
    assert g.count_params() == 16 * 392 + 4 * 8 + 16 * 8 * 4 + 4 * 4 + 16 * 4 * 1 + 1
    # D: Conv 1->4 (+bias), Conv 4->8 (no bias), BN(8), Dense 7*7*8 -> 1.
    d = networks.dcgan_discriminator(28, 1, base_filters=4)
    assert d.count_params() == 16 * 4 + 4 + 16 * 4 * 8 + 4 * 8 + 392 + 1


def test_dcgan_argument_errors():
    with pytest.raises(ValueError, match="resolution=48"):
        networks.dcgan_generator(16, 48)
    with pytest.raises(ValueError, match="channels"):
        networks.dcgan_discriminator(32, 0)


def test_mlp_builders_and_save_round_trip(tmp_path):
    g = networks.mlp_generator(4, 2, (8, 8))
    d = networks.mlp_discriminator(2, (8,))
    assert g.count_params() == (4 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2)
    gan = keras_gan.GAN(g, d, 4, seed=0)
    gan.compile()
    gan.fit(keras_gan.data.sample_mixture(keras_gan.data.ring_centers(), 0.02, 16, seed=0),
            batch_size=8, verbose=0)
    path = str(tmp_path / "mlp.keras")
    gan.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(restored.generate(4, seed=1), gan.generate(4, seed=1), atol=1e-6)
    with pytest.raises(ValueError, match="hidden_units"):
        networks.mlp_generator(4, 2, ())
