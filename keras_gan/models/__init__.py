"""GAN models: the engine and its named variants."""

from keras_gan.models._guard import NonFiniteGuard, NonFiniteLossError
from keras_gan.models.acgan import ACGAN, BigGAN
from keras_gan.models.conditional import ConditionalGAN
from keras_gan.models.gan import GAN
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.semi_supervised import SemiSupervisedGAN
from keras_gan.models.variants import DRAGAN, LSGAN, SNGAN, WGAN, WGANGP

__all__ = ["GAN", "ConditionalGAN", "ACGAN", "InfoGAN", "SemiSupervisedGAN", "BigGAN", "WGAN", "WGANGP", "LSGAN", "DRAGAN", "SNGAN", "NonFiniteGuard", "NonFiniteLossError"]
