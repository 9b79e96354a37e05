"""Image grids written as PNG files (atomically), shared by callbacks and the CLI."""

import os

import numpy as np
import tensorflow as tf

from keras_gan._io import atomic_path


def to_uint8(images):
    """Maps images in [-1, 1] to uint8 [0, 255] (values outside are clipped)."""
    images = np.asarray(images, np.float32)
    return np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def image_grid(images, columns=None, padding=2, pad_value=255):
    """Tiles `(n, height, width, channels)` images in [-1, 1] into one uint8
    image with `columns` per row (default: a square-ish grid).

    Single-channel images stay single-channel; the grid's empty cells and the
    `padding` pixels between cells take `pad_value`.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(
            "image_grid needs images of shape (n, height, width, channels) with 1, 3 or 4 "
            f"channels. Received shape {images.shape}. Sample grids are for image GANs; "
            "plot 2D samples with a scatter plot instead.")
    n, height, width, channels = images.shape
    columns = int(columns or np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / columns))
    grid = np.full((rows * (height + padding) + padding, columns * (width + padding) + padding,
                    channels), pad_value, np.uint8)
    for index, image in enumerate(to_uint8(images)):
        row, column = divmod(index, columns)
        top, left = padding + row * (height + padding), padding + column * (width + padding)
        grid[top:top + height, left:left + width] = image
    return grid


def write_png(path, image):
    """Writes a uint8 `(height, width, channels)` image to `path` atomically:
    a reader never sees a half-written file."""
    with atomic_path(path) as temporary:
        tf.io.write_file(temporary, tf.io.encode_png(np.asarray(image, np.uint8)))
    return os.fspath(path)


def save_image_grid(images, path, columns=None, padding=2):
    """Writes `images` in [-1, 1] as one PNG grid; returns the grid (uint8)."""
    grid = image_grid(images, columns, padding)
    write_png(path, grid)
    return grid


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_points(samples, centers, path, limit=None):
    """Scatter plot of 2D samples over the mixture's mode centres (PNG)."""
    plt = _pyplot()
    samples, centers = np.asarray(samples), np.asarray(centers)
    limit = limit or float(np.abs(centers).max()) * 1.5 + 0.1
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    ax.scatter(samples[:, 0], samples[:, 1], s=2, alpha=0.4, label="generated")
    ax.scatter(centers[:, 0], centers[:, 1], s=30, c="red", marker="x", label="modes")
    ax.set_aspect("equal")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.legend(loc="upper right", fontsize=7)
    fig.tight_layout()
    _save_figure(fig, path)
    plt.close(fig)
    return path


def plot_metrics(csv_path, directory):
    """Draws `losses.png` (every `*_loss` column) and one PNG per evaluated metric
    family (`fid.png`, `kid.png`, `modes.png`, ...) from a Keras `CSVLogger`
    file; returns the written paths."""
    import csv

    with open(csv_path) as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return []
    plt = _pyplot()

    def column(key):
        values = [(int(r["epoch"]) + 1, float(r[key])) for r in rows
                  if r.get(key) not in (None, "", "NA", "nan")]
        return list(zip(*values)) if values else None

    # Every phase's loss (d_loss, g_loss, a VAE's vae_loss, ...) and the
    # variants' named loss terms.
    groups = {"losses": [k for k in rows[0] if k.endswith("_loss") and not k.startswith("val_")]}
    for key in rows[0]:
        family = key.split("_")[0]
        if family in ("fid", "kid", "is", "precision", "recall", "density", "coverage",
                      "modes", "high") and not key.endswith("_std"):
            groups.setdefault("modes" if family == "high" else family, []).append(key)
    written = []
    for name, keys in groups.items():
        series = [(key, column(key)) for key in keys]
        series = [(key, xy) for key, xy in series if xy]
        if not series:
            continue
        fig, ax = plt.subplots(figsize=(5, 3), dpi=100)
        for key, (x, y) in series:
            ax.plot(x, y, marker="o" if len(x) < 30 else None, label=key)
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=7)
        fig.tight_layout()
        written.append(_save_figure(fig, os.path.join(directory, f"{name}.png")))
        plt.close(fig)
    return written


def _save_figure(fig, path):
    with atomic_path(path) as temporary:
        fig.savefig(temporary)
    return os.fspath(path)
