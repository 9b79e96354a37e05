"""Differentiable augmentation of every image the discriminator sees.

Two policies, switched on with `compile(augment=...)` on any model of the
`GAN` family (conditional, ACGAN, InfoGAN, StyleGAN, ... included):

- `DiffAugment` (Zhao et al. 2020): colour, translation and cutout applied
  to every real and fake batch, always (`augment="color,translation,cutout"`).
- `AdaptiveAugment` (ADA, Karras et al. 2020): each transform applied to
  each image with probability `p`, and `p` steered by the overfitting
  heuristic `r_t = E[sign(D(real))]` towards `target` (`augment="ada"`).

The engine augments the real and the fake batch separately before each
discriminator call, in the discriminator's and in the generator's update,
and inside penalties (the critic a penalty differentiates is
`D(augment(x))`, so R1 and the gradient penalty take their gradient with
respect to the un-augmented images, as StyleGAN2-ADA does). Every transform
is differentiable in the images, so the generator learns through it. The
random parameters are drawn per image from the training step's random
streams (global batch, sliced per replica), so one and N replicas augment
identically and a resumed run draws what the uninterrupted run would have.

Images are float NHWC in [-1, 1] (the engine's convention).

References:
    Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
    Training", NeurIPS 2020. https://arxiv.org/abs/2006.10738
    Karras et al., "Training Generative Adversarial Networks with Limited
    Data", NeurIPS 2020. https://arxiv.org/abs/2006.06676
"""

import abc
import math

import keras
import tensorflow as tf

__all__ = ["Augment", "DiffAugment", "AdaptiveAugment", "get", "translate", "cutout"]


class Augment(abc.ABC):
    """Base class of a discriminator augmentation.

    Subclasses implement `__call__(images, noise, p)`: `noise(kind,
    sample_shape)` returns per-image random numbers `(batch, *sample_shape)`
    (`kind` "uniform" in [0, 1) or "normal"); `p` is the current
    augmentation probability (a scalar tensor; 1 for DiffAugment).
    """

    #: True when the probability is steered during training (ADA).
    adaptive = False

    @abc.abstractmethod
    def __call__(self, images, noise, p):
        """The augmented images (same shape and dtype)."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and self.get_config() == other.get_config()


def _policy(text, allowed, what):
    names = [part.strip() for part in str(text).split(",") if part.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names or len(set(names)) != len(names):
        raise ValueError(
            f"{what}: {text!r} is not a comma-separated list of distinct transforms from "
            f"{', '.join(allowed)}.")
    return ",".join(names)


@keras.saving.register_keras_serializable(package="keras_gan")
class DiffAugment(Augment):
    """DiffAugment (Zhao et al. 2020), as the authors' `DiffAugment_tf.py`.

    Args:
        policy: comma-separated transforms, applied in this order to every
            image: `"color"` (brightness `+U(-0.5, 0.5)`, saturation
            `x U(0, 2)` around the pixel's channel mean, contrast
            `x U(0.5, 1.5)` around the image mean), `"translation"` (integer
            shifts up to `translation_ratio` of each side, zero padding),
            `"cutout"` (a zeroed square of `cutout_ratio` of each side at a
            uniform position).
        translation_ratio, cutout_ratio: the paper's 1/8 and 1/2.
    """

    TRANSFORMS = ("color", "translation", "cutout")

    def __init__(self, policy="color,translation,cutout", translation_ratio=0.125,
                 cutout_ratio=0.5):
        self.policy = _policy(policy, self.TRANSFORMS, "DiffAugment policy")
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        if not 0.0 <= self.translation_ratio < 0.5 or not 0.0 < self.cutout_ratio <= 1.0:
            raise ValueError("DiffAugment needs 0 <= translation_ratio < 0.5 and "
                             f"0 < cutout_ratio <= 1. Received {translation_ratio!r}, "
                             f"{cutout_ratio!r}.")

    def __call__(self, images, noise, p=None):
        x = tf.cast(images, tf.float32)
        for name in self.policy.split(","):
            if name == "color":
                u = noise("uniform", (3,))
                brightness = u[:, 0:1, None, None] - 0.5
                x = x + brightness
                mean = tf.reduce_mean(x, axis=3, keepdims=True)
                x = (x - mean) * (u[:, 1:2, None, None] * 2.0) + mean
                mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
                x = (x - mean) * (u[:, 2:3, None, None] + 0.5) + mean
            elif name == "translation":
                x = translate(x, _shifts(x, noise, self.translation_ratio), mode="zeros")
            else:
                x = cutout(x, noise("uniform", (2,)), self.cutout_ratio)
        return tf.cast(x, images.dtype)

    def get_config(self):
        return {"policy": self.policy, "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio}


@keras.saving.register_keras_serializable(package="keras_gan")
class AdaptiveAugment(Augment):
    """ADA (Karras et al. 2020): each transform with probability `p`, and `p`
    adapted so that `r_t = E[sign(D(real))]` stays near `target`.

    Every `interval` discriminator updates the engine sets
    `p += sign(r_t - target) * (global batch * interval) / (kimg * 1000)`,
    clipped to [0, 1], with `r_t` the mean sign of the real logits over
    those updates and every replica (the published rule: `p` can go from 0 to
    1 in `kimg` thousand real images). `p` and its running sums are saved
    with the model, so a resumed run continues from the same `p` (the
    reference implementation restarts it from 0). Logged as `augment_p`.

    Transforms, in the pipeline's order (each applied to each image with
    probability `p`, independently):

    - `"xflip"`: horizontal flip;
    - `"rotate90"`: rotation by 0, 90, 180 or 270 degrees (square images);
    - `"translation"`: integer shift of up to 1/8 of each side, reflected
      at the borders;
    - `"color"`: brightness `+N(0, 0.2)`, contrast `x lognormal(0, 0.5 ln 2)`
      and, for RGB, saturation `x lognormal(0, ln 2)`, each with probability p;
    - `"cutout"`: a zeroed square of half each side, uniform centre.

    The paper's geometric and colour pipeline also has arbitrary rotations,
    anisotropic scaling, hue rotation, luma flip, image-space filtering and
    noise; these integer and colour transforms are the subset "bgc" without
    resampling filters, which the paper finds carries most of the benefit.

    Args:
        target: the `r_t` target (the paper's 0.6).
        kimg: thousands of real images for `p` to rise from 0 to 1 (the
            paper's 500; short runs want less, e.g. 100).
        interval: discriminator updates between adjustments (the paper's 4).
        transforms: comma-separated subset of the transforms above.
        initial_p: `p` at the start of training.
        fixed_p: a constant `p` instead of adapting (the paper's "fixed
            augmentation" ablation); None adapts.
    """

    TRANSFORMS = ("xflip", "rotate90", "translation", "color", "cutout")
    adaptive = True

    def __init__(self, target=0.6, kimg=500, interval=4,
                 transforms="xflip,rotate90,translation,color,cutout", initial_p=0.0,
                 fixed_p=None):
        self.target = float(target)
        self.kimg = float(kimg)
        self.interval = int(interval)
        self.transforms = _policy(transforms, self.TRANSFORMS, "AdaptiveAugment transforms")
        self.initial_p = float(initial_p)
        self.fixed_p = None if fixed_p is None else float(fixed_p)
        if not (0.0 < self.target < 1.0 and self.kimg > 0 and self.interval >= 1
                and 0.0 <= self.initial_p <= 1.0
                and (self.fixed_p is None or 0.0 <= self.fixed_p <= 1.0)):
            raise ValueError(
                "AdaptiveAugment needs 0 < target < 1, kimg > 0, interval >= 1 and "
                f"probabilities in [0, 1]. Received {self.get_config()}.")
        if self.fixed_p is not None:
            self.adaptive = False

    def __call__(self, images, noise, p):
        x = tf.cast(images, tf.float32)
        p = tf.cast(p, tf.float32)

        def chosen(count=1):  # (batch, count) booleans: which images get a transform
            return noise("uniform", (count,)) < p

        names = self.transforms.split(",")
        if "rotate90" in names and x.shape[1] != x.shape[2]:
            raise ValueError(
                f"AdaptiveAugment: 'rotate90' needs square images; these are "
                f"{x.shape[1]}x{x.shape[2]}. Pass transforms= without rotate90.")
        for name in names:
            if name == "xflip":
                x = tf.where(chosen()[:, :, None, None], tf.reverse(x, axis=[2]), x)
            elif name == "rotate90":
                k = tf.cast(tf.floor(noise("uniform", (1,)) * 4.0), tf.int32)
                k = tf.where(chosen(), k, 0)[:, :, None, None]
                rotated = [x, *_rotations(x)]
                x = tf.add_n([tf.where(tf.equal(k, i), r, tf.zeros_like(r))
                              for i, r in enumerate(rotated)])
            elif name == "translation":
                shifts = _shifts(x, noise, 0.125) * tf.cast(chosen(), tf.int32)
                x = translate(x, shifts, mode="reflect")
            elif name == "color":
                apply = tf.cast(chosen(3), tf.float32)[:, :, None, None]
                g = noise("normal", (3,))[:, :, None, None]
                x = x + apply[:, 0:1] * g[:, 0:1] * 0.2
                mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
                x = (x - mean) * tf.exp(apply[:, 1:2] * g[:, 1:2] * (0.5 * math.log(2.0))) + mean
                if x.shape[-1] == 3:
                    mean = tf.reduce_mean(x, axis=3, keepdims=True)
                    x = (x - mean) * tf.exp(apply[:, 2:3] * g[:, 2:3] * math.log(2.0)) + mean
            else:
                centres = noise("uniform", (2,))
                x = cutout(x, centres, 0.5, mask=chosen(), centred=True)
        return tf.cast(x, images.dtype)

    def get_config(self):
        return {"target": self.target, "kimg": self.kimg, "interval": self.interval,
                "transforms": self.transforms, "initial_p": self.initial_p,
                "fixed_p": self.fixed_p}


def _rotations(x):
    """`x` rotated by 90, 180 and 270 degrees counter-clockwise (as
    `np.rot90(x, k, axes=(1, 2))`), without `tf.image.rot90`'s assertions."""
    turned = tf.transpose(x, [0, 2, 1, 3])
    return [tf.reverse(turned, axis=[1]), tf.reverse(x, axis=[1, 2]),
            tf.reverse(turned, axis=[2])]


def _shifts(x, noise, ratio):
    """Integer `(dy, dx)` per image, uniform in `[-round(side * ratio), +...]`."""
    limits = tf.constant([int(x.shape[1] * ratio + 0.5), int(x.shape[2] * ratio + 0.5)],
                         tf.float32)
    u = noise("uniform", (2,))
    return tf.cast(tf.floor(u * (2.0 * limits + 1.0)), tf.int32) - tf.cast(limits, tf.int32)


def translate(images, shifts, mode="zeros"):
    """Shifts each image by integer `shifts` `(batch, 2)` = `(dy, dx)` pixels:
    `out[i, j] = images[i - dy, j - dx]`, filled with zeros or reflected
    (`mode="reflect"`, edge pixel not repeated) outside. A gather, so the
    gradient flows to the pixels that were moved."""
    height, width = images.shape[1], images.shape[2]
    rows = tf.range(height)[None, :] - shifts[:, 0:1]
    cols = tf.range(width)[None, :] - shifts[:, 1:2]
    if mode == "reflect":
        rows, cols = _reflect(rows, height), _reflect(cols, width)
        valid = None
    elif mode == "zeros":
        valid = (tf.cast((rows >= 0) & (rows < height), images.dtype)[:, :, None, None]
                 * tf.cast((cols >= 0) & (cols < width), images.dtype)[:, None, :, None])
        rows, cols = tf.clip_by_value(rows, 0, height - 1), tf.clip_by_value(cols, 0, width - 1)
    else:
        raise ValueError(f"translate mode must be 'zeros' or 'reflect'. Received {mode!r}.")
    out = tf.gather(images, rows, axis=1, batch_dims=1)
    out = tf.gather(out, cols, axis=2, batch_dims=1)
    return out if valid is None else out * valid


def _reflect(index, size):
    if size == 1:
        return tf.zeros_like(index)
    period = 2 * (size - 1)
    index = tf.math.floormod(index, period)
    return tf.where(index >= size, period - index, index)


def cutout(images, positions, ratio, mask=None, centred=False):
    """Zeroes a square of `ratio` of each side in each image.

    `positions` `(batch, 2)` in [0, 1) places it: as the authors' DiffAugment
    code (`offset = floor(u * (side + 1 - size % 2))`, square from
    `offset - size // 2`) or, with `centred=True`, with its centre at
    `u * side` (ADA). `mask` `(batch, 1)` booleans limits it to some images.
    """
    height, width = images.shape[1], images.shape[2]
    sizes = [int(height * ratio + 0.5), int(width * ratio + 0.5)]
    starts = []
    for axis, (side, size) in enumerate(zip((height, width), sizes)):
        u = positions[:, axis:axis + 1]
        if centred:
            start = tf.cast(tf.floor(u * side - size / 2.0 + 0.5), tf.int32)
        else:
            start = tf.cast(tf.floor(u * (side + 1 - size % 2)), tf.int32) - size // 2
        starts.append(start)
    rows = tf.range(height)[None, :]
    cols = tf.range(width)[None, :]
    inside_r = (rows >= starts[0]) & (rows < starts[0] + sizes[0])
    inside_c = (cols >= starts[1]) & (cols < starts[1] + sizes[1])
    hole = inside_r[:, :, None, None] & inside_c[:, None, :, None]
    if mask is not None:
        hole = hole & mask[:, :, None, None]
    return images * (1.0 - tf.cast(hole, images.dtype))


def get(identifier):
    """An `Augment` from `None`/`False` (none), a DiffAugment policy string
    (`"color,translation,cutout"`), `"ada"` (ADA's defaults), a serialized
    config or an `Augment`."""
    if identifier is None or identifier is False:
        return None
    if isinstance(identifier, Augment):
        return identifier
    if isinstance(identifier, dict):
        return keras.saving.deserialize_keras_object(identifier)
    if isinstance(identifier, str):
        if identifier.strip().lower() == "ada":
            return AdaptiveAugment()
        return DiffAugment(identifier)
    raise ValueError(
        f"augment={identifier!r} is not understood: pass a DiffAugment policy such as "
        "'color,translation,cutout', 'ada', keras_gan.augment.DiffAugment(...) or "
        "keras_gan.augment.AdaptiveAugment(...).")
