"""Does the generator copy its training images? Nearest training neighbours
of generated samples, in pixels or in a feature space."""

import numpy as np


def _flat(x):
    x = np.asarray(x, np.float64)
    return x.reshape(len(x), -1)


def nearest_neighbours(queries, references, k=1, exclude_self=False, batch_size=512):
    """The `k` nearest `references` of each query in Euclidean distance.

    Args:
        queries: `(n, ...)` samples (flattened per sample).
        references: `(m, ...)` samples of the same size.
        k: neighbours per query.
        exclude_self: queries are `references` themselves; skip each one's
            own row (leave-one-out neighbours).
        batch_size: queries per distance block.

    Returns:
        `(distances, indices)`, both `(n, k)`, nearest first.
    """
    queries, references = _flat(queries), _flat(references)
    if queries.shape[1] != references.shape[1]:
        raise ValueError(f"Queries have {queries.shape[1]} values per sample, references "
                         f"{references.shape[1]}; pass samples of one shape.")
    limit = len(references) - (1 if exclude_self else 0)
    if not 1 <= k <= limit:
        raise ValueError(f"`k` must be in [1, {limit}] for {len(references)} references. "
                         f"Received: k={k}")
    squared_refs = np.sum(references ** 2, axis=1)
    distances, indices = [], []
    for start in range(0, len(queries), batch_size):
        block = queries[start:start + batch_size]
        squared = (np.sum(block ** 2, axis=1)[:, None] + squared_refs[None]
                   - 2.0 * block @ references.T)
        squared = np.maximum(squared, 0.0)
        if exclude_self:
            rows = np.arange(len(block))
            squared[rows, start + rows] = np.inf
        nearest = np.argpartition(squared, k - 1, axis=1)[:, :k]
        order = np.argsort(np.take_along_axis(squared, nearest, axis=1), axis=1)
        nearest = np.take_along_axis(nearest, order, axis=1)
        indices.append(nearest)
        distances.append(np.sqrt(np.take_along_axis(squared, nearest, axis=1)))
    return np.concatenate(distances), np.concatenate(indices)


def memorization(generated, training, close_quantile=0.05):
    """Nearest-training-neighbour statistics of generated samples.

    A generated sample's distance to its nearest training image is compared
    with how far training images lie from each other (each one's nearest
    *other* training image, leave-one-out): a generator that copies its
    data sits much closer to it than the data's own spacing.

    Args:
        generated: `(n, ...)` samples (images, or features of images).
        training: `(m, ...)` training samples of the same size (m >= 2).
        close_quantile: the quantile of the training spacing below which a
            generated sample counts as a near copy.

    Returns:
        A dict: `nn_distance` (mean nearest-training distance of the
        samples), `nn_training_spacing` (the mean leave-one-out distance
        among training samples), `nn_ratio` (their ratio: about 1 or more
        for new samples, well below 1 for copies) and `nn_close_fraction`
        (the share of samples nearer to a training sample than
        `close_quantile` of training samples are to each other).
    """
    if not 0.0 < close_quantile < 1.0:
        raise ValueError(f"`close_quantile` must be in (0, 1). Received: {close_quantile!r}")
    fake, _ = nearest_neighbours(generated, training, k=1)
    spacing, _ = nearest_neighbours(training, training, k=1, exclude_self=True)
    fake, spacing = fake[:, 0], spacing[:, 0]
    threshold = np.quantile(spacing, close_quantile)
    return {"nn_distance": float(np.mean(fake)),
            "nn_training_spacing": float(np.mean(spacing)),
            "nn_ratio": float(np.mean(fake) / max(np.mean(spacing), 1e-12)),
            "nn_close_fraction": float(np.mean(fake < threshold))}


def nearest_neighbour_grid(generated, training, k=5, features=None):
    """Rows of `[sample, its k nearest training images]` (nearest first) for
    a memorization figure; neighbours found in `features` (pairs of arrays
    `(generated_features, training_features)`) when given, else in pixels.

    Returns:
        `(n, k + 1, ...)` images.
    """
    query, reference = (generated, training) if features is None else features
    _, indices = nearest_neighbours(query, reference, k=k)
    training = np.asarray(training)
    return np.concatenate([np.asarray(generated)[:, None], training[indices]], axis=1)
