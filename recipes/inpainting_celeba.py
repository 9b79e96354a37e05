"""Context-encoder inpainting on CelebA: Pathak et al., "Context Encoders:
Feature Learning by Inpainting", CVPR 2016 (arXiv:1604.07379).

64x64 faces (108 centre crop, as in DCGAN's CelebA protocol) with a centred
32x32 hole (`--set model_args.mask=random` for holes at random positions):
encoder-decoder generator with a 4000-d bottleneck, DCGAN discriminator on
the completed image, reconstruction (L2 over the hole) weight 0.999 and
adversarial weight 0.001, Adam(2e-4, 0.5), batch 64. The paper uses 128x128
images with a 64x64 hole and predicts the hole only.
"""

CONFIG = {
    "paper": "Pathak et al. 2016, arXiv:1604.07379",
    "model": "ContextEncoder",
    "dataset": "celeb_a",
    "center_crop": 108,
    "image_size": 64,
    "channels": 3,
    "generator": {"builder": "context_encoder_generator", "bottleneck": 4000},
    "discriminator": {"builder": "dcgan_discriminator", "base_filters": 64},
    "model_args": {"mask": "center", "mask_size": 0.5},
    "loss": "non_saturating",
    "loss_weights": {"reconstruction": 0.999, "adversarial": 0.001},
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "batch_size": 64,
    "epochs": 10,
    "expected": "plausible, blurry-edged completions of the face centre after 2-3 epochs",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("inpainting_celeba")
