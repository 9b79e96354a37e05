"""StarGAN on CelebA: Choi et al., "StarGAN: Unified Generative Adversarial
Networks for Multi-Domain Image-to-Image Translation", CVPR 2018
(arXiv:1711.09020).

Five CelebA attributes (black, blond, brown hair, male, young) as in the
paper: 178x178 centre crops resized to 128x128, generator with 6 residual
blocks, a 6-layer discriminator with adversarial and attribute heads,
WGAN-GP (weight 10), classification weight 1, reconstruction weight 10, 5
critic steps per generator step, Adam(1e-4, 0.5, 0.999), batch 16. The
paper trains 200k iterations and decays the rates over the last 100k; here
the rates are constant (`--set linear_decay=true` decays over the second
half of the run).
"""

CONFIG = {
    "paper": "Choi et al. 2018, arXiv:1711.09020",
    "model": "StarGAN",
    "pairing": "attributes",
    "dataset": "celeb_a",
    "attributes": ["Black_Hair", "Blond_Hair", "Brown_Hair", "Male", "Young"],
    "center_crop": 178,
    "image_size": 128,
    "channels": 3,
    "generator": {"builder": "stargan_generator", "num_blocks": 6},
    "discriminator": {"builder": "stargan_discriminator"},
    "loss": "wasserstein",
    "penalties": [{"name": "gp", "weight": 10.0}],
    "d_steps": 5,
    "loss_weights": {"classification": 1.0, "reconstruction": 10.0},
    "d_learning_rate": 1e-4,
    "g_learning_rate": 1e-4,
    "beta_1": 0.5,
    "beta_2": 0.999,
    "batch_size": 16,
    "epochs": 20,
    "expected": "hair colour, gender and age edits visible after ~5 epochs (paper fig. 4)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("stargan_celeba")
