"""The 25-Gaussian grid with the PacGAN setting (Lin et al. 2018,
arXiv:1712.04086): spacing 2, std 0.05. MLP networks, the non-saturating
loss with a light R1 penalty and an averaged generator; mode coverage as the
metric."""

from recipes._common import mixture

CONFIG = mixture(
    "grid",
    paper="Lin et al. 2018 (PacGAN), arXiv:1712.04086",
    hidden=(256, 256),
    steps=10000,
    expected=("25/25 modes, 82.5% high-quality samples (99.0% after 20 discriminator-guided "
              "latent steps; worst seed 97.7%), reverse KL 0.011 (measured, benchmarks/quality.py, "
              "mean of seeds 0-2)"),
)

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("mixtures_grid")
