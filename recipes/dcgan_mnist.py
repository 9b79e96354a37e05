"""DCGAN on MNIST: Radford, Metz & Chintala, "Unsupervised Representation
Learning with Deep Convolutional GANs", ICLR 2016 (arXiv:1511.06434).

Paper settings: Adam(2e-4, beta_1=0.5), batch 128, 100-d uniform-like latent
(normal here), BatchNorm in both networks, LeakyReLU(0.2) in D.
"""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Radford et al. 2016, arXiv:1511.06434",
    "loss": "non_saturating",
    "d_learning_rate": 0.0002,
    "g_learning_rate": 0.0002,
    "beta_1": 0.5,
    "batch_size": 128,
    "epochs": 5,
    "expected": "recognizable digits in samples/ after 1-2 epochs; d_loss near 1.0-1.4",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("dcgan_mnist")
