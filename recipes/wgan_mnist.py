"""WGAN with weight clipping on MNIST: Arjovsky, Chintala & Bottou, "Wasserstein
GAN", ICML 2017 (arXiv:1701.07875). Algorithm 1: RMSprop(5e-5), clip 0.01,
n_critic 5, batch 64."""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Arjovsky et al. 2017, arXiv:1701.07875",
    "model": "WGAN",
    "loss": "wasserstein",
    "weight_clip": 0.01,
    "d_steps": 5,
    "optimizer": "rmsprop",
    "d_learning_rate": 5e-05,
    "g_learning_rate": 5e-05,
    "batch_size": 64,
    "epochs": 10,
    "expected": "slowly improving digits; the critic loss (-W estimate) shrinks in magnitude",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("wgan_mnist")
