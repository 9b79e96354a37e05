"""A variational auto-encoder on MNIST: Kingma & Welling, "Auto-Encoding
Variational Bayes", ICLR 2014 (arXiv:1312.6114).

A convolutional Gaussian encoder and a decoder of Bernoulli logits (the
paper's MNIST likelihood), a 16-d latent, Adam(1e-3), batch 64. `summary.json`
holds the last epoch's ELBO in nats per image; grids show decoded prior samples.
"""

CONFIG = {
    "paper": "Kingma & Welling 2014, arXiv:1312.6114",
    "model": "VAE",
    "dataset": "mnist",
    "image_size": 28,
    "channels": 1,
    "latent_dim": 16,
    "encoder": {"builder": "conv_encoder", "base_filters": 32},
    "generator": {"builder": "conv_decoder", "base_filters": 32},
    "model_args": {"likelihood": "bernoulli"},
    "g_learning_rate": 1e-3,
    "beta_1": 0.9,
    "batch_size": 64,
    "epochs": 10,
    "expected": "blurry but readable digits; held-out ELBO about -100 nats per image",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("vae_mnist")
