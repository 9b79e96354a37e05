"""BigGAN-style class-conditional model on CIFAR-10: Brock et al., "Large Scale
GAN Training for High Fidelity Natural Image Synthesis", ICLR 2019
(arXiv:1809.11096).

ResNet generator with conditional BatchNorm fed by a shared class embedding
(128-d) concatenated with the latents, spectral norm in G and D, projection
discriminator, hinge loss, orthogonal regularization (beta 1e-4, the
off-diagonal form), generator EMA (decay 0.9999) and truncated sampling
(`keras-gan sample RUN --truncation 0.5`). CIFAR-scale settings as in the
authors' PyTorch port (BigGAN-PyTorch `launch_cifar_ema.sh`): learning rate
2e-4 for both networks, Adam(0, 0.999), 4 D steps, batch 50. That script
turns orthogonal regularization off (`--G_ortho 0.0`); drop it here with
`--set generator.orthogonal_regularization=0`.
"""

from recipes._common import CIFAR10

CONFIG = {
    **CIFAR10,
    "paper": "Brock et al. 2019, arXiv:1809.11096",
    "model": "BigGAN",
    "num_classes": 10,
    "latent_dim": 128,
    "generator": {"builder": "resnet_generator", "spectral_norm": True,
                  "shared_embedding_dim": 128, "orthogonal_regularization": 1e-4},
    "discriminator": {"builder": "resnet_discriminator", "spectral_norm": True},
    "loss": "hinge",
    "d_steps": 4,
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.0,
    "beta_2": 0.999,
    "batch_size": 50,
    "ema_decay": 0.9999,
    "epochs": 500,
    "expected": "class-conditional CIFAR-10 images, row k of the grid class k (not "
                "measured at full length here)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("biggan_cifar10")
