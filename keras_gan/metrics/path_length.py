"""Perceptual path length (Karras et al. 2019, StyleGAN, Section 4.1): how
much the image changes, perceptually, for a small step along a latent path.

For latent pairs `(z0, z1)` and `t` (uniform in [0, 1] for `"full"` paths,
0 for their `"end"` points), the images at `t` and `t + epsilon` along the
path (spherical in Z, linear in W) are compared with a perceptual distance
`d`; each sample is `d / epsilon^2`, and PPL is their mean after dropping
those below the 1st and above the 99th percentile (as the StyleGAN code
does). Lower is a smoother latent space.

The perceptual distance is injectable (`distance(images_a, images_b) ->
(n,)`); the default, `lpips_vgg16()`, is LPIPS-style on Keras's ImageNet
VGG16: unit-normalized features of its five `block*_conv*` stages, squared
differences averaged over positions and summed over stages, with every
channel weighted 1 (the published LPIPS "lin" weights are not shipped
here; StyleGAN's code uses them), so values are comparable between runs of
this toolkit, not with published PPL tables.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int

LPIPS_LAYERS = ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3")


def lpips_vgg16(weights="imagenet", layers=LPIPS_LAYERS, max_size=256):
    """The LPIPS-style distance on VGG16 features (see the module docstring).

    Args:
        weights: `"imagenet"` (Keras cache or download), a local weights
            file, or None (random weights: tests only).
        layers: the VGG16 layers compared.
        max_size: larger images are area-downsampled to this size first (as
            StyleGAN's PPL does for 1024 px faces).

    Returns:
        `distance(images_a, images_b)`: float32 `(n,)` for two batches of
        images in [-1, 1].
    """
    from keras_gan.metrics.features import imagenet_application

    vgg = imagenet_application(keras.applications.VGG16, weights,
                               "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                               include_top=False, input_shape=(None, None, 3))
    features = keras.Model(vgg.input, [vgg.get_layer(name).output for name in layers],
                           name="lpips_vgg16")

    @tf.function(reduce_retracing=True)
    def stages(images):
        images = tf.cast(images, tf.float32)
        if images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        if images.shape[1] is not None and images.shape[1] > max_size:
            images = tf.image.resize(images, (max_size, max_size), "area")
        pixels = keras.applications.vgg16.preprocess_input((images + 1.0) * 127.5)
        return features(pixels, training=False)

    def distance(images_a, images_b):
        total = 0.0
        for a, b in zip(stages(images_a), stages(images_b)):
            a = a / (tf.norm(a, axis=-1, keepdims=True) + 1e-10)
            b = b / (tf.norm(b, axis=-1, keepdims=True) + 1e-10)
            total += tf.reduce_mean(tf.reduce_sum(tf.square(a - b), axis=-1), axis=[1, 2])
        return total.numpy()

    return distance


def slerp_batch(a, b, t):
    """Row-wise spherical interpolation of latents `a`, `b` `(n, d)` at
    `t` `(n,)`: the great circle through them, norms interpolated as by
    `exploration.slerp` (latents keep a typical norm)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = np.asarray(t, np.float64)[:, None]
    cosine = np.sum(a * b, 1, keepdims=True) / (
        np.linalg.norm(a, axis=1, keepdims=True) * np.linalg.norm(b, axis=1, keepdims=True))
    omega = np.arccos(np.clip(cosine, -1.0, 1.0))
    sine = np.sin(omega)
    parallel = sine < 1e-6
    safe = np.where(parallel, 1.0, sine)
    curved = (np.sin((1.0 - t) * omega) * a + np.sin(t * omega) * b) / safe
    return np.where(parallel, (1.0 - t) * a + t * b, curved)


def path_endpoints(rng, num_samples, latent_dim, sampling):
    """`(z0, z1, t)`: the latent pairs and path positions of one PPL draw."""
    z0 = rng.standard_normal((num_samples, latent_dim))
    z1 = rng.standard_normal((num_samples, latent_dim))
    t = rng.uniform(size=num_samples) if sampling == "full" else np.zeros(num_samples)
    return z0, z1, t


def perceptual_path_length(model, num_samples=10000, space="z", sampling="end", epsilon=1e-4,
                           distance=None, seed=0, batch_size=32, use_ema=True,
                           return_samples=False):
    """PPL of `model`'s generator (see the module docstring).

    Args:
        model: an unconditional keras-gan model; `space="w"` needs a
            style-based one (`StyleGAN`, `StyleGAN2`).
        num_samples: latent pairs (StyleGAN reports 100,000).
        space: `"z"` (spherical interpolation of latents) or `"w"` (linear
            interpolation of the mapped styles).
        sampling: `"end"` (t = 0, the paper's `ppl_*_end`) or `"full"`
            (t uniform in [0, 1]).
        epsilon: the step (1e-4 as in the paper).
        distance: `distance(images_a, images_b) -> (n,)`; default
            `lpips_vgg16()`.
        seed: seed of the latent draw.
        return_samples: also return the per-pair values `d / epsilon^2`.

    Returns:
        The mean of the per-pair values between their 1st and 99th
        percentiles (a float), or `(ppl, samples)`.
    """
    check_positive_int(num_samples=num_samples, batch_size=batch_size)
    if space not in ("z", "w"):
        raise ValueError(f"`space` must be 'z' or 'w'. Received: space={space!r}")
    if sampling not in ("end", "full"):
        raise ValueError(f"`sampling` must be 'end' or 'full'. Received: sampling={sampling!r}")
    if not epsilon > 0:
        raise ValueError(f"`epsilon` must be > 0. Received: epsilon={epsilon}")
    if getattr(model, "sampling_classes", None):
        raise ValueError(f"{type(model).__name__} is conditional; PPL here is for unconditional "
                         "generators.")
    if space == "w" and not hasattr(model, "synthesize"):
        raise ValueError(f"space='w' needs a style-based model (StyleGAN); "
                         f"{type(model).__name__} has no W space. Use space='z'.")
    distance = distance or lpips_vgg16()
    z0, z1, t = path_endpoints(np.random.default_rng(seed), int(num_samples), model.latent_dim,
                               sampling)
    samples = []
    for start in range(0, len(z0), batch_size):
        part = slice(start, start + batch_size)
        first, second = _path_images(model, z0[part], z1[part], t[part], epsilon, space,
                                     use_ema, batch_size)
        samples.append(np.asarray(distance(first, second), np.float64) / epsilon ** 2)
    samples = np.concatenate(samples)
    low, high = np.percentile(samples, [1, 99])
    kept = samples[(samples >= low) & (samples <= high)]
    value = float(np.mean(kept))
    return (value, samples) if return_samples else value


def _path_images(model, z0, z1, t, epsilon, space, use_ema, batch_size):
    if space == "z":
        pair = [slerp_batch(z0, z1, t), slerp_batch(z0, z1, t + epsilon)]
        return [model.generate(latents=z.astype(np.float32), batch_size=batch_size,
                               use_ema=use_ema) for z in pair]
    w0 = model.styles(z0.astype(np.float32), use_ema=use_ema).astype(np.float64)
    w1 = model.styles(z1.astype(np.float32), use_ema=use_ema).astype(np.float64)
    steps = t[:, None, None]
    pair = [w0 + steps * (w1 - w0), w0 + (steps + epsilon) * (w1 - w0)]
    return [model.synthesize(w.astype(np.float32), use_ema=use_ema, batch_size=batch_size)
            for w in pair]
