"""Mode coverage of a GAN on a 2D Gaussian mixture, logged every N epochs."""

import os

import keras

from keras_gan._checks import check_positive_int
from keras_gan.callbacks._base import GANCallback


@keras.saving.register_keras_serializable(package="keras_gan")
class ModeCoverage(GANCallback):
    """Logs `modes`, `high_quality` and `reverse_kl` (PacGAN/VEEGAN protocol,
    see `keras_gan.metrics.mode_coverage`) for a GAN on the ring or grid
    mixture, and writes `epoch_NNNN.png` scatter plots to `directory`.

    Args:
        mixture: `"ring"` or `"grid"` (PacGAN parameters), or a dict of
            `keras_gan.data.load_mixture` arguments.
        directory: where the scatter plots go (None: no plots).
        num_samples: generated points per evaluation.
        every_n_epochs: after the first epoch, every N and the last.
        seed: seed of the fixed latents.
    """

    def __init__(self, mixture="ring", directory=None, num_samples=2500, every_n_epochs=1,
                 seed=0):
        super().__init__()
        check_positive_int(num_samples=num_samples, every_n_epochs=every_n_epochs)
        self.mixture = mixture
        self.directory = None if directory is None else os.fspath(directory)
        self.num_samples = int(num_samples)
        self.every_n_epochs = int(every_n_epochs)
        self.seed = int(seed)
        spec = {"name": mixture} if isinstance(mixture, str) else dict(mixture)
        from keras_gan.data import load_mixture

        _, self.centers, self.std = load_mixture(**{**spec, "num_samples": 1})

    def on_epoch_end(self, epoch, logs=None):
        from keras_gan.metrics import mode_coverage
        from keras_gan.visualization import plot_points

        last = epoch + 1 == self.params.get("epochs")
        if epoch % self.every_n_epochs and not last:
            return
        samples = self._gan().generate(self.num_samples, seed=self.seed)
        result = mode_coverage(samples, self.centers, self.std)
        values = {"modes": float(result["modes"]), "high_quality": float(result["high_quality"]),
                  "reverse_kl": float(result["reverse_kl"])}
        if logs is not None:
            logs.update(values)
        if self.directory:
            plot_points(samples, self.centers,
                        os.path.join(self.directory, f"epoch_{epoch + 1:04d}.png"))

    def get_config(self):
        return {"mixture": self.mixture, "directory": self.directory,
                "num_samples": self.num_samples, "every_n_epochs": self.every_n_epochs,
                "seed": self.seed}
