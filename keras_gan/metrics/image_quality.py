"""Per-image fidelity of restored images: PSNR and SSIM."""

import tensorflow as tf


def psnr(images, references, max_val=2.0):
    """Peak signal-to-noise ratio in dB, one value per image.

    `10 * log10(max_val^2 / MSE)` over all pixels and channels
    (`tf.image.psnr`). The default `max_val=2.0` is the dynamic range of
    images in [-1, 1]; pass 1.0 or 255 for other ranges. Super-resolution
    papers often report PSNR on the Y channel with a border of `scale`
    pixels removed; convert and crop first to compare with them.
    """
    images, references = _pair(images, references)
    return tf.image.psnr(images, references, max_val=max_val)


def ssim(images, references, max_val=2.0, filter_size=11, filter_sigma=1.5):
    """Structural similarity (Wang et al. 2004), one value per image.

    `tf.image.ssim` with the standard 11x11 Gaussian window of sigma 1.5
    and `K1 = 0.01`, `K2 = 0.03`; the window shrinks to the image size for
    images smaller than 11 pixels. Colour images average the per-channel
    values. `max_val=2.0` is the range of images in [-1, 1].
    """
    images, references = _pair(images, references)
    size = min(int(filter_size), int(images.shape[1]), int(images.shape[2]))
    return tf.image.ssim(images, references, max_val=max_val, filter_size=size,
                         filter_sigma=filter_sigma)


def _pair(images, references):
    images = tf.cast(tf.convert_to_tensor(images), tf.float32)
    references = tf.cast(tf.convert_to_tensor(references), tf.float32)
    if images.shape.rank != 4 or images.shape != references.shape:
        raise ValueError(
            "PSNR/SSIM compare two batches of images of one shape (batch, H, W, C). Received "
            f"{tuple(images.shape)} and {tuple(references.shape)}.")
    return images, references
