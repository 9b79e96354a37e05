"""EBGAN-PT on MNIST: Zhao, Mathieu & LeCun, "Energy-based Generative
Adversarial Networks", ICLR 2017 (arXiv:1609.03126).

The DCGAN generator, an auto-encoder discriminator (`ebgan_discriminator`,
32-d embedding), the margin loss with m = 1 on mean squared energies, and
the pulling-away term (weight 0.1) on the fakes' embeddings.
"""

from recipes._common import MNIST

CONFIG = {
    **MNIST,
    "paper": "Zhao et al. 2017, arXiv:1609.03126",
    "model": "EBGAN",
    "latent_dim": 100,
    "generator": {"builder": "dcgan_generator", "base_filters": 64},
    "discriminator": {"builder": "ebgan_discriminator", "base_filters": 32, "embedding_dim": 32},
    "model_args": {"pulling_away": 0.1},
    "loss": "energy_margin",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 5,
    "expected": ("mode-collapses at 1,500 steps of 64: 5/10 classes, Fréchet 128.6 "
                 "(benchmarks/field.py)"),
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("ebgan_mnist")
