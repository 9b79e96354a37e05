"""StyleGAN2 on CelebA 64x64: Karras et al., "Analyzing and Improving the
Image Quality of StyleGAN", CVPR 2020 (arXiv:1912.04958).

Modulated/demodulated convolutions, skip generator, residual critic, no
progressive growing; non-saturating loss, lazy R1 (gamma 10 every 16 critic
steps), lazy path-length regularization (weight 2 every 4 generator steps),
style mixing 0.9, Adam with the lazy-regularization correction
(lr 2e-3 * c, beta_2 = 0.99**c with c = 16/17 for the critic; the generator's
4/5 differs by under 20% and shares the setting here), generator EMA. The
network widths follow the paper's low-resolution config (fmap_base 16384,
at most 512 maps), batch 32."""

CONFIG = {
    "paper": "Karras et al. 2020, arXiv:1912.04958",
    "model": "StyleGAN2",
    "dataset": "celeb_a",
    "image_size": 64,
    "center_crop": 128,
    "channels": 3,
    "latent_dim": 512,
    "generator": {"builder": "stylegan_generator", "version": 2, "fmap_base": 16384},
    "discriminator": {"builder": "stylegan2_discriminator", "fmap_base": 16384},
    "loss": "non_saturating",
    "penalties": [{"name": "r1", "weight": 5.0, "interval": 16},
                  {"name": "pl", "weight": 2.0, "interval": 4}],
    "d_learning_rate": 0.00188,
    "g_learning_rate": 0.00188,
    "beta_1": 0.0,
    "beta_2": 0.9906,
    "batch_size": 32,
    "ema_decay": 0.999,
    "epochs": 50,
    "expected": "sharp 64x64 faces; no published CelebA-64 figure (the paper reports FFHQ "
                "1024 FID 2.84)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("stylegan2_celeba64")
