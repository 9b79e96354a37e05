"""Class-conditional SNGAN with a projection discriminator on CIFAR-10:
Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018
(arXiv:1802.05637).

ResNet generator with conditional BatchNorm, ResNet discriminator with
spectral normalization and the projection term <embed(y), h>, hinge loss,
5 D steps per G step, Adam(2e-4, beta_1=0, beta_2=0.9), batch 64.
"""

from recipes._common import CIFAR10

CONFIG = {
    **CIFAR10,
    "paper": "Miyato & Koyama 2018, arXiv:1802.05637",
    "model": "ConditionalGAN",
    "num_classes": 10,
    "latent_dim": 128,
    "generator": {"builder": "resnet_generator"},
    "discriminator": {"builder": "resnet_discriminator", "spectral_norm": True},
    "loss": "hinge",
    "d_steps": 5,
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.0,
    "beta_2": 0.9,
    "batch_size": 64,
    "epochs": 100,
    "expected": "class-conditional CIFAR-10 images (the paper reports IS 8.62 at 32x32)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("projection_cifar10")
