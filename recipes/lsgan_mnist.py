"""LSGAN on MNIST: Mao et al., "Least Squares Generative Adversarial Networks",
ICCV 2017 (arXiv:1611.04076): a=0, b=1, c=1; Adam(2e-4, beta_1=0.5)."""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Mao et al. 2017, arXiv:1611.04076",
    "model": "LSGAN",
    "loss": "least_squares",
    "d_learning_rate": 0.0002,
    "g_learning_rate": 0.0002,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 5,
    "expected": "recognizable digits after 1-2 epochs; d_loss near 0.2-0.3",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("lsgan_mnist")
