"""Adversarial loss families.

Every family comes twice: as pure functions named
`<family>_discriminator_loss` / `<family>_generator_loss` (the TF-GAN naming),
and as a serializable `AdversarialLoss` object that `GAN.compile(loss=...)`
accepts by name (`loss="hinge"`).

Conventions shared by every function here:

- Discriminators return **logits** in (-inf, inf); higher means "more real".
- Logits are keyword-only (`real_logits=`, `fake_logits=`) so the two can never
  be swapped by argument order.
- Logits may have any rank (`(batch,)`, `(batch, 1)`, PatchGAN maps
  `(batch, h, w, 1)`); losses average over every element.
- Values are computed in float32, whatever the compute dtype of the networks.

An adversarial loss is a *pair* of objectives, which is why the objects are not
`keras.losses.Loss` subclasses (that API has one `call(y_true, y_pred)`).
"""

import abc
import difflib

import keras
from keras import ops

__all__ = [
    "AdversarialLoss",
    "Minimax",
    "NonSaturating",
    "Wasserstein",
    "Hinge",
    "LeastSquares",
    "RelativisticAverage",
    "get",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "relativistic_average_discriminator_loss",
    "relativistic_average_generator_loss",
]


def _float32(x):
    return ops.cast(x, "float32")


def _check_smoothing(label_smoothing):
    if not 0.0 <= label_smoothing < 1.0:
        raise ValueError(
            "`label_smoothing` must be in [0, 1): it lowers the real target "
            f"from 1 to 1 - label_smoothing. Received: "
            f"label_smoothing={label_smoothing}"
        )


def _sigmoid_cross_entropy(logits, target):
    """Mean binary cross-entropy of `sigmoid(logits)` against a constant target.

    `softplus(-x) = -log(sigmoid(x))` and `softplus(x) = -log(1 - sigmoid(x))`
    are evaluated without forming the sigmoid, so large logits stay finite.
    """
    logits = _float32(logits)
    loss = target * ops.softplus(-logits) + (1.0 - target) * ops.softplus(logits)
    return ops.mean(loss)


# --- minimax and non-saturating (Goodfellow et al. 2014) -------------------


def minimax_discriminator_loss(*, real_logits, fake_logits, label_smoothing=0.0):
    """Discriminator loss of the original minimax GAN.

    `-E[log D(x)] - E[log(1 - D(G(z)))]` with `D = sigmoid(logits)`, in its
    softplus form. `label_smoothing` is one-sided (Salimans et al. 2016): the
    real target becomes `1 - label_smoothing`, the fake target stays 0.

    Args:
        real_logits: discriminator logits on real samples, any rank.
        fake_logits: discriminator logits on generated samples, any rank.
        label_smoothing: float in [0, 1).

    Returns:
        A float32 scalar.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014.
        https://arxiv.org/abs/1406.2661
    """
    _check_smoothing(label_smoothing)
    return _sigmoid_cross_entropy(
        real_logits, 1.0 - label_smoothing
    ) + _sigmoid_cross_entropy(fake_logits, 0.0)


def minimax_generator_loss(*, fake_logits, real_logits=None):
    """Generator loss of the original (saturating) minimax GAN.

    `E[log(1 - D(G(z)))] = -E[softplus(fake_logits)]`. Its gradient vanishes
    when the discriminator confidently rejects the samples; prefer
    `non_saturating_generator_loss` in practice.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014.
    """
    del real_logits
    return -ops.mean(ops.softplus(_float32(fake_logits)))


def non_saturating_discriminator_loss(
    *, real_logits, fake_logits, label_smoothing=0.0
):
    """Discriminator loss of the non-saturating GAN (same as minimax's).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014, section 3.
    """
    return minimax_discriminator_loss(
        real_logits=real_logits,
        fake_logits=fake_logits,
        label_smoothing=label_smoothing,
    )


def non_saturating_generator_loss(*, fake_logits, real_logits=None):
    """Non-saturating generator loss `-E[log D(G(z))] = E[softplus(-logits)]`.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014, section 3.
    """
    del real_logits
    return ops.mean(ops.softplus(-_float32(fake_logits)))


# --- Wasserstein (Arjovsky et al. 2017) ------------------------------------


def wasserstein_discriminator_loss(*, real_logits, fake_logits):
    """Critic loss of the Wasserstein surrogate: `E[D(fake)] - E[D(real)]`.

    Its negative estimates the Wasserstein-1 distance when the critic is
    1-Lipschitz (weight clipping, gradient penalty or spectral norm).

    Reference:
        Arjovsky et al., "Wasserstein GAN", 2017. https://arxiv.org/abs/1701.07875
    """
    return ops.mean(_float32(fake_logits)) - ops.mean(_float32(real_logits))


def wasserstein_generator_loss(*, fake_logits, real_logits=None):
    """Generator loss of the Wasserstein surrogate: `-E[D(fake)]`."""
    del real_logits
    return -ops.mean(_float32(fake_logits))


# --- hinge (Lim & Ye 2017; Miyato et al. 2018) -----------------------------


def hinge_discriminator_loss(*, real_logits, fake_logits):
    """Hinge loss `E[relu(1 - D(real))] + E[relu(1 + D(fake))]`.

    Reference:
        Lim & Ye, "Geometric GAN", 2017. https://arxiv.org/abs/1705.02894
    """
    return ops.mean(ops.relu(1.0 - _float32(real_logits))) + ops.mean(
        ops.relu(1.0 + _float32(fake_logits))
    )


def hinge_generator_loss(*, fake_logits, real_logits=None):
    """Generator side of the hinge loss: `-E[D(fake)]`."""
    del real_logits
    return -ops.mean(_float32(fake_logits))


# --- least squares (Mao et al. 2017) ---------------------------------------


def least_squares_discriminator_loss(*, real_logits, fake_logits, a=0.0, b=1.0):
    """LSGAN discriminator loss `1/2 E[(D(real) - b)^2] + 1/2 E[(D(fake) - a)^2]`.

    Args:
        real_logits: raw (linear) discriminator outputs on real samples.
        fake_logits: raw discriminator outputs on generated samples.
        a: target for fake samples.
        b: target for real samples.

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", 2017,
        equation 2. https://arxiv.org/abs/1611.04076
    """
    real = _float32(real_logits)
    fake = _float32(fake_logits)
    return 0.5 * ops.mean(ops.square(real - b)) + 0.5 * ops.mean(
        ops.square(fake - a)
    )


def least_squares_generator_loss(*, fake_logits, real_logits=None, c=1.0):
    """LSGAN generator loss `1/2 E[(D(fake) - c)^2]`.

    Reference:
        Mao et al., 2017, equation 2.
    """
    del real_logits
    return 0.5 * ops.mean(ops.square(_float32(fake_logits) - c))


# --- relativistic average (Jolicoeur-Martineau 2019) -----------------------


def relativistic_average_discriminator_loss(
    *, real_logits, fake_logits, label_smoothing=0.0
):
    """Relativistic average GAN (RaSGAN) discriminator loss.

    `-E[log sigmoid(C(real) - E C(fake))] - E[log(1 - sigmoid(C(fake) - E C(real)))]`.
    The averages are over the batch each replica sees.

    Reference:
        Jolicoeur-Martineau, "The relativistic discriminator: a key element
        missing from standard GAN", 2019, equation 14.
        https://arxiv.org/abs/1807.00734
    """
    _check_smoothing(label_smoothing)
    real = _float32(real_logits)
    fake = _float32(fake_logits)
    return _sigmoid_cross_entropy(
        real - ops.mean(fake), 1.0 - label_smoothing
    ) + _sigmoid_cross_entropy(fake - ops.mean(real), 0.0)


def relativistic_average_generator_loss(*, fake_logits, real_logits):
    """Relativistic average GAN (RaSGAN) generator loss; needs `real_logits`.

    Reference:
        Jolicoeur-Martineau, 2019, equation 14 with real and fake swapped.
    """
    if real_logits is None:
        raise ValueError(
            "relativistic_average_generator_loss needs `real_logits`: the "
            "relativistic generator loss compares fakes with real samples."
        )
    real = _float32(real_logits)
    fake = _float32(fake_logits)
    return _sigmoid_cross_entropy(
        fake - ops.mean(real), 1.0
    ) + _sigmoid_cross_entropy(real - ops.mean(fake), 0.0)


# --- serializable objects ---------------------------------------------------


class AdversarialLoss(abc.ABC):
    """Base class of a pair of adversarial objectives.

    Subclasses implement `discriminator_loss` and `generator_loss` with
    keyword-only logits and return float32 scalars. Set
    `generator_needs_real_logits = True` when the generator objective compares
    with real samples, so the engine evaluates the discriminator on them.
    """

    name = None
    generator_needs_real_logits = False

    @abc.abstractmethod
    def discriminator_loss(self, *, real_logits, fake_logits):
        """Returns the discriminator's float32 scalar loss."""

    @abc.abstractmethod
    def generator_loss(self, *, fake_logits, real_logits=None):
        """Returns the generator's float32 scalar loss."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class _SmoothedLogisticLoss(AdversarialLoss):
    def __init__(self, label_smoothing=0.0):
        _check_smoothing(label_smoothing)
        self.label_smoothing = float(label_smoothing)

    def get_config(self):
        return {"label_smoothing": self.label_smoothing}


@keras.saving.register_keras_serializable(package="keras_gan")
class Minimax(_SmoothedLogisticLoss):
    """The original saturating minimax GAN loss.

    Args:
        label_smoothing: one-sided smoothing of the real target, in [0, 1).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014.
    """

    name = "minimax"

    def discriminator_loss(self, *, real_logits, fake_logits):
        return minimax_discriminator_loss(
            real_logits=real_logits,
            fake_logits=fake_logits,
            label_smoothing=self.label_smoothing,
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        return minimax_generator_loss(fake_logits=fake_logits)


@keras.saving.register_keras_serializable(package="keras_gan")
class NonSaturating(_SmoothedLogisticLoss):
    """The non-saturating GAN loss (the default of `keras_gan.GAN`).

    Args:
        label_smoothing: one-sided smoothing of the real target, in [0, 1).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", 2014, section 3.
    """

    name = "non_saturating"

    def discriminator_loss(self, *, real_logits, fake_logits):
        return non_saturating_discriminator_loss(
            real_logits=real_logits,
            fake_logits=fake_logits,
            label_smoothing=self.label_smoothing,
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        return non_saturating_generator_loss(fake_logits=fake_logits)


@keras.saving.register_keras_serializable(package="keras_gan")
class Wasserstein(AdversarialLoss):
    """The Wasserstein surrogate `E[D(fake)] - E[D(real)]` (needs a Lipschitz critic).

    Reference:
        Arjovsky et al., "Wasserstein GAN", 2017.
    """

    name = "wasserstein"

    def discriminator_loss(self, *, real_logits, fake_logits):
        return wasserstein_discriminator_loss(
            real_logits=real_logits, fake_logits=fake_logits
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        return wasserstein_generator_loss(fake_logits=fake_logits)


@keras.saving.register_keras_serializable(package="keras_gan")
class Hinge(AdversarialLoss):
    """The hinge loss used by SNGAN, SAGAN and BigGAN.

    Reference:
        Lim & Ye, "Geometric GAN", 2017; Miyato et al., "Spectral
        Normalization for Generative Adversarial Networks", 2018.
    """

    name = "hinge"

    def discriminator_loss(self, *, real_logits, fake_logits):
        return hinge_discriminator_loss(
            real_logits=real_logits, fake_logits=fake_logits
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        return hinge_generator_loss(fake_logits=fake_logits)


@keras.saving.register_keras_serializable(package="keras_gan")
class LeastSquares(AdversarialLoss):
    """The least-squares (LSGAN) loss with targets a (fake), b (real), c (generator).

    The defaults `a=0, b=1, c=1` are the paper's equation 9; `a=-1, b=1, c=0`
    is its Pearson chi-square coding.

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", 2017.
    """

    name = "least_squares"

    def __init__(self, a=0.0, b=1.0, c=1.0):
        if a == b:
            raise ValueError(
                "LeastSquares needs different targets for fake (a) and real "
                f"(b) samples. Received: a={a}, b={b}"
            )
        self.a, self.b, self.c = float(a), float(b), float(c)

    def discriminator_loss(self, *, real_logits, fake_logits):
        return least_squares_discriminator_loss(
            real_logits=real_logits, fake_logits=fake_logits, a=self.a, b=self.b
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        return least_squares_generator_loss(fake_logits=fake_logits, c=self.c)

    def get_config(self):
        return {"a": self.a, "b": self.b, "c": self.c}


@keras.saving.register_keras_serializable(package="keras_gan")
class RelativisticAverage(_SmoothedLogisticLoss):
    """The relativistic average standard GAN loss (RaSGAN).

    Reference:
        Jolicoeur-Martineau, "The relativistic discriminator", 2019.
    """

    name = "relativistic_average"
    generator_needs_real_logits = True

    def discriminator_loss(self, *, real_logits, fake_logits):
        return relativistic_average_discriminator_loss(
            real_logits=real_logits,
            fake_logits=fake_logits,
            label_smoothing=self.label_smoothing,
        )

    def generator_loss(self, *, fake_logits, real_logits=None):
        return relativistic_average_generator_loss(
            fake_logits=fake_logits, real_logits=real_logits
        )


_BY_NAME = {
    cls.name: cls
    for cls in (Minimax, NonSaturating, Wasserstein, Hinge, LeastSquares, RelativisticAverage)
}


def get(identifier):
    """Returns an `AdversarialLoss` from a name, a serialized dict or an instance.

    Args:
        identifier: one of `"minimax"`, `"non_saturating"`, `"wasserstein"`,
            `"hinge"`, `"least_squares"`, `"relativistic_average"`, the f-GAN
            divergences `"f_kl"`, `"f_reverse_kl"`, `"f_jensen_shannon"`,
            `"f_pearson"`, `"f_squared_hellinger"`, `"f_total_variation"`,
            `"mmd"` and `"energy_margin"` (`keras_gan.divergences`); a dict made
            by `keras.saving.serialize_keras_object`; or an `AdversarialLoss`.
    """
    if isinstance(identifier, AdversarialLoss):
        return identifier
    if isinstance(identifier, str):
        from keras_gan import divergences  # a higher module: it subclasses AdversarialLoss

        names = {**_BY_NAME, **divergences.BY_NAME}
        key = identifier.lower().replace("-", "_")
        if key in names:
            return names[key]()
        close = difflib.get_close_matches(key, list(names), n=2)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown adversarial loss {identifier!r}.{hint} Valid names: "
            f"{', '.join(sorted(names))}, or pass a "
            "keras_gan.losses.AdversarialLoss instance."
        )
    if isinstance(identifier, dict):
        loss = keras.saving.deserialize_keras_object(identifier)
        if isinstance(loss, AdversarialLoss):
            return loss
    raise TypeError(
        "`loss` must be a loss name such as 'non_saturating' or a "
        f"keras_gan.losses.AdversarialLoss. Received: loss={identifier!r}"
    )
