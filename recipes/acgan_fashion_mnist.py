"""ACGAN on Fashion-MNIST: Odena et al., "Conditional Image Synthesis with
Auxiliary Classifier GANs", ICML 2017 (arXiv:1610.09585).

The generator takes the class as an embedding concatenated with the latents;
the discriminator sees only the image and has two heads on shared features:
the adversarial logit and a 10-way classifier (`auxiliary_units=10`). Both
networks add the classification loss (real and fake for D, fake for G).
DCGAN networks and Adam(2e-4, beta_1=0.5) at 28x28 (the paper's networks are
for CIFAR-10/ImageNet). Logs `real_accuracy`, the classifier's accuracy on
real images.
"""

from recipes._common import DCGAN_NETWORKS, FASHION_MNIST

CONFIG = {
    **FASHION_MNIST,
    **DCGAN_NETWORKS,
    "paper": "Odena et al. 2017, arXiv:1610.09585",
    "model": "ACGAN",
    "num_classes": 10,
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64,
                      "num_classes": None, "auxiliary_units": 10},
    "model_args": {"class_weight": 1.0},
    "loss": "non_saturating",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 100,
    "epochs": 20,
    "expected": "row k of the grid shows garment class k; real_accuracy near 1",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("acgan_fashion_mnist")
