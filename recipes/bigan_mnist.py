"""BiGAN on MNIST: Donahue, Krähenbühl & Darrell, "Adversarial Feature
Learning", ICLR 2017 (arXiv:1605.09782); ALI (Dumoulin et al. 2017) is the
same model.

A 50-d uniform-like latent (normal here), the VAE's convolutional decoder
(tanh) as generator, a deterministic convolutional encoder and a joint
(image, code) discriminator; Adam(2e-4, beta_1=0.5), batch 128, as the
paper's MNIST setting. `G(E(x))` reconstructs; `BiGAN.encode` gives features.
"""

from recipes._common import MNIST

CONFIG = {
    **MNIST,
    "paper": "Donahue et al. 2017, arXiv:1605.09782",
    "model": "BiGAN",
    "latent_dim": 50,
    "encoder": {"builder": "conv_encoder", "base_filters": 32, "gaussian": False},
    "generator": {"builder": "conv_decoder", "base_filters": 32, "output_activation": "tanh"},
    "discriminator": {"builder": "bigan_discriminator", "base_filters": 32, "hidden": 512},
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 128,
    "epochs": 10,
    "expected": "reconstructions G(E(x)) of the same digit class; not measured here",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("bigan_mnist")
