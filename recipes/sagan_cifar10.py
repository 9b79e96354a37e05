"""SAGAN on CIFAR-10: Zhang et al., "Self-Attention Generative Adversarial
Networks", ICML 2019 (arXiv:1805.08318).

Self-attention at 16x16 in both networks, spectral normalization in both,
hinge loss, one critic step, the two time-scale update rule
(G Adam(1e-4), D Adam(4e-4), beta_1=0, beta_2=0.9), 128-d latent, batch 64.
The paper trains class-conditional ImageNet 128x128; this recipe is its
unconditional CIFAR-10 counterpart on the ResNet networks of `sngan_cifar10`."""

from recipes._common import CIFAR10

CONFIG = {
    **CIFAR10,
    "paper": "Zhang et al. 2019, arXiv:1805.08318",
    "model": "SAGAN",
    "latent_dim": 128,
    "generator": {"builder": "resnet_generator", "spectral_norm": True,
                  "attention_resolution": 16},
    "discriminator": {"builder": "resnet_discriminator", "spectral_norm": True,
                      "attention_resolution": 16},
    "loss": "hinge",
    "d_steps": 1,
    "d_learning_rate": 0.0004,
    "g_learning_rate": 0.0001,
    "beta_1": 0.0,
    "beta_2": 0.9,
    "batch_size": 64,
    "epochs": 100,
    "expected": "object-like colour images; the paper reports ImageNet FID 18.65 / IS 52.52 "
                "(no CIFAR-10 figure)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("sagan_cifar10")
