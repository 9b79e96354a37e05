"""keras-gan: Generative Adversarial Networks for Keras 3 / TensorFlow."""

from keras_gan import (
    callbacks,
    constraints,
    data,
    layers,
    losses,
    metrics,
    networks,
    regularizers,
    visualization,
)
from keras_gan.models import (
    ACGAN,
    DRAGAN,
    BigGAN,
    InfoGAN,
    SemiSupervisedGAN,
    ConditionalGAN,
    GAN,
    LSGAN,
    SNGAN,
    WGAN,
    WGANGP,
    NonFiniteGuard,
    NonFiniteLossError,
)

__version__ = "0.1.0"

__all__ = [
    "GAN",
    "ConditionalGAN",
    "ACGAN",
    "InfoGAN",
    "SemiSupervisedGAN",
    "BigGAN",
    "WGAN",
    "WGANGP",
    "LSGAN",
    "DRAGAN",
    "SNGAN",
    "NonFiniteGuard",
    "NonFiniteLossError",
    "callbacks",
    "constraints",
    "data",
    "layers",
    "losses",
    "metrics",
    "networks",
    "regularizers",
    "visualization",
]
