"""Multilayer perceptrons for low-dimensional data such as the 2D mixtures."""

import keras


def _check_hidden(hidden_units):
    hidden_units = tuple(hidden_units)
    if not hidden_units or any(int(u) != u or u < 1 for u in hidden_units):
        raise ValueError(
            "`hidden_units` must be a non-empty sequence of positive integers. "
            f"Received: hidden_units={hidden_units}"
        )
    return hidden_units


def mlp_generator(latent_dim=2, output_dim=2, hidden_units=(128, 128), activation="relu",
                  name="mlp_generator"):
    """An MLP generator with a linear output.

    Args:
        latent_dim: size of the latent vector.
        output_dim: size of a sample.
        hidden_units: widths of the hidden layers.
        activation: activation of the hidden layers.

    Returns:
        A `keras.Model` from `(batch, latent_dim)` to `(batch, output_dim)`.
        Parameter count: the sum of `(fan_in + 1) * fan_out` over its Dense layers.
    """
    hidden_units = _check_hidden(hidden_units)
    inputs = keras.Input((latent_dim,), name="latents")
    x = inputs
    for index, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation=activation, name=f"dense_{index}")(x)
    outputs = keras.layers.Dense(output_dim, dtype="float32", name="samples")(x)
    return keras.Model(inputs, outputs, name=name)


def mlp_discriminator(input_dim=2, hidden_units=(128, 128), activation="leaky_relu",
                      num_logits=1, name="mlp_discriminator"):
    """An MLP discriminator returning one logit per sample.

    Args:
        input_dim: size of a sample.
        hidden_units: widths of the hidden layers.
        activation: activation of the hidden layers.
        num_logits: output width (K for `SemiSupervisedGAN`'s K classes).

    Returns:
        A `keras.Model` from `(batch, input_dim)` to logits `(batch, num_logits)`.
    """
    hidden_units = _check_hidden(hidden_units)
    inputs = keras.Input((input_dim,), name="samples")
    x = inputs
    for index, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation=activation, name=f"dense_{index}")(x)
    outputs = keras.layers.Dense(int(num_logits), dtype="float32", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)
