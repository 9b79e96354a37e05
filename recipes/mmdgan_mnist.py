"""MMD GAN on MNIST: Binkowski et al., "Demystifying MMD GANs", ICLR 2018
(arXiv:1801.01401), after Li et al. 2017 (arXiv:1705.08584).

DCGAN networks; the critic (a DCGAN discriminator without BatchNorm) returns
16 features; the loss is the unbiased MMD^2 of a rational-quadratic kernel
mixture with the witness-function gradient penalty (`keras_gan.MMDGAN`).
"""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Binkowski et al. 2018, arXiv:1801.01401",
    "model": "MMDGAN",
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64, "batchnorm": False,
                      "num_logits": 16},
    "loss": "mmd",
    "penalties": [{"name": "mmd_gp", "weight": 1.0}],
    "d_learning_rate": 1e-4,
    "g_learning_rate": 1e-4,
    "beta_1": 0.5,
    "beta_2": 0.9,
    "d_steps": 5,
    "batch_size": 64,
    "epochs": 5,
    "expected": "7/10 classes, Fréchet 73.0 at 1,500 steps of 64 (benchmarks/field.py)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("mmdgan_mnist")
