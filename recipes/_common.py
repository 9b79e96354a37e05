"""Data and network settings that several recipes share (plain dicts)."""

MNIST = {"dataset": "mnist", "image_size": 28, "channels": 1}
FASHION_MNIST = {"dataset": "fashion_mnist", "image_size": 28, "channels": 1}
CIFAR10 = {"dataset": "cifar10", "image_size": 32, "channels": 3}

# The DCGAN networks (Radford et al. 2016): 64 base filters, 100-d latent.
DCGAN_NETWORKS = {
    "latent_dim": 100,
    "generator": {"builder": "dcgan_generator", "base_filters": 64},
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64},
}


def mixture(name, paper, hidden, steps, expected):
    """A 2D-mixture recipe: MLP networks, non-saturating loss, Adam(1e-3, 0.5),
    a light R1 penalty (Mescheder et al. 2018; weight 0.05) and an averaged
    generator (decay 0.9995), at batch 100 (PacGAN's)."""
    return {
        "paper": paper,
        "dataset": name,
        "dataset_size": 100000,
        "latent_dim": 8,
        "generator": {"builder": "mlp_generator", "hidden_units": list(hidden)},
        "discriminator": {"builder": "mlp_discriminator", "hidden_units": list(hidden)},
        "loss": "non_saturating",
        "d_learning_rate": 1e-3,
        "g_learning_rate": 1e-3,
        "beta_1": 0.5,
        "penalties": [{"name": "r1", "weight": 0.05}],
        "ema_decay": 0.9995,
        "batch_size": 100,
        "steps": steps,
        "expected": expected,
    }
