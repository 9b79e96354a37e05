"""The growth schedule of progressive GANs."""

import math
import os

import keras

from keras_gan.callbacks._base import GANCallback


@keras.saving.register_keras_serializable(package="keras_gan")
class ProgressiveGrowing(GANCallback):
    """Drives `ProGAN`'s level of detail from the number of images seen.

    Training starts at 4x4; each resolution is trained for `stable_images`
    images, then the next one fades in over `fade_images` images (the level
    of detail falls linearly, so outputs change continuously), as the
    official schedule:

        phase = floor(seen / (stable + fade))
        lod   = max_lod - phase - max(seen - phase * (stable + fade) - stable, 0) / fade

    clipped to [0, max_lod]. The count (`model.images_seen`) is saved with
    the model, so a resumed run continues the schedule exactly.

    With `directory`, the model is saved (atomically) as
    `directory/resolution_<N>.keras` when training at resolution N ends
    (the next one starts fading in) and at the end of training, so a
    checkpoint exists for every resolution reached.

    Args:
        stable_images: images per resolution before the next fades in
            (600k in the paper).
        fade_images: images of each fade-in (600k).
        directory: where to save the per-resolution models (None: no saving).

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, section 3 and
        appendix A.1.
    """

    def __init__(self, stable_images=600_000, fade_images=600_000, directory=None):
        super().__init__()
        if int(stable_images) < 0 or int(fade_images) < 0 or stable_images + fade_images <= 0:
            raise ValueError(
                "`stable_images` and `fade_images` must be >= 0 with a positive sum. "
                f"Received: stable_images={stable_images}, fade_images={fade_images}")
        self.stable_images = int(stable_images)
        self.fade_images = int(fade_images)
        self.directory = None if directory is None else os.fspath(directory)
        self._resolution = None

    def lod_at(self, images_seen, max_lod):
        """The level of detail after `images_seen` images."""
        period = self.stable_images + self.fade_images
        phase = math.floor(images_seen / period)
        lod = max_lod - phase
        if self.fade_images > 0:
            lod -= max(images_seen - phase * period - self.stable_images, 0) / self.fade_images
        return min(max(lod, 0.0), max_lod)

    def _check_model(self):
        model = self._gan()
        if not hasattr(model, "set_lod"):
            raise TypeError("ProgressiveGrowing drives keras_gan.ProGAN models; it was attached "
                            f"to {type(model).__name__}.")
        return model

    def on_train_begin(self, logs=None):
        model = self._check_model()
        self._resolution = None
        self._update(model)

    def on_train_batch_begin(self, batch, logs=None):
        self._update(self.model)

    def on_train_end(self, logs=None):
        self._save(self.model)

    def _update(self, model):
        lod = self.lod_at(int(model.images_seen.numpy()), model.max_lod)
        resolution = model._sample_shape[0] >> int(math.floor(lod))
        if self._resolution is not None and resolution != self._resolution:
            self._save(model)  # the previous resolution is complete
        if lod != model.lod:
            model.set_lod(lod)
        self._resolution = resolution

    def _save(self, model):
        if self.directory is None or self._resolution is None:
            return
        from keras_gan._io import atomic_path
        from keras_gan.distributed import is_chief

        if not is_chief():
            return
        path = os.path.join(self.directory, f"resolution_{self._resolution}.keras")
        with atomic_path(path) as temporary:
            model.save(temporary)

    def get_config(self):
        return {"stable_images": self.stable_images, "fade_images": self.fade_images,
                "directory": self.directory}
