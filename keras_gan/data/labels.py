"""Label subsets for semi-supervised training."""

import numpy as np

from keras_gan._checks import check_positive_int

UNLABELLED = -1


def keep_labels(labels, per_class, seed=0):
    """Keeps `per_class` labels of each class and marks the rest unlabelled (-1).

    The kept examples are drawn at random (seeded), the same number from
    every class, as in the semi-supervised benchmarks of Salimans et al.
    2016 (e.g. 100 labels on MNIST: `per_class=10`).

    Args:
        labels: integer class ids `(n,)`.
        per_class: how many labels to keep per class.
        seed: seed of the choice.

    Returns:
        An int32 copy of `labels` with -1 everywhere but the kept examples.
    """
    check_positive_int(per_class=per_class)
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"`labels` must be integer class ids of shape (n,). Received "
                         f"{labels.dtype} {labels.shape}")
    rng = np.random.default_rng(seed)
    kept = np.full(labels.shape, UNLABELLED, np.int32)
    for value in np.unique(labels):
        members = np.flatnonzero(labels == value)
        if len(members) < per_class:
            raise ValueError(f"Class {value} has {len(members)} examples, fewer than "
                             f"per_class={per_class}.")
        chosen = rng.choice(members, per_class, replace=False)
        kept[chosen] = value
    return kept
