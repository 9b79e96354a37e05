"""ProGAN on CelebA at 64x64: Karras et al., "Progressive Growing of GANs for
Improved Quality, Stability, and Variation", ICLR 2018 (arXiv:1710.10196).

Equalized learning rate, pixel norm, minibatch stddev, WGAN-GP (lambda 10)
plus drift (0.001), Adam(1e-3, 0, 0.99), 512-d latent, growing from 4x4:
each resolution trains for 600k images, then the next fades in over 600k.
The paper trains CelebA-HQ to 1024x1024 (tfds `celeb_a_hq` needs a manual
download; pass `--dataset celeb_a_hq/1024 --set image_size=1024` once it is
prepared); this recipe uses tfds `celeb_a` centre-cropped to 128 and resized
to 64, batch 16 (the paper's minibatch up to 128px). The models reached at
every resolution are saved in `RUN/resolutions/`."""

CONFIG = {
    "paper": "Karras et al. 2018, arXiv:1710.10196",
    "model": "ProGAN",
    "dataset": "celeb_a",
    "image_size": 64,
    "center_crop": 128,
    "channels": 3,
    "latent_dim": 512,
    "generator": {"builder": "progan_generator"},
    "discriminator": {"builder": "progan_discriminator"},
    "loss": "wasserstein",
    "penalties": [{"name": "gp", "weight": 10.0}, {"name": "drift", "weight": 0.001}],
    "d_learning_rate": 0.001,
    "g_learning_rate": 0.001,
    "beta_1": 0.0,
    "beta_2": 0.99,
    "batch_size": 16,
    "progressive": {"stable_images": 600000, "fade_images": 600000},
    "ema_decay": 0.999,
    # 4 fades + 5 stable phases = 5.4M images = 34 passes over 162,770 images.
    "epochs": 34,
    "expected": "faces growing from 4x4 to 64x64; the paper reports sharp 1024x1024 "
                "CelebA-HQ faces (SWD tables) after 12M images",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("progan_celeba")
