"""Adversarial losses beyond the logistic families: the f-GAN divergences,
MMD-GAN's kernel discrepancy and EBGAN's energy margin.

`FDivergence` is the variational divergence minimization of f-GAN (Nowozin
et al. 2016): for a convex `f` with `f(1) = 0`, every critic `T` gives the lower
bound `D_f(P || Q) >= E_P[T(x)] - E_Q[f*(T(x))]` (Fenchel conjugate `f*`),
tight at `T*(x) = f'(p(x) / q(x))`. The discriminator returns unconstrained
logits `v`; the paper's output activation `g_f` maps them into the domain of
`f*` (`T = g_f(v)`), and the discriminator maximizes the bound while the
generator minimizes it.

`MMD` is the kernel maximum mean discrepancy on critic features (Li et al.
2017; Binkowski et al. 2018): the discriminator returns a feature vector per
sample and maximizes the unbiased estimate of `MMD^2` between real and fake
features; the generator minimizes it.

Both are `keras_gan.losses.AdversarialLoss` objects, accepted by every GAN's
`compile(loss=...)` as objects or by name (`"f_kl"`, `"f_reverse_kl"`,
`"f_jensen_shannon"`, `"f_pearson"`, `"f_squared_hellinger"`,
`"f_total_variation"`, `"mmd"`, `"energy_margin"`).
"""

import math

import keras
import numpy as np
from keras import ops

from keras_gan import regularizers
from keras_gan.losses import AdversarialLoss

__all__ = ["FDivergence", "MMD", "EnergyMargin", "MMDWitnessPenalty", "F_DIVERGENCES", "mmd_squared",
           "mmd_witness", "BY_NAME"]


def _f32(x):
    return ops.cast(x, "float32")


# Each divergence: (f(u), f*(t), g_f(v), f*(g_f(v)) written stably, f'(u)),
# from Table 2 (f, f*) and Table 6 (g_f) of Nowozin et al. 2016. `f` and `f'`
# are NumPy (the closed forms tests and docs use); the rest are tensor ops.
F_DIVERGENCES = {
    "kl": dict(
        f=lambda u: u * np.log(u),
        derivative=lambda u: 1.0 + np.log(u),
        conjugate=lambda t: ops.exp(t - 1.0),
        activation=lambda v: v,
        conjugate_of_activation=lambda v: ops.exp(v - 1.0),
    ),
    "reverse_kl": dict(
        f=lambda u: -np.log(u),
        derivative=lambda u: -1.0 / u,
        conjugate=lambda t: -1.0 - ops.log(-t),
        activation=lambda v: -ops.exp(-v),
        conjugate_of_activation=lambda v: v - 1.0,
    ),
    "jensen_shannon": dict(
        f=lambda u: -(u + 1.0) * np.log((1.0 + u) / 2.0) + u * np.log(u),
        derivative=lambda u: np.log(2.0 * u / (1.0 + u)),
        conjugate=lambda t: -ops.log(2.0 - ops.exp(t)),
        activation=lambda v: math.log(2.0) - ops.softplus(-v),
        # -log(2 - exp(log 2 - softplus(-v))) = -log 2 + softplus(v).
        conjugate_of_activation=lambda v: ops.softplus(v) - math.log(2.0),
    ),
    "pearson": dict(
        f=lambda u: (u - 1.0) ** 2,
        derivative=lambda u: 2.0 * (u - 1.0),
        conjugate=lambda t: 0.25 * t * t + t,
        activation=lambda v: v,
        conjugate_of_activation=lambda v: 0.25 * v * v + v,
    ),
    "squared_hellinger": dict(
        f=lambda u: (np.sqrt(u) - 1.0) ** 2,
        derivative=lambda u: 1.0 - 1.0 / np.sqrt(u),
        conjugate=lambda t: t / (1.0 - t),
        activation=lambda v: 1.0 - ops.exp(-v),
        # t / (1 - t) at t = 1 - exp(-v) is exp(v) - 1.
        conjugate_of_activation=lambda v: ops.exp(v) - 1.0,
    ),
    "total_variation": dict(
        f=lambda u: 0.5 * np.abs(u - 1.0),
        derivative=lambda u: 0.5 * np.sign(u - 1.0),
        conjugate=lambda t: t,
        activation=lambda v: 0.5 * ops.tanh(v),
        conjugate_of_activation=lambda v: 0.5 * ops.tanh(v),
    ),
}


@keras.saving.register_keras_serializable(package="keras_gan")
class FDivergence(AdversarialLoss):
    """f-GAN: train to minimize a chosen f-divergence `D_f(P_data || Q_model)`.

    With logits `v` and `T = g_f(v)`:

    - discriminator loss `-(E_real[g_f(v)] - E_fake[f*(g_f(v))])`, the negated
      variational lower bound, so `-d_loss` estimates the divergence (in nats);
    - generator loss `-E_fake[g_f(v)]` (the paper's section 3.2 alternative,
      which it uses in its experiments; it has the same fixed point and
      stronger gradients early), or with `generator="bound"` the bound
      `E_fake[f*(g_f(v))]` itself, the saddle-point objective.

    Divergences (`f(u)`, the output activation `g_f(v)`, `f*(t)`): `"kl"`
    (`u log u`, `v`, `exp(t - 1)`); `"reverse_kl"` (`-log u`, `-exp(-v)`,
    `-1 - log(-t)`); `"jensen_shannon"` (`-(u+1) log((1+u)/2) + u log u`, i.e.
    twice the Jensen-Shannon divergence; `log 2 - log(1 + exp(-v))`,
    `-log(2 - exp(t))`); `"pearson"` chi^2 (`(u-1)^2`, `v`, `t^2/4 + t`);
    `"squared_hellinger"` (`(sqrt(u) - 1)^2`, `1 - exp(-v)`, `t / (1 - t)`);
    `"total_variation"` (`|u - 1| / 2`, `tanh(v) / 2`, `t`). `f*(g_f(v))` is
    evaluated in a closed form that stays finite for large logits.

    Args:
        divergence: one of the names above.
        generator: `"alternative"` (default) or `"bound"`.

    Example:

    ```python
    gan.compile(loss=keras_gan.divergences.FDivergence("reverse_kl"))
    gan.compile(loss="f_pearson")
    ```

    Reference:
        Nowozin, Cseke & Tomioka, "f-GAN: Training Generative Neural Samplers
        using Variational Divergence Minimization", NeurIPS 2016.
        https://arxiv.org/abs/1606.00709
    """

    def __init__(self, divergence="jensen_shannon", generator="alternative"):
        if divergence not in F_DIVERGENCES:
            raise ValueError(f"Unknown f-divergence {divergence!r}. Valid names: "
                             f"{', '.join(sorted(F_DIVERGENCES))}.")
        if generator not in ("alternative", "bound"):
            raise ValueError("`generator` must be 'alternative' (-E[g_f(v)], the paper's "
                             "choice) or 'bound' (E[f*(g_f(v))]). "
                             f"Received: generator={generator!r}")
        self.divergence = divergence
        self.generator = generator
        self._functions = F_DIVERGENCES[divergence]

    @property
    def name(self):
        return f"f_{self.divergence}"

    def critic_output(self, logits):
        """`T = g_f(v)`: the critic's value in the domain of `f*`."""
        return self._functions["activation"](_f32(logits))

    def bound(self, *, real_logits, fake_logits):
        """The variational lower bound `E_real[T] - E_fake[f*(T)]` on
        `D_f(P_real || P_fake)`, in nats."""
        real = ops.mean(self.critic_output(real_logits))
        fake = ops.mean(self._functions["conjugate_of_activation"](_f32(fake_logits)))
        return real - fake

    def discriminator_loss(self, *, real_logits, fake_logits):
        return -self.bound(real_logits=real_logits, fake_logits=fake_logits)

    def generator_loss(self, *, fake_logits, real_logits=None):
        if self.generator == "bound":
            return ops.mean(self._functions["conjugate_of_activation"](_f32(fake_logits)))
        return -ops.mean(self.critic_output(fake_logits))

    def get_config(self):
        return {"divergence": self.divergence, "generator": self.generator}


# --- MMD ----------------------------------------------------------------------------


def _squared_distances(x, y):
    xx = ops.sum(x * x, axis=1)
    yy = ops.sum(y * y, axis=1)
    return ops.maximum(xx[:, None] + yy[None, :] - 2.0 * ops.matmul(x, ops.transpose(y)), 0.0)


def _kernel(distances, kernel, scales):
    """The sum over `scales` of a Gaussian (`exp(-d / (2 s^2))`) or
    rational-quadratic (`(1 + d / (2 a))^(-a)`) kernel of squared distances."""
    total = 0.0
    for scale in scales:
        if kernel == "gaussian":
            total += ops.exp(-distances / (2.0 * scale * scale))
        else:
            total += ops.power(1.0 + distances / (2.0 * scale), -scale)
    return total


def mmd_squared(x, y, kernel="rational_quadratic", scales=(0.2, 0.5, 1.0, 2.0, 5.0)):
    """The unbiased estimate of `MMD^2(P, Q)` from samples `x ~ P`, `y ~ Q`
    (Gretton et al. 2012, eq. 3): within-sample kernel means without the
    diagonal, minus twice the cross mean.

    Args:
        x, y: `(n, d)` and `(m, d)` samples (n, m >= 2); other ranks are
            flattened per sample.
        kernel: `"rational_quadratic"` (scales are the alphas; Binkowski et
            al. 2018 use 0.2, 0.5, 1, 2, 5) or `"gaussian"` (scales are the
            bandwidths sigma; Li et al. 2017 use 1, 2, 4, 8, 16).
        scales: the kernel mixture.
    """
    x = ops.reshape(_f32(x), (ops.shape(x)[0], -1))
    y = ops.reshape(_f32(y), (ops.shape(y)[0], -1))
    n = ops.cast(ops.shape(x)[0], "float32")
    m = ops.cast(ops.shape(y)[0], "float32")
    k_xx = _kernel(_squared_distances(x, x), kernel, scales)
    k_yy = _kernel(_squared_distances(y, y), kernel, scales)
    k_xy = _kernel(_squared_distances(x, y), kernel, scales)
    # The diagonal of k(x, x) is the kernel at distance 0: one per scale.
    diagonal = float(len(scales))
    xx = (ops.sum(k_xx) - n * diagonal) / (n * (n - 1.0))
    yy = (ops.sum(k_yy) - m * diagonal) / (m * (m - 1.0))
    return xx + yy - 2.0 * ops.mean(k_xy)


@keras.saving.register_keras_serializable(package="keras_gan")
class MMD(AdversarialLoss):
    """MMD-GAN: the kernel maximum mean discrepancy between critic features.

    The discriminator returns features `(batch, d)` (any trailing shape is
    flattened); the loss is the unbiased `MMD^2` of a kernel mixture on them
    (`mmd_squared`): the generator minimizes it, the discriminator maximizes
    it (`d_loss = -MMD^2`). A feature critic can increase the MMD without
    bound, so pair it with a gradient penalty or spectral normalization, as
    Binkowski et al. do (`keras_gan.MMDGAN` has those defaults).

    Not replica-count invariant: the estimate is a U-statistic over the pairs
    of one replica's batch, so N replicas average N estimates over batches of
    B/N (the same expectation, a different variance) rather than one estimate
    over the global batch B.

    Args:
        kernel: `"rational_quadratic"` (default, Binkowski et al.) or
            `"gaussian"` (Li et al.).
        scales: the mixture's alphas (RQ) or bandwidths (Gaussian); default
            `(0.2, 0.5, 1, 2, 5)` for RQ and `(1, 2, 4, 8, 16)` for Gaussian.

    Reference:
        Li et al., "MMD GAN: Towards Deeper Understanding of Moment Matching
        Network", NeurIPS 2017. https://arxiv.org/abs/1705.08584
        Binkowski et al., "Demystifying MMD GANs", ICLR 2018.
        https://arxiv.org/abs/1801.01401
    """

    name = "mmd"
    generator_needs_real_logits = True
    _DEFAULT_SCALES = {"rational_quadratic": (0.2, 0.5, 1.0, 2.0, 5.0),
                       "gaussian": (1.0, 2.0, 4.0, 8.0, 16.0)}

    def __init__(self, kernel="rational_quadratic", scales=None):
        if kernel not in self._DEFAULT_SCALES:
            raise ValueError("`kernel` must be 'rational_quadratic' or 'gaussian'. "
                             f"Received: kernel={kernel!r}")
        scales = self._DEFAULT_SCALES[kernel] if scales is None else tuple(scales)
        if not scales or any(not float(s) > 0 for s in scales):
            raise ValueError(f"`scales` must be positive numbers. Received: scales={scales!r}")
        self.kernel = kernel
        self.scales = tuple(float(s) for s in scales)

    def discriminator_loss(self, *, real_logits, fake_logits):
        return -mmd_squared(real_logits, fake_logits, self.kernel, self.scales)

    def generator_loss(self, *, fake_logits, real_logits=None):
        if real_logits is None:
            raise ValueError("The MMD generator loss compares fakes with real features: pass "
                             "real_logits (the engine does, as generator_needs_real_logits).")
        return mmd_squared(real_logits, fake_logits, self.kernel, self.scales)

    def get_config(self):
        return {"kernel": self.kernel, "scales": list(self.scales)}


def mmd_witness(features, real_features, fake_features, kernel="rational_quadratic",
                scales=(0.2, 0.5, 1.0, 2.0, 5.0)):
    """The MMD witness function at `features`: `mean_j k(h, h_real_j) -
    mean_j k(h, h_fake_j)`, one value per row of `features`."""
    def mean_kernel(others):
        others = ops.reshape(_f32(others), (ops.shape(others)[0], -1))
        return ops.mean(_kernel(_squared_distances(features, others), kernel, scales), axis=1)

    features = ops.reshape(_f32(features), (ops.shape(features)[0], -1))
    return mean_kernel(real_features) - mean_kernel(fake_features)


@keras.saving.register_keras_serializable(package="keras_gan")
class MMDWitnessPenalty(regularizers.Penalty):
    """The gradient penalty of MMD GANs: `E[(||grad_x f(x_hat)|| - 1)^2]` of
    the kernel witness function `f` (`mmd_witness` of the critic's features
    against this batch's real and fake features), at real/fake interpolates
    (Binkowski et al. 2018, section 4; logged as `mmd_gp`).

    Args:
        weight: lambda (1 in the paper).
        kernel, scales: the kernel of the `MMD` loss it accompanies.
        interval, name: as for every `Penalty`.
    """

    default_name = "mmd_gp"

    def __init__(self, weight=1.0, kernel="rational_quadratic", scales=None, interval=1,
                 name=None):
        super().__init__(weight=weight, interval=interval, name=name)
        reference = MMD(kernel, scales)
        self.kernel, self.scales = reference.kernel, reference.scales

    def compute(self, critic, *, real, fake, noise):
        real_features = critic(real)
        fake_features = critic(fake)

        def witness(images):
            return mmd_witness(critic(images), real_features, fake_features, self.kernel,
                               self.scales)

        return regularizers.gradient_penalty(witness, real, fake, noise("uniform", ()))

    def get_config(self):
        return {**super().get_config(), "kernel": self.kernel, "scales": list(self.scales)}


@keras.saving.register_keras_serializable(package="keras_gan")
class EnergyMargin(AdversarialLoss):
    """EBGAN's margin losses on logits `-E(x)` (the negated energies, so that
    higher still means "more real"): `d_loss = E[E(x)] + E[relu(m - E(G(z)))]`,
    `g_loss = E[E(G(z))]` (Zhao et al. 2017, eqs. 1-2); at a Nash
    equilibrium the generator's distribution is the data's (their theorems
    1-2). Used by `keras_gan.EBGAN`, whose discriminator outputs those
    logits; `loss="energy_margin"` is margin 1.

    Args:
        margin: m, the energy above which fakes are no longer pushed up.

    Reference:
        Zhao, Mathieu & LeCun, "Energy-based Generative Adversarial
        Networks", ICLR 2017. https://arxiv.org/abs/1609.03126
    """

    name = "energy_margin"

    def __init__(self, margin=1.0):
        if not float(margin) > 0:
            raise ValueError(f"`margin` must be > 0. Received: margin={margin!r}")
        self.margin = float(margin)

    def discriminator_loss(self, *, real_logits, fake_logits):
        real_energy = -ops.cast(real_logits, "float32")
        fake_energy = -ops.cast(fake_logits, "float32")
        return ops.mean(real_energy) + ops.mean(ops.relu(self.margin - fake_energy))

    def generator_loss(self, *, fake_logits, real_logits=None):
        return ops.mean(-ops.cast(fake_logits, "float32"))

    def get_config(self):
        return {"margin": self.margin}


#: `compile(loss=NAME)` names of this module's losses.
BY_NAME = {**{f"f_{name}": (lambda name=name: FDivergence(name)) for name in F_DIVERGENCES},
           "mmd": MMD, "energy_margin": EnergyMargin}
