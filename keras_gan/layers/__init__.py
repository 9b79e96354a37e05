"""GAN building blocks as Keras layers (one file each, all serializable)."""

from keras_gan.layers.adain import AdaIN
from keras_gan.layers.constant_input import ConstantInput
from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.equalized import EqualizedConv2D, EqualizedDense
from keras_gan.layers.gradient_reversal import GradientReversal
from keras_gan.layers.minibatch_discrimination import MinibatchDiscrimination
from keras_gan.layers.minibatch_stddev import MinibatchStdDev
from keras_gan.layers.modulated_conv2d import ModulatedConv2D
from keras_gan.layers.noise_injection import NoiseInjection
from keras_gan.layers.pixel_normalization import PixelNormalization
from keras_gan.layers.progressive import FadeBlend, LevelOfDetail
from keras_gan.layers.reflection_padding2d import ReflectionPadding2D
from keras_gan.layers.self_attention2d import SelfAttention2D
from keras_gan.layers.spectral_normalization import SpectralNormalization, spectral_normalize
from keras_gan.layers.sub_pixel_upsampling import SubPixelUpsampling
from keras_gan.layers.virtual_batch_normalization import VirtualBatchNormalization

__all__ = [
    "AdaIN",
    "ConditionalBatchNormalization",
    "ConstantInput",
    "EqualizedConv2D",
    "EqualizedDense",
    "FadeBlend",
    "GradientReversal",
    "LevelOfDetail",
    "MinibatchDiscrimination",
    "MinibatchStdDev",
    "ModulatedConv2D",
    "NoiseInjection",
    "PixelNormalization",
    "ReflectionPadding2D",
    "SelfAttention2D",
    "SpectralNormalization",
    "SubPixelUpsampling",
    "VirtualBatchNormalization",
    "spectral_normalize",
]
