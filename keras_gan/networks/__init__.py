"""Ready-made generator, discriminator and encoder builders returning `keras.Model`s,
and `freeze_blocks` (FreezeD fine-tuning)."""

from keras_gan.networks._blocks import freeze_blocks
from keras_gan.networks.autoencoder import (
    bigan_discriminator,
    cogan_networks,
    conv_decoder,
    conv_encoder,
    dann_networks,
    ebgan_discriminator,
)
from keras_gan.networks.cyclegan import resnet_translation_generator
from keras_gan.networks.dcgan import dcgan_discriminator, dcgan_generator
from keras_gan.networks.lapgan import lapgan_discriminator, lapgan_generator
from keras_gan.networks.mlp import mlp_discriminator, mlp_generator
from keras_gan.networks.inpainting import context_encoder_generator
from keras_gan.networks.pix2pix import (
    multiscale_discriminator,
    patchgan_discriminator,
    unet_generator,
)
from keras_gan.networks.progan import progan_discriminator, progan_generator
from keras_gan.networks.resnet import resnet_discriminator, resnet_generator
from keras_gan.networks.simgan import simgan_discriminator, simgan_refiner
from keras_gan.networks.singan import singan_discriminator, singan_generator
from keras_gan.networks.srgan import srgan_discriminator, srresnet_generator, vgg19_features
from keras_gan.networks.stargan import stargan_discriminator, stargan_generator
from keras_gan.networks.stylegan import (
    mapping_network,
    stylegan2_discriminator,
    stylegan_generator,
    synthesis_network,
)

__all__ = [
    "lapgan_generator",
    "lapgan_discriminator",
    "singan_generator",
    "singan_discriminator",
    "progan_generator",
    "progan_discriminator",
    "stylegan_generator",
    "mapping_network",
    "synthesis_network",
    "stylegan2_discriminator",
    "dcgan_generator",
    "dcgan_discriminator",
    "mlp_generator",
    "mlp_discriminator",
    "resnet_generator",
    "resnet_discriminator",
    "unet_generator",
    "patchgan_discriminator",
    "resnet_translation_generator",
    "srresnet_generator",
    "srgan_discriminator",
    "vgg19_features",
    "multiscale_discriminator",
    "context_encoder_generator",
    "stargan_generator",
    "stargan_discriminator",
    "conv_encoder",
    "conv_decoder",
    "ebgan_discriminator",
    "bigan_discriminator",
    "dann_networks",
    "cogan_networks",
    "simgan_refiner",
    "simgan_discriminator",
    "freeze_blocks",
]
