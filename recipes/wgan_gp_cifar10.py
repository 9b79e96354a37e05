"""WGAN-GP on CIFAR-10: Gulrajani et al., "Improved Training of Wasserstein
GANs", NeurIPS 2017 (arXiv:1704.00028). Algorithm 1: lambda 10, n_critic 5,
Adam(1e-4, 0, 0.9), batch 64; no BatchNorm in the critic."""

from recipes._common import CIFAR10

CONFIG = {
    **CIFAR10,
    "paper": "Gulrajani et al. 2017, arXiv:1704.00028",
    "model": "WGANGP",
    "latent_dim": 128,
    "generator": {"builder": "dcgan_generator", "base_filters": 64},
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64, "batchnorm": False},
    "loss": "wasserstein",
    "penalties": [{"name": "gp", "weight": 10.0}],
    "d_steps": 5,
    "d_learning_rate": 0.0001,
    "g_learning_rate": 0.0001,
    "beta_1": 0.0,
    "beta_2": 0.9,
    "batch_size": 64,
    "epochs": 50,
    "expected": "object-like colour images; gp near 0.1-1",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("wgan_gp_cifar10")
