"""Exploring a trained generator: interpolations in Z and W, style mixing grids,
projection of images onto the generator (GAN inversion) and latent arithmetic."""

import functools

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


# --- GAN inversion ---------------------------------------------------------------------

_PROJECTION_SPACES = ("z", "w")
_PROJECTION_LOSSES = ("pixel", "features")


def _ramped_learning_rate(base, t, rampdown=0.25, rampup=0.05):
    """StyleGAN2's projector schedule at progress `t` in [0, 1]: a linear
    ramp-up over the first 5%, a cosine ramp-down over the last 25%."""
    ramp = min(1.0, (1.0 - t) / rampdown)
    ramp = 0.5 - 0.5 * np.cos(ramp * np.pi)
    return base * ramp * min(1.0, t / rampup)


def _features_of(model, feature_model):
    if feature_model is not None:
        return feature_model
    import keras

    discriminator = getattr(model, "discriminator", None)
    names = [layer.name for layer in getattr(discriminator, "layers", [])]
    if "features" not in names:
        raise ValueError(
            "project(loss='features') needs features to compare: pass `feature_model=` (a "
            "keras.Model from images to features, e.g. a VGG or the judge of "
            "benchmarks/quality.py), or use a discriminator with a layer named 'features' "
            "(the DCGAN builder's).")
    return keras.Model(discriminator.inputs[0], discriminator.get_layer("features").output)


def noise_regularization(noise_maps):
    """StyleGAN2's projector penalty on noise maps that carry image content.

    For each map, at its size and at every 2x2 average-pooled size down to
    8x8, the squared mean autocorrelation with the map shifted by one pixel
    along each axis; summed over maps and sizes, one value per image. Zero
    in expectation for white noise, large for maps that encode structure.

    Args:
        noise_maps: a list of `(batch, h, w, 1)` tensors.

    Returns:
        `(batch,)` penalties.

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020, appendix D (projector.py, `reg_loss`).
    """
    import tensorflow as tf

    total = 0.0
    for noise in noise_maps:
        noise = tf.cast(noise, tf.float32)
        while True:
            for axis in (2, 1):
                correlation = tf.reduce_mean(noise * tf.roll(noise, 1, axis=axis), axis=[1, 2, 3])
                total += tf.square(correlation)
            if noise.shape[1] <= 8:
                break
            noise = tf.nn.avg_pool2d(noise, 2, 2, "VALID")
    return total


def _noise_layers(network):
    from keras_gan.layers import NoiseInjection

    return [layer for layer in network.layers if isinstance(layer, NoiseInjection)]


def _with_given_noise(network, count, rng):
    """A copy of `network` sharing all its weights, whose `NoiseInjection`
    layers add per-image noise maps held in new variables (`(count, h, w, 1)`,
    drawn from `rng`) instead of their random or fixed noise. Returns the copy
    and the variables, in layer order."""
    import keras
    import tensorflow as tf

    from keras_gan.layers import NoiseInjection

    variables = []

    class GivenNoise(keras.layers.Layer):
        def __init__(self, source, noise):
            super().__init__(name=f"{source.name}_given", dtype=source.dtype_policy)
            self.source, self.noise = source, noise

        def call(self, inputs):
            return self.source(inputs, noise=self.noise)

    def clone(layer):
        if not isinstance(layer, NoiseInjection):
            return layer  # shared, weights and all
        height, width = layer.input.shape[1:3]
        noise = tf.Variable(rng.standard_normal((count, height, width, 1)).astype(np.float32),
                            name=f"{layer.name}_projected")
        variables.append(noise)
        return GivenNoise(layer, noise)

    return keras.models.clone_model(network, clone_function=clone), variables


def project(model, images, steps=300, space="z", loss="pixel", labels=None,
            learning_rate=None, feature_model=None, seed=0, use_ema=True, batch_size=64,
            optimize_noise=None, noise_weight=1e5, verbose=0):
    """GAN inversion: the latents whose generated images are closest to `images`.

    Solves `z* = argmin_z L(G(z), x)` for each image by gradient descent
    (Zhu et al. 2016, eq. 1), with Adam and the learning-rate schedule of
    StyleGAN2's projector (linear ramp-up over 5% of the steps, cosine
    ramp-down over the last 25%). `space="w"` optimizes one style vector per
    image, used at every layer (StyleGAN2's projector: it starts at the
    generator's `w_average`, with Gaussian noise on w of `0.05 * std(w)`
    decaying to 0 at 75% of the steps, learning rate 0.1). In Z the latents
    start from a seeded standard normal draw (learning rate 0.05). Each image
    has its own latent; the images of a batch do not interact (Adam is
    per-coordinate). In W, as StyleGAN2's projector, the per-pixel noise maps
    of the synthesis network's `NoiseInjection` layers are optimized too
    (one set per image, starting from a seeded standard normal draw, kept at
    zero mean and unit variance after every step, with
    `noise_weight * noise_regularization(maps)` added to the loss), so the
    result is deterministic even for generators with random noise.

    Args:
        model: a trained noise-to-image model (`GAN` family, `VAE`).
        images: `(n, h, w, c)` in [-1, 1].
        steps: optimization steps.
        space: `"z"` or `"w"` (style-based models).
        loss: `"pixel"` (mean squared error) or `"features"` (mean squared
            error of `feature_model`'s features; default the discriminator's
            layer named `"features"`).
        labels: class ids `(n,)` for conditional models.
        learning_rate: the peak learning rate (0.05 in Z, 0.1 in W).
        feature_model: a `keras.Model` from images to features.
        seed: seed of the initial latents (Z) and of the noise on w (W).
        use_ema: project onto the averaged generator when there is one.
        batch_size: images optimized together.
        optimize_noise: optimize the noise maps as well (W only; default:
            in W when the synthesis network has noise inputs). False keeps
            the network's own noise (fixed maps, or random ones at each call).
        noise_weight: weight of `noise_regularization` against the mean
            squared distance (1e5, the projector's `regularize_noise_weight`:
            it keeps the maps white while large ones still fit details; with
            maps of 8x8 pixels or fewer it all but freezes them, so lower it
            for small generators).
        verbose: 1 prints the loss every 10% of the steps.

    Returns:
        A dict: `latents` (`(n, latent_dim)`, or `(n, w_dim)` for W),
        `images` (the generated images at the latents) and `errors` (the
        per-image pixel mean squared error of `images` against the inputs);
        with optimized noise also `noise`, the maps `(n, h, w, 1)` of each
        noise layer by layer name (`images` are rendered with them).

    Reference:
        Zhu et al., "Generative Visual Manipulation on the Natural Image
        Manifold", ECCV 2016. https://arxiv.org/abs/1609.03552
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020, appendix D (projector.py).
    """
    import keras
    import tensorflow as tf

    check_positive_int(steps=steps, batch_size=batch_size)
    if space not in _PROJECTION_SPACES:
        raise ValueError(f"`space` must be 'z' or 'w'. Received: space={space!r}")
    if loss not in _PROJECTION_LOSSES:
        raise ValueError(f"`loss` must be 'pixel' or 'features'. Received: loss={loss!r}")
    if space == "w" and not hasattr(model, "style_networks"):
        raise ValueError(f"{type(model).__name__} has no W space; use space='z' (W needs a "
                         "StyleGAN/StyleGAN2 model).")
    if optimize_noise and space != "w":
        raise ValueError("optimize_noise=True needs space='w' (the noise maps are inputs of "
                         "a style-based synthesis network).")
    if not float(noise_weight) >= 0:
        raise ValueError(f"`noise_weight` must be >= 0. Received: noise_weight={noise_weight!r}")
    images = np.asarray(images, np.float32)
    sample_shape = tuple(model.generate(1, seed=0, labels=None if labels is None else
                                        np.asarray(labels)[:1], use_ema=use_ema).shape[1:])
    if images.ndim != 4 or images.shape[1:] != sample_shape:
        raise ValueError(f"`images` must have shape (n, {', '.join(map(str, sample_shape))}), "
                         f"the generator's. Received: {images.shape}")
    if labels is not None:
        labels = np.asarray(labels)
        if len(labels) != len(images):
            raise ValueError(f"project() got {len(labels)} labels for {len(images)} images.")
    extractor = _features_of(model, feature_model) if loss == "features" else None
    rng = np.random.default_rng(seed)
    if space == "w":
        mapping, synthesis = model.style_networks(use_ema)
        w_samples = mapping(rng.standard_normal((10000, model.latent_dim)).astype(np.float32))
        w_average = np.asarray(model.w_average, np.float32)
        w_std = float(np.sqrt(np.sum((np.asarray(w_samples) - w_average) ** 2) / 10000))
        num_ws = model.num_ws
        noise_names = [layer.name for layer in _noise_layers(synthesis)]
        if optimize_noise is None:
            optimize_noise = bool(noise_names)
        elif optimize_noise and not noise_names:
            raise ValueError("optimize_noise=True, but the synthesis network has no "
                             "NoiseInjection layers.")

        def render(w, label_batch, network=synthesis):
            return network(w[:, None] + tf.zeros((1, num_ws, 1), w.dtype), training=False)
    else:
        network = model.sampling_network(use_ema)

        def render(z, label_batch):
            return model.generate_images(z, label_batch, training=False, generator=network)
    peak = learning_rate or (0.1 if space == "w" else 0.05)

    def distance(generated, target):
        generated = tf.cast(generated, tf.float32)
        if extractor is None:
            return tf.reduce_mean(tf.square(generated - target), axis=[1, 2, 3])
        a = tf.reshape(tf.cast(extractor(generated, training=False), tf.float32),
                       [tf.shape(target)[0], -1])
        b = tf.reshape(tf.cast(extractor(target, training=False), tf.float32),
                       [tf.shape(target)[0], -1])
        return tf.reduce_mean(tf.square(a - b), axis=1)

    latents, reconstructions, noise_maps = [], [], []
    for start in range(0, len(images), batch_size):
        target = tf.constant(images[start:start + batch_size])
        count = int(target.shape[0])
        label_batch = None if labels is None else tf.constant(labels[start:start + batch_size])
        if space == "w":
            variable = tf.Variable(np.repeat(w_average[None], count, axis=0))
        else:
            variable = tf.Variable(rng.standard_normal((count, model.latent_dim))
                                   .astype(np.float32))
        noises, draw = [], render
        if space == "w" and optimize_noise:
            network, noises = _with_given_noise(synthesis, count, rng)
            draw = functools.partial(render, network=network)
        optimizer = keras.optimizers.Adam(peak, beta_1=0.9, beta_2=0.999)
        trained = [variable, *noises]

        @tf.function
        def update(noise_scale, step_noise):
            with tf.GradientTape() as tape:
                perturbed = variable + noise_scale * step_noise
                value = tf.reduce_sum(distance(draw(perturbed, label_batch), target))
                if noises:
                    value += noise_weight * tf.reduce_sum(noise_regularization(noises))
            optimizer.apply(tape.gradient(value, trained), trained)
            for noise in noises:  # the projector keeps each map white: mean 0, variance 1
                centred = noise - tf.reduce_mean(noise, axis=[1, 2, 3], keepdims=True)
                noise.assign(centred * tf.math.rsqrt(
                    tf.reduce_mean(tf.square(centred), axis=[1, 2, 3], keepdims=True)))
            return value / count

        for step in range(steps):
            t = step / steps
            optimizer.learning_rate.assign(_ramped_learning_rate(peak, t))
            noise_scale = (w_std * 0.05 * max(0.0, 1.0 - t / 0.75) ** 2) if space == "w" else 0.0
            step_noise = rng.standard_normal(variable.shape).astype(np.float32)
            value = update(tf.constant(noise_scale, tf.float32), tf.constant(step_noise))
            if verbose and (step % max(1, steps // 10) == 0 or step == steps - 1):
                print(f"project: images {start}-{start + count - 1}, step {step + 1}/{steps}, "
                      f"loss {float(value):.5f}")
        latents.append(variable.numpy())
        reconstructions.append(np.asarray(tf.cast(draw(tf.constant(variable.numpy()),
                                                       label_batch), tf.float32)))
        noise_maps.append([noise.numpy() for noise in noises])
    result_images = np.concatenate(reconstructions)
    result = {"latents": np.concatenate(latents), "images": result_images,
              "errors": np.mean((result_images - images) ** 2, axis=(1, 2, 3))}
    if space == "w" and optimize_noise:
        result["noise"] = {name: np.concatenate([maps[i] for maps in noise_maps])
                           for i, name in enumerate(noise_names)}
    return result


# --- latent arithmetic ------------------------------------------------------------------


def _group_latents(model, group, name):
    group = np.asarray(group)
    if group.ndim == 1:  # seeds
        return _seed_latents(model, group)
    if group.ndim != 2 or group.shape[1] != model.latent_dim or len(group) < 1:
        raise ValueError(f"`{name}` must be latent seeds or latents of shape (n, "
                         f"{model.latent_dim}). Received shape {group.shape}.")
    return group.astype(np.float32)


def latent_arithmetic(model, positive, negative, base, perturbations=8, scale=0.25, seed=0,
                      use_ema=True):
    """Vector arithmetic on latents: `mean(positive) - mean(negative) + mean(base)`.

    The classic figure of Radford et al. (2016, section 6.3 and fig. 7):
    "smiling woman" - "neutral woman" + "neutral man" = "smiling man". Each
    group's latents are averaged (single samples are unstable, the paper
    notes), combined, and the result is decoded with small perturbations
    (`scale` times standard normal noise, as the paper's uniform noise of
    +-0.25 around the vector).

    Args:
        model: a trained noise-to-image model (unconditional).
        positive, negative, base: each a list of latent seeds or an array of
            latents `(n, latent_dim)` (e.g. from `project`).
        perturbations: decoded perturbations of the result (the first one is
            the unperturbed vector).
        scale: the perturbations' standard deviation.

    Returns:
        `(4, columns, h, w, c)` images: rows 0-2 show `positive`, `negative`
        and `base` (members, then their mean's image in the last column;
        shorter rows padded with -1), row 3 the result and its perturbations.
    """
    check_positive_int(perturbations=perturbations)
    groups = [_group_latents(model, g, n) for g, n in
              ((positive, "positive"), (negative, "negative"), (base, "base"))]
    means = [g.mean(axis=0) for g in groups]
    vector = means[0] - means[1] + means[2]
    noise = np.random.default_rng(seed).standard_normal((perturbations, model.latent_dim))
    noise[0] = 0.0
    results = (vector[None] + scale * noise).astype(np.float32)
    columns = max(max(len(g) for g in groups) + 1, perturbations)
    decoded = [model.generate(latents=np.concatenate([g, m[None]]).astype(np.float32),
                              use_ema=use_ema) for g, m in zip(groups, means)]
    decoded_result = model.generate(latents=results, use_ema=use_ema)
    grid = np.full((4, columns, *decoded_result.shape[1:]), -1.0, np.float32)
    for row, images in enumerate(decoded):
        grid[row, :len(images) - 1] = images[:-1]
        grid[row, columns - 1] = images[-1]
    grid[3, :perturbations] = decoded_result
    return grid
