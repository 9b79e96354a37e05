"""Writes grids of samples from fixed latents while a GAN trains."""

import importlib.util
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.callbacks._base import GANCallback
from keras_gan.exploration import slerp
from keras_gan.visualization import image_grid, write_png


@keras.saving.register_keras_serializable(package="keras_gan")
class SampleGrid(GANCallback):
    """Writes a PNG grid of samples from fixed latents every N epochs.

    The latents are drawn once (from `seed`), so successive grids show how
    the same inputs evolve. For a conditional model (one with `num_classes`)
    the grid has one row per class and the same latents in every row.
    Images are written atomically as `directory/epoch_0001.png` (1-based
    epoch), and optionally to TensorBoard.

    Args:
        directory: where the PNG files go (created if missing).
        num_samples: samples in the grid (unconditional models).
        columns: images per row; default `sqrt(num_samples)` (unconditional)
            or 8 samples per class (conditional).
        every_n_epochs: write after epochs N, 2N, ... and after the last one.
        seed: seed of the fixed latents.
        interpolation_rows: if > 0, also write `epoch_0001_interpolation.png`
            with this many rows, each a spherical interpolation between two
            fixed latents in `columns` steps.
        traversal: for models with latent codes (`InfoGAN`): `True` for every
            code or a list of code numbers; also writes
            `epoch_0001_traversal_K.png` per code K, a latent-traversal grid
            (8 rows of fixed noise, one column per value of the code).
        use_ema: sample from the averaged generator when the model has one.
        tensorboard_dir: if set, also log the grid as an image summary named
            `samples` there (e.g. the `log_dir` of `keras.callbacks.TensorBoard`).

    Example:

    ```python
    gan.fit(images, epochs=10, callbacks=[SampleGrid("samples/", every_n_epochs=2)])
    ```
    """

    def __init__(self, directory, num_samples=64, columns=None, every_n_epochs=1, seed=0,
                 interpolation_rows=0, traversal=False, use_ema=True, tensorboard_dir=None):
        super().__init__()
        check_positive_int(num_samples=num_samples, every_n_epochs=every_n_epochs)
        if columns is not None:
            check_positive_int(columns=columns)
        if int(interpolation_rows) < 0:
            raise ValueError(
                f"`interpolation_rows` must be >= 0. Received: interpolation_rows={interpolation_rows}")
        if tensorboard_dir is not None and importlib.util.find_spec("tensorboard") is None:
            raise ImportError(
                "SampleGrid(tensorboard_dir=...) needs TensorBoard: "
                "`pip install tensorboard` (or `pip install keras-gan[tensorboard]`).")
        self.directory = os.fspath(directory)
        self.num_samples = int(num_samples)
        self.columns = columns
        self.every_n_epochs = int(every_n_epochs)
        self.seed = int(seed)
        self.interpolation_rows = int(interpolation_rows)
        if not (isinstance(traversal, bool) or all(isinstance(c, int) for c in traversal)):
            raise ValueError(f"`traversal` must be True, False or a list of code numbers. "
                             f"Received: traversal={traversal!r}")
        self.traversal = traversal if isinstance(traversal, bool) else [int(c) for c in traversal]
        self.use_ema = use_ema
        self.tensorboard_dir = None if tensorboard_dir is None else os.fspath(tensorboard_dir)
        self._inputs = None
        self._writer = None
        self.written = []

    def on_train_begin(self, logs=None):
        self._inputs = self._fixed_inputs()
        if self.tensorboard_dir and self._writer is None:
            self._writer = tf.summary.create_file_writer(os.fspath(self.tensorboard_dir))

    def on_epoch_end(self, epoch, logs=None):
        last = epoch + 1 == self.params.get("epochs")
        if (epoch + 1) % self.every_n_epochs and not last:
            return
        self.write(epoch + 1)

    def write(self, epoch):
        """Writes the grid(s) for `epoch` now; returns the written paths."""
        if self._inputs is None:
            self._inputs = self._fixed_inputs()
        paths = []
        for suffix, (latents, labels, columns) in self._inputs.items():
            images = self.model.generate(latents=latents, labels=labels, use_ema=self.use_ema)
            grid = image_grid(images, columns)
            path = os.path.join(self.directory, f"epoch_{epoch:04d}{suffix}.png")
            paths.append(write_png(path, grid))
            if self._writer is not None:
                with self._writer.as_default():
                    tf.summary.image("samples" + suffix, grid[None], step=epoch)
        if self._writer is not None:
            self._writer.flush()
        self.written.extend(paths)
        return paths

    def _fixed_inputs(self):
        model = self._gan()
        rng = np.random.default_rng(self.seed)
        num_classes = getattr(model, "sampling_classes", None)
        inputs = {}
        if num_classes:
            columns = int(self.columns or 8)
            latents = model.latents_from(rng, columns)
            inputs[""] = (np.tile(latents, (num_classes, 1)),
                          np.repeat(np.arange(num_classes), columns), columns)
        else:
            columns = int(self.columns or np.ceil(np.sqrt(self.num_samples)))
            inputs[""] = (model.latents_from(rng, self.num_samples), None, columns)
        if self.interpolation_rows:
            steps = max(columns, 2)
            ends = model.latents_from(rng, 2 * self.interpolation_rows).reshape(
                self.interpolation_rows, 2, -1)
            latents = np.concatenate([
                np.stack([slerp(a, b, t) for t in np.linspace(0.0, 1.0, steps)]) for a, b in ends])
            labels = None
            if num_classes:
                labels = np.repeat(np.arange(self.interpolation_rows) % num_classes, steps)
            inputs["_interpolation"] = (latents, labels, steps)
        inputs.update(self._traversal_inputs(model))
        return {k: (np.asarray(z, np.float32), y, c) for k, (z, y, c) in inputs.items()}

    def _traversal_inputs(self, model):
        if self.traversal is False or self.traversal == []:
            return {}
        if not hasattr(model, "traversal_latents"):
            raise ValueError(
                f"SampleGrid(traversal=...) needs a model with latent codes (InfoGAN); "
                f"{type(model).__name__} has none.")
        codes = self.traversal
        if codes is True:
            codes = range(len(model.categorical_codes) + model.continuous_codes)
        inputs = {}
        for code in codes:
            latents, columns = model.traversal_latents(code, num_rows=8, seed=self.seed)
            inputs[f"_traversal_{code}"] = (latents, None, columns)
        return inputs

    def get_config(self):
        return {
            "directory": self.directory,
            "num_samples": self.num_samples,
            "columns": self.columns,
            "every_n_epochs": self.every_n_epochs,
            "seed": self.seed,
            "interpolation_rows": self.interpolation_rows,
            "traversal": self.traversal,
            "use_ema": self.use_ema,
            "tensorboard_dir": self.tensorboard_dir,
        }
