"""Sliced Wasserstein distance between Laplacian-pyramid patches (Karras et
al. 2018, ProGAN, Section 5), as their `metrics/sliced_wasserstein.py`
computes it.

Each image is split into a Laplacian pyramid (the 5x5 binomial filter of
OpenCV's `pyrDown`/`pyrUp`, mirrored borders) down to 16x16; from every level
`patches_per_image` random 7x7 neighbourhoods are taken as descriptors,
normalized per colour channel (each set by its own mean and standard
deviation), and the two sets are compared by the sliced Wasserstein
distance: `repeats` times, `directions` random unit directions, the sorted
1D projections matched, their mean absolute difference averaged. Values are
reported x 1e3 per level (`swd_{resolution}`: fine levels measure detail,
coarse ones structure) and averaged (`swd_avg`), as in the paper's tables.
"""

import numpy as np
from scipy import ndimage

from keras_gan._checks import check_positive_int

BINOMIAL = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]).astype(np.float64) / 256.0


def pyramid_down(images):
    """`cv2.pyrDown` of `(n, h, w, c)` images: blur, keep every other pixel."""
    blurred = ndimage.convolve(images, BINOMIAL[None, :, :, None], mode="mirror")
    return blurred[:, ::2, ::2]


def pyramid_up(images):
    """`cv2.pyrUp`: zeros between the pixels, blurred with 4x the filter."""
    n, h, w, c = images.shape
    spread = np.zeros((n, 2 * h, 2 * w, c), images.dtype)
    spread[:, ::2, ::2] = images
    return ndimage.convolve(spread, 4.0 * BINOMIAL[None, :, :, None], mode="mirror")


def laplacian_pyramid(images, levels):
    """`levels` arrays, finest first: band-pass details, then the coarse image.
    `reconstruct_pyramid` inverts it exactly."""
    pyramid = [np.asarray(images, np.float64)]
    for _ in range(1, levels):
        pyramid.append(pyramid_down(pyramid[-1]))
        pyramid[-2] = pyramid[-2] - pyramid_up(pyramid[-1])
    return pyramid


def reconstruct_pyramid(pyramid):
    images = pyramid[-1]
    for level in pyramid[-2::-1]:
        images = pyramid_up(images) + level
    return images


def patches(images, size, per_image, rng):
    """`per_image` random `size x size` neighbourhoods of each image, as
    `(n * per_image, size, size, c)`."""
    n, h, w, _ = images.shape
    half = size // 2
    if h < size or w < size:
        raise ValueError(f"Images of {h}x{w} are smaller than the {size}x{size} patches.")
    image = np.repeat(np.arange(n), per_image)
    y = rng.integers(half, h - half, len(image))
    x = rng.integers(half, w - half, len(image))
    offsets = np.arange(-half, half + 1)
    return images[image[:, None, None], (y[:, None] + offsets)[:, :, None],
                  (x[:, None] + offsets)[:, None, :]]


def normalize_descriptors(descriptors):
    """Per-channel zero mean and unit variance, flattened to `(m, size*size*c)`."""
    descriptors = descriptors - descriptors.mean(axis=(0, 1, 2), keepdims=True)
    descriptors = descriptors / descriptors.std(axis=(0, 1, 2), keepdims=True)
    return descriptors.reshape(len(descriptors), -1)


def sliced_wasserstein(a, b, directions):
    """Mean over unit `directions` `(dim, k)` of the 1D Wasserstein-1 distance
    between the projections of equal-size sets `a`, `b` `(m, dim)`."""
    if a.shape != b.shape:
        raise ValueError(f"Both descriptor sets need one shape; received {a.shape}, {b.shape}.")
    projected_a = np.sort(a @ directions, axis=0)
    projected_b = np.sort(b @ directions, axis=0)
    return float(np.mean(np.abs(projected_a - projected_b)))


def swd(real, fake, patch_size=7, patches_per_image=128, repeats=4, directions=128,
        min_resolution=16, seed=0):
    """Sliced Wasserstein distances between two equal-size sets of images.

    Args:
        real, fake: `(n, h, w, c)` images (any range: descriptors are
            normalized), the same count and shape; ProGAN used 8192 images.
        patch_size, patches_per_image, repeats, directions: the paper's 7,
            128, 4 and 128.
        min_resolution: the coarsest pyramid level's size.
        seed: seed of the patch positions and the directions.

    Returns:
        `{"swd_{resolution}": ..., "swd_avg": ...}`, each x 1e3.
    """
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if real.ndim != 4 or real.shape != fake.shape:
        raise ValueError("swd() compares two sets of images of one shape (n, h, w, c); "
                         f"received {real.shape} and {fake.shape}.")
    check_positive_int(patch_size=patch_size, patches_per_image=patches_per_image,
                       repeats=repeats, directions=directions)
    resolutions = []
    resolution = min(real.shape[1:3])
    while resolution >= min_resolution:
        resolutions.append(resolution)
        resolution //= 2
    if not resolutions:
        raise ValueError(f"Images of {real.shape[1]}x{real.shape[2]} are below "
                         f"min_resolution={min_resolution}.")
    step = 2 ** (len(resolutions) - 1)
    if real.shape[1] % step or real.shape[2] % step:
        raise ValueError(f"A {len(resolutions)}-level pyramid needs image sides divisible by "
                         f"{step}; received {real.shape[1]}x{real.shape[2]} (resize or crop).")
    rng = np.random.default_rng(seed)
    values = {}
    pyramids = [laplacian_pyramid(x, len(resolutions)) for x in (real, fake)]
    for resolution, real_level, fake_level in zip(resolutions, *pyramids):
        a, b = (normalize_descriptors(patches(level, patch_size, patches_per_image, rng))
                for level in (real_level, fake_level))
        distances = []
        for _ in range(repeats):
            d = rng.standard_normal((a.shape[1], directions))
            distances.append(sliced_wasserstein(a, b, d / np.linalg.norm(d, axis=0)))
        values[f"swd_{resolution}"] = 1e3 * float(np.mean(distances))
    values["swd_avg"] = float(np.mean(list(values.values())))
    return values
