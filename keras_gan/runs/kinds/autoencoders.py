"""Runs of the models with an encoder (`VAE`, `VAEGAN`, `BiGAN`) on an image
dataset: the images kind's data and sample grids, reconstruction grids, an
encoder section in the recipe."""

import os

import keras
import numpy as np

from keras_gan.runs.config import RunError
from keras_gan.runs.kinds.base import network, optimizer, start_from
from keras_gan.runs.kinds.images import Images, _implied

MODELS = ("VAE", "VAEGAN", "BiGAN")


class AutoEncoders(Images):
    """`VAE` / `VAEGAN` / `BiGAN`: `encoder` and `generator` (the decoder)
    sections, plus `discriminator` for VAE-GAN and BiGAN; `g_learning_rate`
    drives the VAE's optimizer (VAE-GAN's encoder and decoder, BiGAN's
    generator and encoder), `d_learning_rate` the discriminator's;
    `model_args` takes e.g. `likelihood`, `beta`."""

    name = "autoencoders"

    def matches(self, config):
        return config["model"] in MODELS

    def build_model(self, config, sample_shape, total_steps=None):
        import keras_gan

        if config["encoder"] is None:
            raise RunError(f"model={config['model']} needs an encoder section, e.g. --set "
                           "'encoder={\"builder\": \"conv_encoder\"}'.")
        if config["num_classes"]:
            raise RunError(f"{config['model']} is unconditional: leave num_classes unset.")
        implied = _implied(config, sample_shape)
        encoder = network(config["encoder"], implied, "encoder")
        decoder = network(config["generator"], implied, "generator")
        learning_rate = config["g_learning_rate"]
        if config["model"] == "VAE":
            model = keras_gan.VAE(encoder, decoder, latent_dim=config["latent_dim"],
                                  seed=config["seed"], **config["model_args"])
            options = {"optimizer": optimizer(config, learning_rate)}
        elif config["model"] == "BiGAN":
            discriminator = network(config["discriminator"], implied, "discriminator")
            model = keras_gan.BiGAN(decoder, encoder, discriminator,
                                    latent_dim=config["latent_dim"], seed=config["seed"],
                                    **config["model_args"])
            options = {"d_optimizer": optimizer(config, config["d_learning_rate"]),
                       "g_optimizer": optimizer(config, learning_rate),
                       "loss": config["loss"], "d_steps": config["d_steps"]}
        else:
            discriminator = network(config["discriminator"], implied, "discriminator")
            model = keras_gan.VAEGAN(encoder, decoder, discriminator,
                                     latent_dim=config["latent_dim"], seed=config["seed"],
                                     **config["model_args"])
            options = {"d_optimizer": optimizer(config, config["d_learning_rate"]),
                       "e_optimizer": optimizer(config, learning_rate),
                       "g_optimizer": optimizer(config, learning_rate),
                       "loss": config["loss"]}
        if config["ema_decay"] is not None:
            model.add_ema_generator()
        start_from(config, model)
        model.compile(jit_compile=config.get("jit", "auto"), **options)
        return model

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        images = np.stack([x for x, *_ in _elements(examples.take(8))])
        return [*super().callbacks(config, model, examples, sample_shape, samples_dir),
                ReconstructionGrid(images, samples_dir, every_n_epochs=config["sample_every"])]


def _elements(dataset):
    for element in dataset.as_numpy_iterator():
        yield element if isinstance(element, tuple) else (element,)


class ReconstructionGrid(keras.callbacks.Callback):
    """Writes `samples/epoch_NNNN_reconstructions.png`: fixed training
    images (top row) above the model's reconstructions of them
    (`model.reconstruct`: decoded posterior means, or `G(E(x))`)."""

    def __init__(self, images, directory, every_n_epochs=1):
        super().__init__()
        self.images, self.directory = np.asarray(images, np.float32), directory
        self.every_n_epochs = every_n_epochs

    def on_epoch_end(self, epoch, logs=None):
        from keras_gan.visualization import save_image_grid

        last = epoch + 1 == self.params.get("epochs")
        if (epoch + 1) % self.every_n_epochs and not last:
            return
        reconstructions = self.model.reconstruct(self.images)
        os.makedirs(self.directory, exist_ok=True)
        save_image_grid(np.concatenate([self.images, reconstructions]),
                        os.path.join(self.directory, f"epoch_{epoch + 1:04d}_reconstructions.png"),
                        columns=len(self.images))
