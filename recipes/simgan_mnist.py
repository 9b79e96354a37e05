"""SimGAN on rendered vs real digits: Shrivastava et al., "Learning from
Simulated and Unsupervised Images through Adversarial Training", CVPR 2017
(arXiv:1612.07828).

Synthetic: bundled digits binarized at mid-grey (a stand-in renderer: hard
edges, one stroke intensity); real: other digits. The refiner (ResNet
blocks) learns to add the real digits' anti-aliasing and stroke variation
while the self-regularization L1 keeps each digit's shape; the local
(patch) discriminator learns from a history of 512 refined images.
Grids: synthetic | refined | a real digit.
"""

CONFIG = {
    "paper": "Shrivastava et al. 2017, arXiv:1612.07828",
    "model": "SimGAN",
    "dataset": "mnist_synthetic",
    "pairing": "refinement",
    "image_size": 28,
    "channels": 1,
    "num_samples": 4000,
    "generator": {"builder": "simgan_refiner", "filters": 32, "num_blocks": 4},
    "discriminator": {"builder": "simgan_discriminator"},
    "model_args": {"pool_size": 512},
    "loss_weights": {"adversarial": 1.0, "self_regularization": 1.0},
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 5,
    "expected": ("refined digits keep their class: Fréchet to real 12.7 -> 1.0 at 1,500 "
                 "steps of 64 (benchmarks/field.py)"),
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("simgan_mnist")
