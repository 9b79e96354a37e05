"""CycleGAN on horse2zebra: Zhu et al., "Unpaired Image-to-Image Translation
using Cycle-Consistent Adversarial Networks", ICCV 2017 (arXiv:1703.10593).

tensorflow-datasets `cycle_gan/horse2zebra` (splits trainA = horses, trainB =
zebras) at 256x256: ResNet generators with 9 blocks, 70x70 PatchGAN critics,
least-squares loss, cycle weight 10, identity weight 5 (0.5 lambda), history
pools of 50 images, Adam(2e-4, 0.5), batch 1, 200 epochs with the learning
rate constant for the first 100 and decaying linearly to 0 over the last 100.
An epoch is as long as the larger domain; each horse is paired with the
zebra at the same index (modulo the smaller domain) and the pairs are
shuffled every epoch, so resumed runs see the same batches.
"""

CONFIG = {
    "paper": "Zhu et al. 2017, arXiv:1703.10593",
    "model": "CycleGAN",
    "pairing": "unpaired",
    "dataset": "cycle_gan/horse2zebra",
    "split": "trainA",
    "target_split": "trainB",
    "image_size": 256,
    "channels": 3,
    "generator": {"builder": "resnet_translation_generator", "num_blocks": 9},
    "discriminator": {"builder": "patchgan_discriminator", "input_channels": 0},
    "model_args": {"pool_size": 50},
    "loss": "least_squares",
    "loss_weights": {"cycle": 10.0, "identity": 5.0},
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "linear_decay": True,
    "batch_size": 1,
    "epochs": 200,
    "expected": "stripes on horses after ~50 epochs (paper fig. 13)",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("cyclegan_horse2zebra")
