"""SinGAN on one image: Shaham et al., "SinGAN: Learning a Generative Model
from a Single Natural Image", ICCV 2019 (arXiv:1905.01164).

Pass any image file: `keras-gan train singan_image --dataset photo.jpg`.
The image is shrunk to at most 250 px on its longer side; the pyramid
goes down by 0.75 per scale to a shorter side of 25 px (about 9 scales for
a 250x188 photo), one epoch per scale, 2000 iterations of 3 critic and 3
generator steps each, WGAN-GP (0.1) plus reconstruction (10), Adam(5e-4,
0.5, 0.999) with the learning rate divided by 10 after 1600 iterations.
The summary reports SiFID of 8 random samples (needs the ImageNet
InceptionV3 weights, or `--set eval_extractor=features.keras`). Sample at
other aspect ratios with `SinGAN.generate(n, scale=(1, 2))`."""

CONFIG = {
    "paper": "Shaham et al. 2019, arXiv:1905.01164",
    "model": "SinGAN",
    "dataset": "image.jpg",
    "channels": 3,
    "max_size": 250,
    "steps_per_scale": 2000,
    "batch_size": 1,
    "d_learning_rate": 0.0005,
    "g_learning_rate": 0.0005,
    "beta_1": 0.5,
    "beta_2": 0.999,
    "model_args": {"scale_factor": 0.75, "min_size": 25, "filters": 32},
    "expected": "random variations of the image keeping its patch statistics; the paper "
                "reports SiFID 0.09 (mean over 50 images, scale N) on its Places set",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("singan_image")
