"""The 8-Gaussian ring of the mode-collapse literature with the PacGAN setting
(Lin et al. 2018, arXiv:1712.04086): radius 1, std 0.01. MLP networks, the
non-saturating loss with a light R1 penalty and an averaged generator; the
metric is mode coverage (modes within 3 std, the high-quality fraction and
the reverse KL of the mode histogram)."""

from recipes._common import mixture

CONFIG = mixture(
    "ring",
    paper="Lin et al. 2018 (PacGAN), arXiv:1712.04086",
    hidden=(128, 128),
    steps=10000,
    expected=("8/8 modes, 93.5% high-quality samples (99.5% after 20 discriminator-guided "
              "latent steps), reverse KL 0.0018 (measured, benchmarks/quality.py, mean of seeds 0-2)"),
)

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("mixtures_ring")
