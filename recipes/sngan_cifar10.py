"""SNGAN on CIFAR-10: Miyato et al., "Spectral Normalization for Generative
Adversarial Networks", ICLR 2018 (arXiv:1802.05957): ResNet G and D, spectral
norm in D, hinge loss, 5 D steps, Adam(2e-4, 0, 0.9), batch 64, 128-d latent."""

from recipes._common import CIFAR10

CONFIG = {
    **CIFAR10,
    "paper": "Miyato et al. 2018, arXiv:1802.05957",
    "model": "SNGAN",
    "latent_dim": 128,
    "generator": {"builder": "resnet_generator"},
    "discriminator": {"builder": "resnet_discriminator", "spectral_norm": True},
    "loss": "hinge",
    "d_steps": 5,
    "d_learning_rate": 0.0002,
    "g_learning_rate": 0.0002,
    "beta_1": 0.0,
    "beta_2": 0.9,
    "batch_size": 64,
    "epochs": 100,
    "expected": "object-like colour images; the paper reports IS 8.22 / FID 21.7 at 50k G steps",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("sngan_cifar10")
