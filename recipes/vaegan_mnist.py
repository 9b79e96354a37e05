"""VAE-GAN on MNIST: Larsen et al., "Autoencoding beyond pixels using a
learned similarity metric", ICML 2016 (arXiv:1512.09300).

The VAE's encoder and a tanh decoder, a DCGAN discriminator without
BatchNorm whose flattened features measure reconstructions; RMSprop(3e-4)
for the three networks, as the paper.
"""

CONFIG = {
    "paper": "Larsen et al. 2016, arXiv:1512.09300",
    "model": "VAEGAN",
    "dataset": "mnist",
    "image_size": 28,
    "channels": 1,
    "latent_dim": 16,
    "encoder": {"builder": "conv_encoder", "base_filters": 32},
    "generator": {"builder": "conv_decoder", "base_filters": 32, "output_activation": "tanh"},
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 32, "batchnorm": False},
    "optimizer": "rmsprop",
    "d_learning_rate": 3e-4,
    "g_learning_rate": 3e-4,
    "batch_size": 64,
    "epochs": 10,
    "expected": "10/10 classes, Fréchet 20.2 at 1,500 steps of 64 (benchmarks/field.py)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("vaegan_mnist")
