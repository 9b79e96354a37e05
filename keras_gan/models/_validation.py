"""Checks of networks and training data that the engine runs before training."""

import keras
import numpy as np


def validate_networks(model):
    """Checks G and D on symbolic inputs through the same hooks training uses."""
    latents = keras.KerasTensor((2, model.latent_dim))
    labels = model.labels_spec(2)
    d_inputs = getattr(model.discriminator, "inputs", None)
    if labels is None and getattr(model.generator, "inputs", None) and len(model.generator.inputs) > 1:
        raise ValueError(
            f"The generator takes {len(model.generator.inputs)} inputs (a conditional network?) "
            f"but {type(model).__name__} feeds it latents only. Use a conditional model, or "
            "build the generator without `num_classes`.")
    try:
        fake = model.generate_images(latents, labels)
    except Exception as error:
        raise ValueError(
            f"The generator cannot be called on latents of shape "
            f"(batch, {model.latent_dim}). Check `latent_dim` against the "
            f"generator's input layer. Underlying error: {error}"
        ) from error
    fake = keras.tree.flatten(fake)[0]
    if d_inputs:
        expected = tuple(d_inputs[0].shape[1:])
        if not shapes_compatible(expected, fake.shape[1:]):
            raise ValueError(
                f"The generator produces samples of shape {tuple(fake.shape[1:])} "
                f"but the discriminator expects {expected}. Build both for the "
                "same resolution and channel count."
            )
    try:
        logits = model.discriminate(fake, labels)
    except Exception as error:
        raise ValueError(
            f"The discriminator cannot be called on generated samples of shape "
            f"{tuple(fake.shape[1:])}. Build both networks for the same "
            f"sample shape. Underlying error: {error}"
        ) from error
    logits = keras.tree.flatten(logits)[0]
    if len(logits.shape) == 0 or logits.shape[0] != 2:
        raise ValueError(
            "The discriminator must return one logit (or one map of logits) "
            f"per sample, with the batch axis first: for a batch of 2 it "
            f"returned shape {tuple(logits.shape)}. Do not reduce over the batch "
            "inside the discriminator, and return raw logits (no sigmoid)."
        )
    return tuple(fake.shape[1:])


def shapes_compatible(a, b):
    a, b = tuple(a), tuple(b)
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def check_array_range(x):
    """Catches unscaled images passed as NumPy arrays before training starts."""
    if isinstance(x, (tuple, list)) and x:
        x = x[0]
    if not isinstance(x, np.ndarray) or x.size == 0 or x.ndim < 3:
        return  # only image batches are held to [-1, 1]
    if np.issubdtype(x.dtype, np.integer):
        return  # the dtype check inside the step gives the clear error
    low, high = float(np.min(x)), float(np.max(x))
    if low < -1.0 - 1e-3 or high > 1.0 + 1e-3:
        raise ValueError(
            f"Training images must be scaled to [-1, 1]; received values in "
            f"[{low:g}, {high:g}]. For 8-bit images use `x / 127.5 - 1`."
        )
