"""GAN models: the engine and its named variants."""

from keras_gan.models._guard import NonFiniteGuard, NonFiniteLossError
from keras_gan.models.acgan import ACGAN, BigGAN
from keras_gan.models.bigan import BiGAN
from keras_gan.models.cogan import CoGAN
from keras_gan.models.conditional import ConditionalGAN
from keras_gan.models.engine import Engine, Phase
from keras_gan.models.cyclegan import CycleGAN, ImagePool
from keras_gan.models.dann import DANN
from keras_gan.models.ebgan import EBGAN
from keras_gan.models.gan import GAN
from keras_gan.models.image_to_image import ImageToImageGAN
from keras_gan.models.inpainting import ContextEncoder
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.lapgan import LAPGAN
from keras_gan.models.pix2pix import Pix2Pix
from keras_gan.models.progan import ProGAN
from keras_gan.models.semi_supervised import SemiSupervisedGAN
from keras_gan.models.simgan import SimGAN
from keras_gan.models.singan import SinGAN
from keras_gan.models.srgan import SRGAN
from keras_gan.models.stargan import StarGAN
from keras_gan.models.stylegan import StyleGAN, StyleGAN2
from keras_gan.models.vae import VAE, VAEGAN
from keras_gan.models.variants import DRAGAN, LSGAN, MMDGAN, SAGAN, SNGAN, WGAN, WGANGP

__all__ = ["Engine", "Phase", "GAN", "ConditionalGAN", "ACGAN", "InfoGAN", "SemiSupervisedGAN", "BigGAN", "WGAN", "WGANGP", "LSGAN", "DRAGAN", "SNGAN", "SAGAN", "MMDGAN", "ProGAN", "StyleGAN", "StyleGAN2", "SinGAN", "LAPGAN", "ImageToImageGAN", "Pix2Pix", "CycleGAN", "ImagePool", "SRGAN", "StarGAN", "ContextEncoder", "VAE", "VAEGAN", "BiGAN", "EBGAN", "DANN", "CoGAN", "SimGAN", "NonFiniteGuard", "NonFiniteLossError"]
