"""Domain pairs made offline from the bundled digits: MNIST -> an MNIST-M-style
set (digits blended onto colour backgrounds) for domain adaptation, and
"rendered" (binarized) vs real digits for refinement."""

import numpy as np
import tensorflow as tf

from keras_gan.data import images as images_lib


def mnist_m_style(digits, seed=0):
    """Digits blended onto random colour backgrounds, as MNIST-M (Ganin et
    al. 2016, section 5.2.2) blends them onto photo patches: `|b - d|` per
    channel for a digit `d` in [0, 1] and a background `b`. The backgrounds
    are smooth colour noise (4x4 random colours, bilinearly enlarged, plus
    fine grain), made here because BSDS500 cannot be downloaded offline.

    Args:
        digits: `(n, h, w, 1)` images in [-1, 1] (white digits on black).
        seed: seed of the backgrounds.

    Returns:
        `(n, h, w, 3)` float32 images in [-1, 1].
    """
    digits = np.asarray(digits, np.float32)
    if digits.ndim != 4 or digits.shape[-1] != 1:
        raise ValueError(f"`digits` must have shape (n, h, w, 1). Received: {digits.shape}")
    rng = np.random.default_rng(seed)
    n, h, w, _ = digits.shape
    coarse = rng.uniform(0.0, 1.0, (n, 4, 4, 3)).astype(np.float32)
    background = tf.image.resize(coarse, (h, w), method="bilinear").numpy()
    background = np.clip(background + rng.normal(0.0, 0.08, background.shape), 0.0, 1.0)
    blended = np.abs(background - (digits + 1.0) / 2.0)
    return (blended * 2.0 - 1.0).astype(np.float32)


def load_domain_shift(name="mnist_to_mnist_m", num_source=4000, num_target=4000,
                      num_test=1000, seed=0):
    """Source and target data for domain adaptation from the bundled digits.

    `"mnist_to_mnist_m"`: the source is grey digits as RGB (labelled), the
    target other digits blended onto colour backgrounds (`mnist_m_style`;
    labels kept only for evaluation). The three parts use disjoint digits.

    Returns:
        A dict of NumPy arrays: `source`, `labels` (training, labelled),
        `target` (training, unlabelled), and `test_target`, `test_labels`
        (held-out target images with their labels).
    """
    if name != "mnist_to_mnist_m":
        raise ValueError(f"Unknown domain shift {name!r}; the offline one is "
                         "'mnist_to_mnist_m'.")
    total = num_source + num_target + num_test
    dataset = images_lib.load_images(images_lib.OFFLINE_MNIST, batch_size=None, shuffle=False,
                                     labels=True)
    digits, labels = (np.stack(part) for part in zip(*dataset.as_numpy_iterator()))
    if total > len(digits):
        raise ValueError(f"{total} digits asked for; the bundled set has {len(digits)}.")
    order = np.random.default_rng(seed).permutation(len(digits))[:total]
    digits, labels = digits[order], labels[order].astype(np.int32)
    source = np.repeat(digits[:num_source], 3, axis=-1)
    target = mnist_m_style(digits[num_source:], seed=seed + 1)
    return {"source": source, "labels": labels[:num_source],
            "target": target[:num_target], "test_target": target[num_target:],
            "test_labels": labels[num_source + num_target:]}


def load_refinement(name="mnist_synthetic", num_samples=4000, seed=0):
    """Synthetic and real images for refinement (SimGAN), unpaired.

    `"mnist_synthetic"`: "rendered" digits, the bundled digits binarized at
    mid-grey (hard edges, one stroke intensity: what a simple renderer
    draws), against other, real digits (anti-aliased, varying strokes).

    Returns:
        `(synthetic, real, synthetic_labels)`: two `(num_samples, 28, 28, 1)`
        float32 arrays in [-1, 1] of disjoint digits, and the synthetic
        images' classes (what refinement must preserve).
    """
    if name != "mnist_synthetic":
        raise ValueError(f"Unknown refinement data {name!r}; the offline one is "
                         "'mnist_synthetic'.")
    dataset = images_lib.load_images(images_lib.OFFLINE_MNIST, batch_size=None, shuffle=False,
                                     labels=True)
    digits, labels = (np.stack(part) for part in zip(*dataset.as_numpy_iterator()))
    if 2 * num_samples > len(digits):
        raise ValueError(f"2 x {num_samples} digits asked for; the bundled set has "
                         f"{len(digits)}.")
    order = np.random.default_rng(seed).permutation(len(digits))
    synthetic = np.where(digits[order[:num_samples]] > 0.0, 1.0, -1.0).astype(np.float32)
    real = digits[order[num_samples:2 * num_samples]].astype(np.float32)
    return synthetic, real, labels[order[:num_samples]].astype(np.int32)
