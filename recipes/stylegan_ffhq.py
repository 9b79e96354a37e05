"""StyleGAN (Karras et al., "A Style-Based Generator Architecture for
Generative Adversarial Networks", CVPR 2019, arXiv:1812.04948) on FFHQ or
any folder of face images.

FFHQ is not in tensorflow-datasets: download it from
https://github.com/NVlabs/ffhq-dataset and pass the folder with
`--dataset PATH` (any folder of images works; they are centre-cropped and
resized to `image_size`). Mapping network of 8 layers (lr multiplier 0.01),
AdaIN styles, noise inputs, style mixing 0.9, non-saturating loss with R1
(gamma 10), Adam(1e-3, 0, 0.99), generator EMA. Differences from the
paper: 256x256 by default rather than 1024, and no progressive growing
(the networks train at full resolution, as StyleGAN2 does); the critic is
StyleGAN2's residual one. Sample with truncation: `keras-gan sample RUN --psi 0.7`."""

CONFIG = {
    "paper": "Karras et al. 2019, arXiv:1812.04948",
    "model": "StyleGAN",
    "dataset": "data/ffhq",
    "image_size": 256,
    "channels": 3,
    "latent_dim": 512,
    "generator": {"builder": "stylegan_generator", "version": 1},
    "discriminator": {"builder": "stylegan2_discriminator"},
    "loss": "non_saturating",
    "penalties": [{"name": "r1", "weight": 5.0}],
    "d_learning_rate": 0.001,
    "g_learning_rate": 0.001,
    "beta_1": 0.0,
    "beta_2": 0.99,
    "batch_size": 32,
    "ema_decay": 0.999,
    "epochs": 100,
    "expected": "faces; the paper reports FID 4.40 on FFHQ 1024x1024 (25M images)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("stylegan_ffhq")
