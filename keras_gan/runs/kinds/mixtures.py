"""Runs on the 2D Gaussian mixtures (`ring`, `grid`): points for data,
mode-coverage scatter plots and counts every epoch, of the generator's
samples and of the same latents after discriminator-guided refinement."""

import tensorflow as tf

from keras_gan.runs.config import MIXTURES
from keras_gan.runs.kinds.images import Images

#: Discriminator-guided latent steps (`GAN.refine_latents`) of the
#: `refined_*` figures: on the grid they lift high-quality samples from
#: 82.5% to 99.0% on average over three seeds (`benchmarks/quality.py`).
REFINE_STEPS = 20


class Mixtures(Images):
    """A `GAN`-family model (MLP builders) on `dataset_size` mixture points."""

    name = "mixtures"

    def matches(self, config):
        return config["dataset"] in MIXTURES

    def build_examples(self, config):
        from keras_gan import data

        points, _, _ = data.load_mixture(config["dataset"], config["dataset_size"],
                                         seed=config["seed"])
        return tf.data.Dataset.from_tensor_slices(points), len(points), (2,)

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        from keras_gan import callbacks

        return [callbacks.ModeCoverage(config["dataset"], samples_dir,
                                       every_n_epochs=config["sample_every"],
                                       refine_steps=REFINE_STEPS)]

    def summary(self, config, model, sample_shape):
        return {}
