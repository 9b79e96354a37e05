"""DCGAN on CelebA 64x64 (Radford et al. 2016): centre crop 108, resize to 64,
Adam(2e-4, beta_1=0.5), batch 128, 100-d latent."""

from recipes._common import DCGAN_NETWORKS

CONFIG = {
    **DCGAN_NETWORKS,
    "paper": "Radford et al. 2016, arXiv:1511.06434",
    "dataset": "celeb_a",
    "image_size": 64,
    "center_crop": 108,
    "channels": 3,
    "loss": "non_saturating",
    "d_learning_rate": 0.0002,
    "g_learning_rate": 0.0002,
    "beta_1": 0.5,
    "batch_size": 128,
    "epochs": 20,
    "expected": "faces after ~5 epochs (GPU hours, not CPU)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("dcgan_celeba64")
