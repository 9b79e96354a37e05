"""LAPGAN on CIFAR-10: Denton et al., "Deep Generative Image Models using a
Laplacian Pyramid of Adversarial Networks", NIPS 2015 (arXiv:1506.05751).

Three levels (8, 16, 32 px): a fully connected 600-600 GAN on 8x8 images
from a 100-d z, and two convolutional conditional GANs that add high-pass
residuals to the upsampled coarser image, trained on the real Laplacian
pyramid and sampled coarse to fine. Differences from the paper: unconditional
(the paper also trains a class-conditional model), Adam(2e-4, 0.5) instead of
SGD with momentum, 2x2 averaging / bilinear upsampling instead of Gaussian
blur and expansion."""

from recipes._common import CIFAR10

CONFIG = {
    **CIFAR10,
    "paper": "Denton et al. 2015, arXiv:1506.05751",
    "model": "LAPGAN",
    "latent_dim": 100,
    "generator": {"builder": "lapgan_generator", "levels": 3, "filters": 128},
    "discriminator": {"builder": "lapgan_discriminator", "levels": 3, "filters": 128},
    "loss": "non_saturating",
    "d_learning_rate": 0.0002,
    "g_learning_rate": 0.0002,
    "beta_1": 0.5,
    "batch_size": 128,
    "epochs": 100,
    "expected": "object-like colour images; the paper reports samples mistaken for real "
                "40% of the time by human judges (CIFAR-10 has no published FID for LAPGAN)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("lapgan_cifar10")
