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
    expected="about 19 of 25 modes, high-quality fraction about 0.45 (measured at 4000 steps)",
)

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("mixtures_grid")
