"""Writes comparison grids (input, translation, target) while an image-to-image GAN trains."""

import os

import keras
import numpy as np

from keras_gan._checks import check_positive_int
from keras_gan.visualization import image_grid, write_png


@keras.saving.register_keras_serializable(package="keras_gan")
class TranslationGrid(keras.callbacks.Callback):
    """Writes `directory/epoch_NNNN.png` every N epochs: one row per fixed
    example, with the columns the model's `preview()` gives (pix2pix and
    SRGAN: input, output, target; CycleGAN: a, G(a), F(G(a)), b, F(b),
    G(F(b)); StarGAN: input and one translation per domain; the context
    encoder: masked, completed, original). Smaller images (SRGAN's inputs)
    are enlarged with nearest-neighbour sampling to the row height.

    Args:
        examples: the model's training data for a few examples: a tuple
            `(inputs, targets)`, `(images, labels)` (StarGAN) or images
            (context encoder), as NumPy arrays in [-1, 1].
        directory: where the PNG files go (created if missing).
        every_n_epochs: write every N epochs (and after the last).
    """

    def __init__(self, examples, directory, every_n_epochs=1):
        super().__init__()
        check_positive_int(every_n_epochs=every_n_epochs)
        examples = examples if isinstance(examples, (tuple, list)) else (examples,)
        self.examples = tuple(np.asarray(x, np.float32) for x in examples)
        self.directory = os.fspath(directory)
        self.every_n_epochs = int(every_n_epochs)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs == 0:
            self.write(os.path.join(self.directory, f"epoch_{epoch + 1:04d}.png"))

    def get_config(self):
        return {"examples": [x.tolist() for x in self.examples], "directory": self.directory,
                "every_n_epochs": self.every_n_epochs}

    @classmethod
    def from_config(cls, config):
        return cls(**{**config, "examples": tuple(config["examples"])})

    def write(self, path):
        """Writes the grid to `path`; returns the uint8 grid."""
        model = self.model
        if not hasattr(model, "preview"):
            raise TypeError(f"TranslationGrid needs an image-to-image model (Pix2Pix, CycleGAN, "
                            f"...); it was attached to {type(model).__name__}.")
        columns = model.preview(*self.examples)
        height = max(c.shape[1] for c in columns)
        channels = max(c.shape[-1] for c in columns)
        tiles = [_fit(c, height, channels) for c in columns]
        images = np.stack(tiles, axis=1).reshape(-1, *tiles[0].shape[1:])
        grid = image_grid(images, columns=len(tiles))
        os.makedirs(self.directory, exist_ok=True)
        write_png(path, grid)
        return grid


def _fit(images, height, channels):
    images = np.asarray(images, np.float32)
    factor = height // images.shape[1]
    if factor > 1:
        images = images.repeat(factor, axis=1).repeat(factor, axis=2)
    if images.shape[-1] < channels:
        images = np.repeat(images, channels, axis=-1)
    return images
