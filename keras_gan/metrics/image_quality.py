"""Per-image fidelity of restored images (PSNR, SSIM, MS-SSIM) and the
MS-SSIM diversity of a set of samples."""

import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int

#: Wang et al. 2003's weights of the five MS-SSIM scales (tf.image's default).
MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


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


def ms_ssim(images, references, max_val=2.0, filter_size=11, filter_sigma=1.5):
    """Multi-scale SSIM (Wang et al. 2003), one value per image.

    `tf.image.ssim_multiscale` with the paper's five scales where the images
    are large enough (at least `filter_size * 16` pixels, 176 for the
    standard window); smaller images use the first scales that fit, their
    weights renormalized to sum to 1 (one scale is SSIM itself).
    """
    images, references = _pair(images, references)
    side = min(int(images.shape[1]), int(images.shape[2]))
    size = min(int(filter_size), side)
    scales = 1
    while scales < len(MS_SSIM_WEIGHTS) and side // 2 ** scales >= size:
        scales += 1
    weights = MS_SSIM_WEIGHTS
    if scales < len(MS_SSIM_WEIGHTS):
        kept = np.asarray(MS_SSIM_WEIGHTS[:scales])
        weights = tuple(float(w) for w in kept / kept.sum())
    return tf.image.ssim_multiscale(images, references, max_val=max_val, power_factors=weights,
                                    filter_size=size, filter_sigma=filter_sigma)


def ms_ssim_diversity(images, num_pairs=1000, seed=0, max_val=2.0, batch_size=100):
    """Mean MS-SSIM between random pairs of distinct images of a set (Odena
    et al. 2017, ACGAN, Section 4.2): lower is more diverse; compare it with
    the same value on real images (per class, for conditional models, as the
    paper does).

    Args:
        images: `(n, h, w, c)` samples, n >= 2, in [-1, 1] (`max_val` is the
            range).
        num_pairs: random pairs (the paper: 100 per class).
        seed: seed of the pairing.
    """
    images = np.asarray(images, np.float32)
    if images.ndim != 4 or len(images) < 2:
        raise ValueError(f"ms_ssim_diversity() takes (n >= 2, h, w, c) images; received "
                         f"{images.shape}.")
    check_positive_int(num_pairs=num_pairs, batch_size=batch_size)
    rng = np.random.default_rng(seed)
    first = rng.integers(0, len(images), num_pairs)
    second = (first + rng.integers(1, len(images), num_pairs)) % len(images)  # never the same
    values = [ms_ssim(images[first[i:i + batch_size]], images[second[i:i + batch_size]],
                      max_val=max_val).numpy() for i in range(0, num_pairs, batch_size)]
    return float(np.mean(np.concatenate(values)))


def _pair(images, references):
    images = tf.cast(tf.convert_to_tensor(images), tf.float32)
    references = tf.cast(tf.convert_to_tensor(references), tf.float32)
    if images.shape.rank != 4 or images.shape != references.shape:
        raise ValueError(
            "PSNR/SSIM compare two batches of images of one shape (batch, H, W, C). Received "
            f"{tuple(images.shape)} and {tuple(references.shape)}.")
    return images, references
