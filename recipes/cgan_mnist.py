"""Conditional GAN on MNIST: Mirza & Osindero, "Conditional Generative
Adversarial Nets", 2014 (arXiv:1411.1784).

The label reaches both networks as a learned embedding concatenated with the
input, as in the paper; the networks are the DCGAN convolutional ones instead
of the paper's maxout MLPs (the MLPs are a weaker baseline), trained with
DCGAN's Adam(2e-4, beta_1=0.5). Sample grids show one row per digit.
"""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Mirza & Osindero 2014, arXiv:1411.1784",
    "model": "ConditionalGAN",
    "num_classes": 10,
    "loss": "non_saturating",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 5,
    "expected": "row k of the sample grid shows digit k after 1-2 epochs",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("cgan_mnist")
