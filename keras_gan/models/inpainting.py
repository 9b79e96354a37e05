"""Context encoders: inpainting a masked region with reconstruction + adversarial losses."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.engine import BATCH_STREAM
from keras_gan.models.image_to_image import ImageToImageGAN


def block_masks(height, width, size, offsets):
    """Square masks (1 inside the hole) of side `size` at `offsets` in [0, 1]^2
    (`(batch, 2)`: relative top/left position); works on NumPy and tensors."""
    offsets = tf.cast(offsets, tf.float32)
    top = tf.cast(tf.floor(offsets[:, 0] * (height - size + 1)), tf.int32)[:, None]
    left = tf.cast(tf.floor(offsets[:, 1] * (width - size + 1)), tf.int32)[:, None]
    rows, cols = tf.range(height)[None], tf.range(width)[None]
    inside_rows = tf.logical_and(rows >= top, rows < top + size)[:, :, None]
    inside_cols = tf.logical_and(cols >= left, cols < left + size)[:, None, :]
    return tf.cast(tf.logical_and(inside_rows, inside_cols), tf.float32)[..., None]


@keras.saving.register_keras_serializable(package="keras_gan")
class ContextEncoder(ImageToImageGAN):
    """Inpainting: the generator sees an image with a square hole and fills it.

    The masked region is cut from each training image (a centred square, or
    one at a random position per image and step); the generator gets the
    image with the hole set to 0 (the middle of [-1, 1]) and returns a full
    image. Losses: the L2 reconstruction over the hole (mean squared error of
    the masked pixels) with weight 0.999 and the adversarial loss with weight
    0.001 (`loss_weights={"reconstruction": 0.999, "adversarial": 0.001}`);
    the discriminator judges the real context with the generated hole pasted
    in. Masks come from the saved step counter, so runs resume exactly.

    The paper predicts only the hole (64x64 of 128x128) and weights the
    hole's boundary higher; this model predicts the whole image and uses the
    hole's pixels, which also serves random masks.

    Training data are images alone (`fit(images)`), in [-1, 1].

    Args:
        generator: image to image, e.g. `keras_gan.networks.context_encoder_generator`.
        discriminator: e.g. `keras_gan.networks.dcgan_discriminator`.
        mask: `"center"` or `"random"` (a square at a random position).
        mask_size: side of the hole as a fraction of the image side (0.5).
        seed: training randomness seed (mask positions).

    Reference:
        Pathak et al., "Context Encoders: Feature Learning by Inpainting",
        CVPR 2016. https://arxiv.org/abs/1604.07379
    """

    def __init__(self, generator, discriminator, mask="center", mask_size=0.5, seed=None,
                 **kwargs):
        if mask not in ("center", "random"):
            raise ValueError(f"`mask` must be 'center' or 'random'. Received: mask={mask!r}")
        if not 0 < float(mask_size) < 1:
            raise ValueError(f"`mask_size` must be in (0, 1). Received: mask_size={mask_size!r}")
        self.mask = mask
        self.mask_size = float(mask_size)
        super().__init__(generator, discriminator, seed=seed, **kwargs)

    def masks(self, batch, height, width, offsets=None):
        """Masks `(batch, height, width, 1)`: 1 in the hole. `offsets`
        (`(batch, 2)` in [0, 1]) place random holes; centred otherwise."""
        size = max(1, int(round(self.mask_size * min(height, width))))
        if self.mask == "center" or offsets is None:
            offsets = tf.fill(tf.stack([batch, 2]), 0.5)
        return block_masks(height, width, size, offsets)

    def split_data(self, data, step):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        images = self._images(x, "images")
        batch, height, width = tf.shape(images)[0], images.shape[1], images.shape[2]
        offsets = self._draw("uniform", batch, (2,), step, BATCH_STREAM)
        masks = self.masks(batch, height, width, offsets)
        return images * (1.0 - masks), images, masks

    def discriminated(self, fake, inputs, targets, labels):
        masks = labels
        return targets * (1.0 - masks) + tf.cast(fake, tf.float32) * masks

    def generator_terms(self, *, inputs, targets, fake, labels):
        masks = labels
        error = tf.square(tf.cast(fake, tf.float32) - targets) * masks
        count = tf.reduce_sum(masks) * tf.cast(tf.shape(targets)[-1], tf.float32)
        return {"reconstruction": tf.reduce_sum(error) / tf.maximum(count, 1.0)}

    def default_compile_args(self):
        return {**super().default_compile_args(),
                "loss_weights": {"adversarial": 0.001, "reconstruction": 0.999}}

    def translate(self, inputs, labels=None, batch_size=32, generator=None, seed=0):
        """Fills the hole of each image: returns the images with the generated
        region pasted in (centred holes, or random ones drawn from `seed`;
        `labels` may pass explicit masks `(n, H, W, 1)`)."""
        images = np.asarray(inputs, np.float32)
        if images.ndim == 3:
            images = images[None]
        if labels is None:
            offsets = np.random.default_rng(seed).uniform(size=(len(images), 2))
            labels = self.masks(len(images), images.shape[1], images.shape[2], offsets)
        masks = np.asarray(labels, np.float32)
        holes = super().translate(images * (1 - masks), batch_size=batch_size, generator=generator)
        return images * (1 - masks) + holes * masks

    def preview(self, inputs):
        """Columns: the images with their (seeded) holes, the completions,
        the originals."""
        images = np.asarray(inputs, np.float32)
        offsets = np.random.default_rng(0).uniform(size=(len(images), 2))
        masks = np.asarray(self.masks(len(images), images.shape[1], images.shape[2], offsets))
        return [images * (1 - masks), self.translate(images, masks), images]

    def get_config(self):
        return {**super().get_config(), "mask": self.mask, "mask_size": self.mask_size}
