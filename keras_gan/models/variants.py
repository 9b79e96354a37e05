"""Named GAN variants: the engine with each paper's published defaults.

Each variant only changes `default_compile_args`; every argument can still be
overridden in `compile()`.
"""

import warnings

import keras

from keras_gan import divergences, losses, regularizers
from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class WGAN(GAN):
    """Wasserstein GAN with weight clipping.

    Defaults: Wasserstein loss, every critic weight clipped to [-0.01, 0.01],
    RMSprop(5e-5) for both networks, 5 critic steps per generator step
    (the paper's algorithm 1; its schedule of 100 critic steps during the first
    25 generator steps is not reproduced).

    Reference:
        Arjovsky et al., "Wasserstein GAN", 2017. https://arxiv.org/abs/1701.07875
    """

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.RMSprop(5e-5),
            "g_optimizer": keras.optimizers.RMSprop(5e-5),
            "loss": losses.Wasserstein(),
            "d_steps": 5,
            "weight_clip": 0.01,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class WGANGP(GAN):
    """Wasserstein GAN with gradient penalty.

    Defaults: Wasserstein loss, `GradientPenalty(weight=10)`, Adam(1e-4,
    beta_1=0, beta_2=0.9) for both networks, 5 critic steps (algorithm 1 of the
    paper). Its critic must not use BatchNorm (use LayerNorm or none).

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", 2017.
        https://arxiv.org/abs/1704.00028
    """

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
            "loss": losses.Wasserstein(),
            "penalties": [regularizers.GradientPenalty(10.0)],
            "d_steps": 5,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class LSGAN(GAN):
    """Least-squares GAN: `LeastSquares(a=0, b=1, c=1)`, Adam(2e-4, beta_1=0.5).

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", 2017.
        https://arxiv.org/abs/1611.04076
    """

    def default_compile_args(self):
        return {**super().default_compile_args(), "loss": losses.LeastSquares()}


@keras.saving.register_keras_serializable(package="keras_gan")
class DRAGAN(GAN):
    """DRAGAN: non-saturating loss plus `DRAGANPenalty(weight=10, scale=0.5)`.

    Defaults follow the authors' code: Adam(1e-4, beta_1=0.5, beta_2=0.9).

    Reference:
        Kodali et al., "On Convergence and Stability of GANs", 2017.
        https://arxiv.org/abs/1705.07215
    """

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
            "penalties": [regularizers.DRAGANPenalty(10.0)],
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class SNGAN(GAN):
    """Hinge-loss GAN for spectrally normalized discriminators.

    Defaults: hinge loss, Adam(2e-4, beta_1=0, beta_2=0.9), 5 discriminator
    steps (the paper's ResNet setting). Warns when the discriminator contains
    no `keras.layers.SpectralNormalization` layer.

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", 2018. https://arxiv.org/abs/1802.05957
    """

    def __init__(self, generator, discriminator, latent_dim, seed=None, **kwargs):
        super().__init__(generator, discriminator, latent_dim, seed=seed, **kwargs)
        if not any(
            isinstance(layer, keras.layers.SpectralNormalization)
            for layer in discriminator._flatten_layers()
        ):
            warnings.warn(
                "SNGAN: the discriminator has no keras.layers.SpectralNormalization "
                "layer; the hinge loss alone does not keep it Lipschitz.",
                stacklevel=2,
            )

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9),
            "loss": losses.Hinge(),
            "d_steps": 5,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class SAGAN(GAN):
    """Self-attention GAN defaults: hinge loss, one discriminator step and the
    two time-scale update rule, Adam(1e-4) for G and Adam(4e-4) for D
    (beta_1=0, beta_2=0.9).

    Use networks with self-attention and spectral normalization in both, e.g.
    `networks.resnet_generator(spectral_norm=True, attention_resolution=16)`
    and `networks.resnet_discriminator(attention_resolution=16)`; a warning
    says when either network lacks a `SelfAttention2D` layer.

    Reference:
        Zhang et al., "Self-Attention Generative Adversarial Networks", ICML
        2019, section 5. https://arxiv.org/abs/1805.08318
    """

    def __init__(self, generator, discriminator, latent_dim, seed=None, **kwargs):
        super().__init__(generator, discriminator, latent_dim, seed=seed, **kwargs)
        from keras_gan.layers import SelfAttention2D

        for role, network in (("generator", generator), ("discriminator", discriminator)):
            if not any(isinstance(layer, SelfAttention2D) for layer in network._flatten_layers()):
                warnings.warn(f"SAGAN: the {role} has no keras_gan.layers.SelfAttention2D layer.",
                              stacklevel=2)

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(4e-4, beta_1=0.0, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
            "loss": losses.Hinge(),
            "d_steps": 1,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class MMDGAN(GAN):
    """MMD GAN: a feature critic and the kernel MMD between real and fake features.

    The discriminator returns a feature vector per sample (e.g. a network
    ending in `Dense(16)`), not one logit. Defaults: as Binkowski et al.,
    the unbiased `MMD^2` of a rational-quadratic kernel mixture (alphas 0.2,
    0.5, 1, 2, 5; `keras_gan.divergences.MMD`), the gradient penalty of the
    MMD witness function with weight 1 (`MMDWitnessPenalty`); Adam(1e-4,
    beta_1=0.5, beta_2=0.9) for both networks and 5 critic steps per
    generator step. Li et
    al.'s original uses Gaussian kernels (`MMD("gaussian")`), weight
    clipping and an auto-encoding critic, which are left out here.

    Not replica-count invariant: the MMD estimate and the witness are
    computed over each replica's batch (see `divergences.MMD`).

    Reference:
        Binkowski et al., "Demystifying MMD GANs", ICLR 2018.
        https://arxiv.org/abs/1801.01401
        Li et al., "MMD GAN: Towards Deeper Understanding of Moment Matching
        Network", NeurIPS 2017. https://arxiv.org/abs/1705.08584
    """

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
            "loss": divergences.MMD(),
            "penalties": [divergences.MMDWitnessPenalty(1.0)],
            "d_steps": 5,
        }
