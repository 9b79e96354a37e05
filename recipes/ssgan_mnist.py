"""Semi-supervised GAN on MNIST with 100 labels: Salimans et al., "Improved
Techniques for Training GANs", NeurIPS 2016, section 5 (arXiv:1606.03498).

The discriminator is a 10-class classifier whose logsumexp is the adversarial
logit (the K+1-class formulation with the fake logit fixed at 0); it trains
on 100 labels (10 per class, seeded) plus every image as unlabelled data, and
the generator uses feature matching. The summary reports the classifier's
`test_accuracy` on the test split. DCGAN convolutional networks replace the
paper's MLPs with weight normalization and Gaussian noise layers;
Adam(3e-4, beta_1=0.5), batch 100.
"""

from recipes._common import DCGAN_NETWORKS, MNIST

CONFIG = {
    **MNIST,
    **DCGAN_NETWORKS,
    "paper": "Salimans et al. 2016, arXiv:1606.03498",
    "model": "SemiSupervisedGAN",
    "num_classes": 10,
    "num_labelled": 100,
    "generator": {"builder": "dcgan_generator", "base_filters": 64, "num_classes": None},
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64, "num_classes": None,
                      "num_logits": 10},
    "feature_matching": True,
    "loss": "non_saturating",
    "d_learning_rate": 3e-4,
    "g_learning_rate": 3e-4,
    "beta_1": 0.5,
    "batch_size": 100,
    "epochs": 20,
    "expected": "test error falls well below a supervised model on 100 labels; the paper "
                "reports 0.93% error with its MLPs",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("ssgan_mnist")
