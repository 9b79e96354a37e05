"""Runs of domain adaptation (`DANN`) on the offline digits -> MNIST-M-style
shift: labelled source and unlabelled target images in each batch, the
held-out target accuracy in the summary and grids of target images sorted
by their predicted classes."""

import os

import keras
import numpy as np

from keras_gan.runs.config import RunError
from keras_gan.runs.kinds.base import Kind, network


class DomainAdaptation(Kind):
    """`DANN` on `dataset="mnist_to_mnist_m"` (`num_samples` source and
    target images each; 1,000 held-out target images). The `encoder`
    section builds the networks (`dann_networks`); `g_learning_rate` is the
    SGD rate (momentum 0.9), annealed over the run; `model_args` takes
    e.g. `domain_weight` (0 is the source-only baseline)."""

    name = "domain_adaptation"

    def matches(self, config):
        return config["model"] == "DANN"

    def _shift(self, config):
        from keras_gan import data

        if config["dataset"] != "mnist_to_mnist_m":
            raise RunError(f"DANN runs on dataset='mnist_to_mnist_m' (made offline from the "
                           f"bundled digits); received {config['dataset']!r}.")
        size = config["num_samples"] or 4000
        return data.load_domain_shift(config["dataset"], size, size, 1000, seed=config["seed"])

    def build_examples(self, config):
        import tensorflow as tf

        shift = self._shift(config)
        dataset = tf.data.Dataset.from_tensor_slices(
            {key: shift[key] for key in ("source", "labels", "target")})
        return dataset, len(shift["source"]), tuple(shift["source"].shape[1:])

    def build_model(self, config, sample_shape, total_steps=None):
        import keras_gan
        from keras_gan.schedules import AnnealedDecay

        if config["encoder"] is None:
            raise RunError("DANN needs an encoder section: --set "
                           "'encoder={\"builder\": \"dann_networks\"}'.")
        implied = {"resolution": sample_shape[0], "channels": sample_shape[-1],
                   "num_classes": config["num_classes"]}
        networks = network(config["encoder"], implied, "encoder")
        steps = max(int(total_steps or 1), 1)
        model = keras_gan.DANN(*networks, num_classes=config["num_classes"],
                               schedule_steps=steps, seed=config["seed"],
                               **config["model_args"])
        model.compile(optimizer=keras.optimizers.SGD(
            AnnealedDecay(config["g_learning_rate"], steps), momentum=0.9),
            jit_compile=config.get("jit", "auto"))
        return model

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        return [TargetSamples(self._shift(config), samples_dir,
                                  every_n_epochs=config["sample_every"])]

    def summary(self, config, model, sample_shape):
        shift = self._shift(config)
        return {"target_accuracy": model.accuracy(shift["test_target"], shift["test_labels"]),
                "accuracy_on": "1,000 held-out MNIST-M-style target digits"}


class TargetSamples(keras.callbacks.Callback):
    """Writes `samples/epoch_NNNN.png`: 16 held-out target images, sorted
    by the class the model predicts for them (so a glance shows whether
    the rows read as 0, 1, 2, ...)."""

    def __init__(self, shift, directory, every_n_epochs=1):
        super().__init__()
        self.images = shift["test_target"][:16]
        self.directory, self.every_n_epochs = directory, every_n_epochs

    def on_epoch_end(self, epoch, logs=None):
        from keras_gan.visualization import save_image_grid

        if (epoch + 1) % self.every_n_epochs:
            return
        order = np.argsort(self.model.classify(self.images), kind="stable")
        os.makedirs(self.directory, exist_ok=True)
        save_image_grid(self.images[order],
                        os.path.join(self.directory, f"epoch_{epoch + 1:04d}.png"), columns=8)
