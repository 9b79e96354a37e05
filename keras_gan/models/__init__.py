"""GAN models: the engine and its named variants."""

from keras_gan.models._guard import NonFiniteGuard, NonFiniteLossError
from keras_gan.models.conditional import ConditionalGAN
from keras_gan.models.gan import GAN
from keras_gan.models.variants import DRAGAN, LSGAN, SNGAN, WGAN, WGANGP

__all__ = ["GAN", "ConditionalGAN", "WGAN", "WGANGP", "LSGAN", "DRAGAN", "SNGAN", "NonFiniteGuard", "NonFiniteLossError"]
