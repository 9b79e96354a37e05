"""pix2pix on CMP Facades: Isola et al., "Image-to-Image Translation with
Conditional Adversarial Networks", CVPR 2017 (arXiv:1611.07004).

Label maps to photos at 256x256: U-Net generator, 70x70 PatchGAN conditioned
on the label map, non-saturating cGAN loss + 100 * L1, Adam(2e-4, 0.5),
batch 1, 200 epochs (the paper's facades setting). tensorflow-datasets has no
paired facades dataset: download
http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/facades.tar.gz and unpack
it so that `data/facades/train` holds the side-by-side photo|label images
(`--dataset path/to/facades/train` elsewhere). `direction` b_to_a makes the
right half (the label map) the input, as in the paper's facades runs. For
pix2pixHD's multi-scale critic with feature matching, pass
`--set discriminator.builder=multiscale_discriminator --set loss_weights.feature_matching=10`.
"""

CONFIG = {
    "paper": "Isola et al. 2017, arXiv:1611.07004",
    "model": "Pix2Pix",
    "pairing": "paired",
    "dataset": "data/facades/train",
    "direction": "b_to_a",
    "image_size": 256,
    "channels": 3,
    "generator": {"builder": "unet_generator", "base_filters": 64},
    "discriminator": {"builder": "patchgan_discriminator", "base_filters": 64},
    "loss": "non_saturating",
    "loss_weights": {"l1": 100.0},
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 1,
    "epochs": 200,
    "expected": "recognizable facades from label maps after ~50 epochs (paper fig. 14)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("pix2pix_facades")
