"""Exploring a trained generator: interpolations in Z and W, and style mixing grids."""

import numpy as np

from keras_gan._checks import check_positive_int


def slerp(a, b, t):
    """Spherical interpolation between latent vectors `a` and `b` at `t`
    in [0, 1] (White 2016, "Sampling Generative Networks"); keeps Gaussian
    latents at a typical norm. Falls back to linear interpolation for
    (anti-)parallel vectors."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    cosine = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12)
    omega = np.arccos(np.clip(cosine, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return (1.0 - t) * a + t * b
    return (np.sin((1.0 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def _seed_latents(model, seeds):
    return np.concatenate([np.asarray(model.sample_latents(1, seed=int(s))) for s in seeds])


def interpolate(model, seeds, steps=8, space="z", psi=1.0, use_ema=True):
    """Images along paths between the latents of consecutive `seeds`.

    Args:
        model: a trained keras-gan model (an unconditional generator).
        seeds: two or more latent seeds; row `i` goes from `seeds[i]` to
            `seeds[i + 1]`.
        steps: images per row (both ends included).
        space: `"z"` (spherical interpolation of the latents) or `"w"`
            (linear interpolation of the mapped styles; style-based models).
        psi: truncation in W (style-based models).

    Returns:
        `(len(seeds) - 1, steps, h, w, c)` images.
    """
    check_positive_int(steps=steps)
    seeds = list(seeds)
    if len(seeds) < 2 or steps < 2:
        raise ValueError(f"interpolate needs at least 2 seeds and 2 steps. Received: "
                         f"seeds={seeds}, steps={steps}")
    if space not in ("z", "w"):
        raise ValueError(f"`space` must be 'z' or 'w'. Received: space={space!r}")
    style_based = hasattr(model, "styles")
    if (space == "w" or psi != 1.0) and not style_based:
        raise ValueError(f"{type(model).__name__} has no W space; use space='z' and psi=1 "
                         "(W needs a StyleGAN/StyleGAN2 model).")
    t = np.linspace(0.0, 1.0, steps)
    latents = _seed_latents(model, seeds)
    rows = []
    for start, end in zip(latents[:-1], latents[1:]):
        if space == "z":
            path = np.stack([slerp(start, end, x) for x in t]).astype(np.float32)
            images = (model.generate(latents=path, psi=psi, use_ema=use_ema) if style_based
                      else model.generate(latents=path, use_ema=use_ema))
        else:
            ends = model.styles(np.stack([start, end]), psi=psi, use_ema=use_ema)
            path = (1 - t)[:, None, None] * ends[0] + t[:, None, None] * ends[1]
            images = model.synthesize(path.astype(np.float32), use_ema=use_ema)
        rows.append(images)
    return np.stack(rows)


def style_mixing_grid(model, row_seeds, column_seeds, layers, psi=1.0, use_ema=True):
    """The style-mixing figure of StyleGAN as one image array.

    The first row shows the column sources, the first column the row
    sources; cell `(i, j)` is row `i`'s image with the styles at `layers`
    taken from column `j` (coarse layers 0-3 carry pose and shape, fine
    ones colour and texture). The top-left cell is blank (-1, black).

    Returns:
        `(len(row_seeds) + 1, len(column_seeds) + 1, h, w, c)` images.
    """
    if not hasattr(model, "style_mix"):
        raise ValueError(f"{type(model).__name__} is not style-based; style mixing needs a "
                         "StyleGAN/StyleGAN2 model.")
    rows, columns = _seed_latents(model, row_seeds), _seed_latents(model, column_seeds)
    mixes = model.style_mix(rows, columns, layers, psi=psi, use_ema=use_ema)
    row_images = model.generate(latents=rows, psi=psi, use_ema=use_ema)
    column_images = model.generate(latents=columns, psi=psi, use_ema=use_ema)
    grid = np.full((len(rows) + 1, len(columns) + 1, *mixes.shape[2:]), -1.0, np.float32)
    grid[0, 1:] = column_images
    grid[1:, 0] = row_images
    grid[1:, 1:] = mixes
    return grid
