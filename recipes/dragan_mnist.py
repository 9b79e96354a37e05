"""DRAGAN on MNIST: Kodali et al., "On Convergence and Stability of GANs",
2017 (arXiv:1705.07215): non-saturating loss, DRAGAN penalty lambda 10 with
perturbation scale 0.5, Adam(1e-4, 0.5, 0.9) as in the authors code."""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Kodali et al. 2017, arXiv:1705.07215",
    "model": "DRAGAN",
    "loss": "non_saturating",
    "penalties": [{"name": "dragan", "weight": 10.0}],
    "d_learning_rate": 0.0001,
    "g_learning_rate": 0.0001,
    "beta_1": 0.5,
    "beta_2": 0.9,
    "batch_size": 64,
    "epochs": 5,
    "expected": "recognizable digits after 2-3 epochs",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("dragan_mnist")
