"""SRGAN on DIV2K: Ledig et al., "Photo-Realistic Single Image
Super-Resolution Using a Generative Adversarial Network", CVPR 2017
(arXiv:1609.04802).

4x super-resolution of 96x96 high-resolution crops (a centred crop of each
DIV2K training image, tensorflow-datasets `div2k` feature `hr`; a folder of
photos works with `--dataset path`); the low-resolution inputs are made by
the pipeline (Gaussian blur with sigma 2, then 4x4 block means). SRResNet
generator (16 residual blocks), the paper's discriminator, content loss on
VGG19 block5_conv4 features / 12.75 when the ImageNet weights can be had
(pixel MSE otherwise, with a warning), adversarial weight 1e-3, Adam(1e-4,
0.9), batch 16. The paper trains on 350k ImageNet images and starts from an
MSE-trained SRResNet; `--set loss_weights.adversarial=0` trains that first.
PSNR and SSIM are logged every step.
"""

CONFIG = {
    "paper": "Ledig et al. 2017, arXiv:1609.04802",
    "model": "SRGAN",
    "pairing": "super_resolution",
    "dataset": "div2k",
    "image_feature": "hr",
    "center_crop": 96,
    "channels": 3,
    "scale": 4,
    "generator": {"builder": "srresnet_generator", "num_blocks": 16},
    "discriminator": {"builder": "srgan_discriminator"},
    "model_args": {"content_extractor": "vgg19"},
    "loss": "non_saturating",
    "loss_weights": {"adversarial": 1e-3, "content": 1.0},
    "d_learning_rate": 1e-4,
    "g_learning_rate": 1e-4,
    "beta_1": 0.9,
    "batch_size": 16,
    "epochs": 100,
    "expected": "PSNR rising above bicubic within the first epochs; sharper textures later",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("srgan_div2k")
