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
        refine_steps: when > 0, also logs `refined_modes`,
            `refined_high_quality` and `refined_reverse_kl` of the same
            latents after that many discriminator-guided steps
            (`GAN.refine_latents`), and plots them to
            `epoch_NNNN_refined.png`.
    """

    def __init__(self, mixture="ring", directory=None, num_samples=2500, every_n_epochs=1,
                 seed=0, refine_steps=0):
        super().__init__()
        check_positive_int(num_samples=num_samples, every_n_epochs=every_n_epochs)
        if isinstance(refine_steps, bool) or int(refine_steps) != refine_steps or refine_steps < 0:
            raise ValueError(f"`refine_steps` must be an integer >= 0. Received: "
                             f"refine_steps={refine_steps!r}")
        self.refine_steps = int(refine_steps)
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
        values = {}
        for prefix, steps in (("", 0), ("refined_", self.refine_steps)):
            if prefix and not steps:
                continue
            samples = self._gan().generate(self.num_samples, seed=self.seed, refine_steps=steps)
            result = mode_coverage(samples, self.centers, self.std)
            values.update({f"{prefix}modes": float(result["modes"]),
                           f"{prefix}high_quality": float(result["high_quality"]),
                           f"{prefix}reverse_kl": float(result["reverse_kl"])})
            if self.directory:
                suffix = "_refined" if prefix else ""
                plot_points(samples, self.centers,
                            os.path.join(self.directory, f"epoch_{epoch + 1:04d}{suffix}.png"))
        if logs is not None:
            logs.update(values)

    def get_config(self):
        return {"mixture": self.mixture, "directory": self.directory,
                "num_samples": self.num_samples, "every_n_epochs": self.every_n_epochs,
                "seed": self.seed, "refine_steps": self.refine_steps}
