"""Discriminator penalties computed with `tf.GradientTape`.

Pure functions (`gradient_penalty`, `r1_penalty`, `r2_penalty`,
`dragan_penalty`, `drift_penalty`) take a `critic`: any callable mapping a batch of samples to
logits (a `keras.Model`, or a closure that also passes labels). They return the
*unweighted* penalty, a float32 scalar averaged over the batch, and always
differentiate with respect to float32 inputs, also under mixed precision.

The `Penalty` objects wrap them for `GAN.compile(penalties=[...])` with a
`weight` and a lazy `interval`: with `interval=N` the penalty is evaluated
every N discriminator steps and weighted by `weight * N`, so its expected
contribution is unchanged (Karras et al. 2020, "lazy regularization").
`PathLengthPenalty` regularizes the generator instead (its `applies_to` is
`"generator"`): the engine evaluates it in the generator step, lazily every
`interval` generator steps, with its running mean saved in the model.
"""

import abc
import difflib

import keras
import tensorflow as tf

from keras_gan import _replicas

__all__ = [
    "Penalty",
    "GradientPenalty",
    "R1Penalty",
    "R2Penalty",
    "DRAGANPenalty",
    "gradient_penalty",
    "r1_penalty",
    "r2_penalty",
    "dragan_penalty",
    "DriftPenalty",
    "drift_penalty",
    "PathLengthPenalty",
    "path_length_penalty",
    "ConsistencyPenalty",
    "OffDiagonalOrthogonal",
    "get",
]

# Inside the square root of the gradient norm: keeps its gradient finite when
# the input gradient is exactly zero (NaN otherwise).
_NORM_EPSILON = 1e-12


def _input_gradients(critic, inputs):
    inputs = tf.cast(inputs, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        logits = tf.cast(critic(inputs), tf.float32)
        # Summing over the batch gives each sample's own input gradient, since
        # samples do not interact (true for critics without batch statistics).
        total = tf.reduce_sum(logits)
    return tape.gradient(total, inputs)


def _squared_norms(gradients):
    axes = list(range(1, gradients.shape.rank))
    return tf.reduce_sum(tf.square(gradients), axis=axes)


def _expand_like(weights, inputs):
    return tf.reshape(weights, [-1] + [1] * (inputs.shape.rank - 1))


def _norm_penalty(squared_norms, target, one_sided):
    norms = tf.sqrt(squared_norms + _NORM_EPSILON)
    gap = norms - target
    if one_sided:
        gap = tf.nn.relu(gap)
    return tf.reduce_mean(tf.square(gap))


def gradient_penalty(critic, real, fake, alpha=None, *, target=1.0, one_sided=False):
    """WGAN-GP penalty `E[(||grad D(x_hat)||_2 - target)^2]`.

    `x_hat = alpha * real + (1 - alpha) * fake` with one `alpha ~ U(0, 1)` per
    sample (the paper's distribution; the keras-io example's normal draw is a
    known deviation).

    Args:
        critic: callable mapping a batch to logits.
        real: real samples, shape `(batch, ...)`.
        fake: generated samples, same shape.
        alpha: optional interpolation weights, shape `(batch,)`. Drawn from
            U(0, 1) when omitted.
        target: the target gradient norm (1 in the paper).
        one_sided: penalize only norms above `target` (Petzka et al. 2018).

    Returns:
        A float32 scalar.

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", 2017,
        algorithm 1. https://arxiv.org/abs/1704.00028
    """
    real = tf.cast(real, tf.float32)
    fake = tf.cast(fake, tf.float32)
    if alpha is None:
        alpha = tf.random.uniform(tf.shape(real)[:1])
    alpha = _expand_like(tf.cast(alpha, tf.float32), real)
    interpolates = alpha * real + (1.0 - alpha) * fake
    grads = _input_gradients(critic, interpolates)
    return _norm_penalty(_squared_norms(grads), target, one_sided)


def r1_penalty(critic, real):
    """R1 penalty `E[||grad D(real)||_2^2]` (weight it by gamma / 2).

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", 2018, equation 9. https://arxiv.org/abs/1801.04406
    """
    return tf.reduce_mean(_squared_norms(_input_gradients(critic, real)))


def r2_penalty(critic, fake):
    """R2 penalty `E[||grad D(fake)||_2^2]` (weight it by gamma / 2).

    Reference:
        Mescheder et al., 2018, equation 10.
    """
    return tf.reduce_mean(_squared_norms(_input_gradients(critic, fake)))


def drift_penalty(critic, real):
    """Drift penalty `E[D(real)^2]`: keeps a Wasserstein critic's outputs near 0.

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", 2018, appendix A.1 (weight 0.001).
        https://arxiv.org/abs/1710.10196
    """
    logits = tf.cast(critic(tf.cast(real, tf.float32)), tf.float32)
    per_sample = tf.reshape(logits, [tf.shape(logits)[0], -1])
    return tf.reduce_mean(tf.square(per_sample))


def path_length_penalty(synthesize, latents, noise, mean, decay=0.01):
    """StyleGAN2 path-length penalty `E[(||J_w^T y||_2 - a)^2]`.

    `y` is `noise` (standard normal images) divided by `sqrt(H * W)`; `J_w` is
    the Jacobian of `synthesize` at the latents `w`. For per-layer latents
    `(batch, num_ws, w_dim)` the squared norm is summed over `w_dim` and
    averaged over the layers, as in the authors' code. The target `a` is the
    running mean of the lengths: `a' = a + decay * (mean(lengths) - a)`,
    which the penalty uses (as a constant).

    Args:
        synthesize: callable mapping latents to images `(batch, h, w, c)`.
        latents: the latents `w` to differentiate at.
        noise: standard normal images shaped like the output.
        mean: the current running mean `a` (a float32 scalar).
        decay: its update rate.

    Returns:
        `(penalty, new_mean, lengths)`.

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", 2020, section 3.2 and appendix B.
        https://arxiv.org/abs/1912.04958
    """
    latents = tf.cast(latents, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(latents)
        images = tf.cast(synthesize(latents), tf.float32)
        pixels = tf.cast(tf.reduce_prod(tf.shape(images)[1:-1]), tf.float32)
        total = tf.reduce_sum(images * tf.cast(noise, tf.float32)) / tf.sqrt(pixels)
    grads = tape.gradient(total, latents)
    squared = tf.reduce_sum(tf.square(grads), axis=-1)
    if squared.shape.rank == 2:
        squared = tf.reduce_mean(squared, axis=1)
    lengths = tf.sqrt(squared + _NORM_EPSILON)
    batch_mean = _replicas.cross_replica_mean(tf.reduce_mean(lengths))
    new_mean = tf.stop_gradient(mean + decay * (batch_mean - mean))
    return tf.reduce_mean(tf.square(lengths - new_mean)), new_mean, lengths


def dragan_penalty(critic, real, perturbation=None, alpha=None, *, scale=0.5, target=1.0):
    """DRAGAN penalty: a gradient penalty around perturbed real samples.

    Follows the authors' code: `x_p = x + scale * std(x) * u` with
    `u ~ U(0, 1)` elementwise, then `x_hat = x + alpha * (x_p - x)` with
    `alpha ~ U(0, 1)` per sample, and `E[(||grad D(x_hat)|| - target)^2]`.
    `std(x)` is the standard deviation over the whole (global) batch.

    Args:
        critic: callable mapping a batch to logits.
        real: real samples.
        perturbation: optional `u`, same shape as `real`, in [0, 1).
        alpha: optional per-sample weights, shape `(batch,)`.
        scale: the perturbation scale `c` (0.5 in the paper).
        target: the target gradient norm.

    Reference:
        Kodali et al., "On Convergence and Stability of GANs", 2017.
        https://arxiv.org/abs/1705.07215
    """
    real = tf.cast(real, tf.float32)
    if perturbation is None:
        perturbation = tf.random.uniform(tf.shape(real))
    if alpha is None:
        alpha = tf.random.uniform(tf.shape(real)[:1])
    mean = _replicas.cross_replica_mean(tf.reduce_mean(real))
    variance = _replicas.cross_replica_mean(tf.reduce_mean(tf.square(real - mean)))
    std = tf.sqrt(variance)
    perturbed = real + scale * std * tf.cast(perturbation, tf.float32)
    interpolates = real + _expand_like(tf.cast(alpha, tf.float32), real) * (perturbed - real)
    grads = _input_gradients(critic, interpolates)
    return _norm_penalty(_squared_norms(grads), target, False)


# --- serializable penalty objects -----------------------------------------


class Penalty(abc.ABC):
    """Base class of a weighted discriminator penalty.

    Args:
        weight: multiplier of the penalty in the discriminator loss.
        interval: lazy regularization: evaluate every `interval` discriminator
            steps, weighted by `weight * interval`.
        name: the key under which the engine logs the unweighted penalty.

    Subclasses implement `compute(critic, *, real, fake, noise)` where
    `noise(kind, sample_shape)` returns random numbers for this replica's
    samples (`kind` is `"uniform"` or `"normal"`); drawing through it keeps runs
    reproducible and identical on 1 or N replicas.
    """

    default_name = None
    #: The network this penalty regularizes: `"discriminator"` or `"generator"`.
    applies_to = "discriminator"

    def __init__(self, weight=1.0, interval=1, name=None):
        if not weight >= 0:
            raise ValueError(
                f"{type(self).__name__}: `weight` must be >= 0. "
                f"Received: weight={weight}"
            )
        if int(interval) != interval or interval < 1:
            raise ValueError(
                f"{type(self).__name__}: `interval` must be a positive integer "
                f"(evaluate every `interval` steps). Received: interval={interval}"
            )
        self.weight = float(weight)
        self.interval = int(interval)
        self.name = name or self.default_name

    @abc.abstractmethod
    def compute(self, critic, *, real, fake, noise):
        """Returns the unweighted penalty as a float32 scalar."""

    def __call__(self, critic, *, real, fake, noise=None):
        if noise is None:
            noise = _default_noise(real if real is not None else fake)
        return self.compute(critic, real=real, fake=fake, noise=noise)

    def get_config(self):
        return {"weight": self.weight, "interval": self.interval, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _default_noise(samples):
    """Noise for standalone calls: fresh stateless seeds from TF's global RNG."""
    batch = tf.shape(samples)[0]

    def noise(kind, sample_shape):
        seed = tf.random.uniform([2], maxval=2**31 - 1, dtype=tf.int64)
        return _replicas.draw_global_slice(kind, batch, tuple(sample_shape), seed)

    return noise


@keras.saving.register_keras_serializable(package="keras_gan")
class GradientPenalty(Penalty):
    """WGAN-GP gradient penalty on real/fake interpolates (logged as `gp`).

    Args:
        weight: lambda (10 in the paper).
        target: target gradient norm.
        one_sided: penalize only norms above the target.
        interval: lazy regularization interval.

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", 2017.
    """

    default_name = "gp"

    def __init__(self, weight=10.0, target=1.0, one_sided=False, interval=1, name=None):
        super().__init__(weight=weight, interval=interval, name=name)
        self.target = float(target)
        self.one_sided = bool(one_sided)

    def compute(self, critic, *, real, fake, noise):
        return gradient_penalty(
            critic,
            real,
            fake,
            noise("uniform", ()),
            target=self.target,
            one_sided=self.one_sided,
        )

    def get_config(self):
        return {**super().get_config(), "target": self.target, "one_sided": self.one_sided}


@keras.saving.register_keras_serializable(package="keras_gan")
class R1Penalty(Penalty):
    """R1 penalty on real samples (logged as `r1`). `weight` is gamma / 2.

    StyleGAN2 uses `R1Penalty(weight=gamma / 2, interval=16)`.

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", 2018.
    """

    default_name = "r1"

    def __init__(self, weight=5.0, interval=1, name=None):
        super().__init__(weight=weight, interval=interval, name=name)

    def compute(self, critic, *, real, fake, noise):
        return r1_penalty(critic, real)


@keras.saving.register_keras_serializable(package="keras_gan")
class R2Penalty(Penalty):
    """R2 penalty on generated samples (logged as `r2`). `weight` is gamma / 2.

    Reference:
        Mescheder et al., 2018.
    """

    default_name = "r2"

    def __init__(self, weight=5.0, interval=1, name=None):
        super().__init__(weight=weight, interval=interval, name=name)

    def compute(self, critic, *, real, fake, noise):
        return r2_penalty(critic, fake)


@keras.saving.register_keras_serializable(package="keras_gan")
class DRAGANPenalty(Penalty):
    """DRAGAN penalty around perturbed real samples (logged as `dragan`).

    Args:
        weight: lambda (10 in the paper).
        scale: perturbation scale c (0.5 in the paper).
        target: target gradient norm.
        interval: lazy regularization interval.

    Reference:
        Kodali et al., "On Convergence and Stability of GANs", 2017.
    """

    default_name = "dragan"

    def __init__(self, weight=10.0, scale=0.5, target=1.0, interval=1, name=None):
        super().__init__(weight=weight, interval=interval, name=name)
        self.scale = float(scale)
        self.target = float(target)

    def compute(self, critic, *, real, fake, noise):
        sample_shape = tuple(real.shape[1:])
        if None in sample_shape:
            raise ValueError(
                "DRAGANPenalty needs statically known sample shapes; received "
                f"real samples of shape {real.shape}."
            )
        return dragan_penalty(
            critic,
            real,
            noise("uniform", sample_shape),
            noise("uniform", ()),
            scale=self.scale,
            target=self.target,
        )

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "target": self.target}


@keras.saving.register_keras_serializable(package="keras_gan")
class ConsistencyPenalty(Penalty):
    """Consistency regularization: `||D(x) - D(T(x))||^2` for a random
    semantics-preserving transform `T` (logged as `cr`, or `bcr` with fakes).

    CR (Zhang et al. 2020) penalizes it on real images; balanced CR (bCR,
    Zhao et al. 2021) also on generated ones, with weight `fake_weight`
    relative to `weight`. `T` is the papers' shift by up to 1/8 of each side
    (reflected at the borders) followed, with `"xflip"` in `transforms`, by
    a horizontal flip of half the images; leave the flip out for data whose
    meaning it changes (digits, text). Both sides of the difference keep
    their gradient, as in the papers. The squared difference is summed over
    a sample's logits and averaged over the batch.

    With `compile(augment=...)` the critic augments what it sees, so both
    calls see an augmented image (each with its own draw).

    Args:
        weight: lambda_real (10 in both papers).
        fake_weight: lambda_fake as a multiple of 1; 0 for CR, e.g. 1 for
            bCR with equal weights (the papers use lambda_real = lambda_fake = 10).
        transforms: `"translation,xflip"` or `"translation"`.
        interval: lazy regularization interval.

    References:
        Zhang et al., "Consistency Regularization for Generative Adversarial
        Networks", ICLR 2020. https://arxiv.org/abs/1910.12027
        Zhao et al., "Improved Consistency Regularization for GANs", AAAI
        2021. https://arxiv.org/abs/2002.04724
    """

    default_name = "cr"

    def __init__(self, weight=10.0, fake_weight=0.0, transforms="translation,xflip",
                 interval=1, name=None):
        super().__init__(weight=weight, interval=interval,
                         name=name or ("bcr" if fake_weight else "cr"))
        if not fake_weight >= 0:
            raise ValueError(f"ConsistencyPenalty: `fake_weight` must be >= 0. "
                             f"Received: fake_weight={fake_weight}")
        if transforms not in ("translation,xflip", "translation"):
            raise ValueError("ConsistencyPenalty: `transforms` must be 'translation,xflip' or "
                             f"'translation'. Received: transforms={transforms!r}")
        self.fake_weight = float(fake_weight)
        self.transforms = transforms

    def transform(self, images, noise):
        """`T(images)`: the random shift (and flip) of the papers."""
        from keras_gan import augment

        x = tf.cast(images, tf.float32)
        x = augment.translate(x, augment._shifts(x, noise, 0.125), mode="reflect")
        if "xflip" in self.transforms:
            flip = noise("uniform", (1,)) < 0.5
            x = tf.where(flip[:, :, None, None], tf.reverse(x, axis=[2]), x)
        return x

    def compute(self, critic, *, real, fake, noise):
        total = self._term(critic, real, noise)
        if self.fake_weight:
            total += self.fake_weight * self._term(critic, fake, noise)
        return total

    def _term(self, critic, images, noise):
        images = tf.cast(images, tf.float32)
        if images.shape.rank != 4:
            raise ValueError("ConsistencyPenalty transforms image batches (batch, height, "
                             f"width, channels); received shape {images.shape}.")
        plain = tf.cast(critic(images), tf.float32)
        moved = tf.cast(critic(self.transform(images, noise)), tf.float32)
        difference = tf.reshape(plain - moved, [tf.shape(plain)[0], -1])
        return tf.reduce_mean(tf.reduce_sum(tf.square(difference), axis=1))

    def get_config(self):
        return {**super().get_config(), "fake_weight": self.fake_weight,
                "transforms": self.transforms}


def _bcr():
    return ConsistencyPenalty(fake_weight=1.0)


@keras.saving.register_keras_serializable(package="keras_gan")
class DriftPenalty(Penalty):
    """ProGAN's drift penalty `E[D(real)^2]` (logged as `drift`).

    Args:
        weight: epsilon_drift (0.001 in the paper).
        interval: lazy regularization interval.

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, appendix A.1.
    """

    default_name = "drift"

    def __init__(self, weight=0.001, interval=1, name=None):
        super().__init__(weight=weight, interval=interval, name=name)

    def compute(self, critic, *, real, fake, noise):
        return drift_penalty(critic, real)


@keras.saving.register_keras_serializable(package="keras_gan")
class PathLengthPenalty(Penalty):
    """StyleGAN2's path-length regularization of the generator (logged as `pl`).

    Evaluated in the generator step on the latents the model's
    `intermediate_latents` hook returns (`w` for style-based generators, `z`
    otherwise); the running mean of the path lengths is saved with the model
    (as `<name>_mean`).

    Args:
        weight: `w_pl` (2 in the paper).
        interval: lazy regularization: every `interval` generator steps (4).
        decay: the update rate of the running mean (0.01).

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", 2020, section 3.2.
    """

    default_name = "pl"
    applies_to = "generator"

    def __init__(self, weight=2.0, interval=4, decay=0.01, name=None):
        super().__init__(weight=weight, interval=interval, name=name)
        if not 0.0 < float(decay) <= 1.0:
            raise ValueError(f"PathLengthPenalty: `decay` must be in (0, 1]. Received: {decay}")
        self.decay = float(decay)

    def compute(self, synthesize, *, latents, noise, mean):
        """`(penalty, new_mean)` for `synthesize` at `latents`."""
        penalty, new_mean, _ = path_length_penalty(synthesize, latents, noise, mean, self.decay)
        return penalty, new_mean

    def __call__(self, synthesize, *, latents, noise, mean):
        return self.compute(synthesize, latents=latents, noise=noise, mean=mean)

    def get_config(self):
        return {**super().get_config(), "decay": self.decay}


@keras.saving.register_keras_serializable(package="keras_gan")
class OffDiagonalOrthogonal(keras.regularizers.Regularizer):
    """BigGAN's orthogonal regularization of a kernel, `beta * ||W^T W * (1 - I)||_F^2`.

    `W` is the kernel reshaped to `(fan_in, filters)`, so `W^T W` holds the
    inner products between filters; only the off-diagonal entries are
    penalized, leaving the filters' norms free. Use as a layer's
    `kernel_regularizer`; the engine adds the networks' regularization
    losses to their losses. Unlike `keras.regularizers.OrthogonalRegularizer`
    (mean absolute cosine similarity of normalized rows) this is the squared,
    unnormalized form of the paper.

    Args:
        beta: the weight (1e-4 in BigGAN).

    Reference:
        Brock et al., "Large Scale GAN Training for High Fidelity Natural
        Image Synthesis", ICLR 2019, section 3.1, eq. 3.
        https://arxiv.org/abs/1809.11096
    """

    def __init__(self, beta=1e-4):
        if not float(beta) > 0.0:
            raise ValueError(f"`beta` must be > 0. Received: beta={beta!r}")
        self.beta = float(beta)

    def __call__(self, kernel):
        w = tf.reshape(tf.cast(kernel, tf.float32), (-1, kernel.shape[-1]))
        gram = tf.matmul(w, w, transpose_a=True)
        off_diagonal = gram * (1.0 - tf.eye(tf.shape(gram)[0]))
        return self.beta * tf.reduce_sum(tf.square(off_diagonal))

    def get_config(self):
        return {"beta": self.beta}


_BY_NAME = {"gp": GradientPenalty, "gradient_penalty": GradientPenalty,
            "r1": R1Penalty, "r2": R2Penalty, "dragan": DRAGANPenalty,
            "drift": DriftPenalty, "pl": PathLengthPenalty, "path_length": PathLengthPenalty,
            "cr": ConsistencyPenalty, "bcr": _bcr}


def get(identifier):
    """Returns a `Penalty` from a name (`"gp"`, `"r1"`, `"r2"`, `"dragan"`,
    `"drift"`, `"pl"`, `"cr"`, `"bcr"`, `"mmd_gp"`),
    a serialized dict or an instance."""
    if isinstance(identifier, Penalty):
        return identifier
    if isinstance(identifier, str):
        from keras_gan import divergences  # a higher module: MMD GAN's penalty

        names = {**_BY_NAME, "mmd_gp": divergences.MMDWitnessPenalty}
        key = identifier.lower()
        if key in names:
            return names[key]()
        close = difflib.get_close_matches(key, list(names), n=2)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown penalty {identifier!r}.{hint} Valid names: "
            f"{', '.join(sorted(names))}, or pass a keras_gan.regularizers.Penalty."
        )
    if isinstance(identifier, dict):
        penalty = keras.saving.deserialize_keras_object(identifier)
        if isinstance(penalty, Penalty):
            return penalty
    raise TypeError(
        "Each penalty must be a name such as 'gp' or a "
        f"keras_gan.regularizers.Penalty. Received: {identifier!r}"
    )
