"""The README's first run: readable digits of every class in a few minutes on a CPU.

A class-conditional DCGAN (Mirza & Osindero 2014, arXiv:1411.1784, on the
DCGAN networks of Radford et al. 2016, arXiv:1511.06434) whose discriminator
ends with minibatch discrimination (Salimans et al. 2016, arXiv:1606.03498,
section 3.2: 16 kernels), trained with DCGAN's Adam(2e-4, beta_1=0.5) and
the non-saturating loss at batch 64. The labels fix each sample's class, so
every digit appears as often as asked (one row per digit in the grids), and
minibatch features let the discriminator see a batch's variety. Measured by
`benchmarks/quality.py` (1,500 steps of 64 on 8,000 of the bundled digits,
judged by an MNIST classifier): see the README's recipe table.
"""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Mirza & Osindero 2014 + Salimans et al. 2016, arXiv:1606.03498",
    "model": "ConditionalGAN",
    "num_classes": 10,
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64,
                      "minibatch_kernels": 16},
    "loss": "non_saturating",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 10,
    "expected": "readable digits of every class, one row per digit",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("quickstart_mnist")
