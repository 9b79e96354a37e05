"""InfoGAN on MNIST: Chen et al., "InfoGAN: Interpretable Representation
Learning by Information Maximizing Generative Adversarial Nets", NeurIPS 2016
(arXiv:1606.03657).

62-d noise, one 10-way categorical code and two continuous codes in [-1, 1]
(latent_dim = 62 + 10 + 2 = 74); the Q head shares the discriminator's body
(`auxiliary_units=12`); lambda = 1. Learning rates follow the paper's
appendix: 2e-4 for D and 1e-3 for G (two time-scales), Adam beta_1 = 0.5,
batch 64. The run writes latent-traversal grids
(`samples/epoch_NNNN_traversal_K.png`): code 0 should sort digit classes,
codes 1-2 rotation and width.
"""

from recipes._common import MNIST

CONFIG = {
    **MNIST,
    "paper": "Chen et al. 2016, arXiv:1606.03657",
    "model": "InfoGAN",
    "latent_dim": 74,
    "model_args": {"noise_dim": 62, "categorical_codes": [10], "continuous_codes": 2,
                   "info_weight": 1.0},
    "generator": {"builder": "dcgan_generator", "base_filters": 64},
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64, "auxiliary_units": 12},
    "loss": "non_saturating",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 1e-3,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 20,
    "expected": "mutual_information approaches log(10) = 2.30 nats for the categorical code "
                "(plus the continuous part); traversal grid 0 shows one digit per column",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("infogan_mnist")
