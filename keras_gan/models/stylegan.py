"""Style-based GANs: StyleGAN and StyleGAN2 on the one engine."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import losses, regularizers
from keras_gan.models._export import images_output
from keras_gan.models.gan import GAN


def _parts(generator):
    try:
        return generator.get_layer("mapping"), generator.get_layer("synthesis")
    except ValueError as error:
        raise ValueError(
            "A style-based generator needs sub-models named 'mapping' (z -> w) and "
            "'synthesis' ((batch, num_ws, w_dim) -> images); build it with "
            f"keras_gan.networks.stylegan_generator. ({error})") from error


def mix_styles(w, w_mix, cutoff):
    """Per-layer styles `(batch, num_ws, w_dim)`: `w` for layers below each
    sample's `cutoff`, `w_mix` from there on."""
    num_ws = w.shape[1]
    layer = tf.range(num_ws)[None, :, None]
    keep = layer < tf.cast(tf.reshape(cutoff, [-1, 1, 1]), tf.int32)
    return tf.where(keep, w, w_mix)


def truncate_styles(ws, w_average, psi, cutoff=None):
    """The truncation trick in W: `w_avg + psi * (w - w_avg)` for the layers
    below `cutoff` (all layers when None)."""
    truncated = w_average + psi * (ws - w_average)
    if cutoff is None:
        return truncated
    layer = tf.range(ws.shape[1])[None, :, None]
    return tf.where(layer < cutoff, truncated, ws)


@keras.saving.register_keras_serializable(package="keras_gan")
class StyleGAN(GAN):
    """A style-based GAN (Karras et al. 2019) on the one engine.

    The generator (e.g. `networks.stylegan_generator(version=1)`) has a
    `"mapping"` and a `"synthesis"` sub-model. During training, with
    probability `style_mixing` a sample's styles switch from `w1 = f(z1)` to
    `w2 = f(z2)` at a layer drawn uniformly from 1..num_ws-1 (style mixing
    regularization, section 3.1; drawn per sample from the model's
    stateless random stream). The model keeps `w_average`, the moving
    average of `w` (decay 0.995, saved), for the truncation trick in W at
    sampling time: `generate(n, psi=0.7)`.

    Defaults (the FFHQ setting of the paper): non-saturating loss,
    `R1Penalty(weight=5)` (gamma = 10), Adam(1e-3, beta_1=0, beta_2=0.99,
    epsilon=1e-8). The paper grows the networks progressively; here they
    train at their full resolution (as StyleGAN2).

    Args:
        generator: a style-based generator.
        discriminator: any critic of its images (e.g.
            `networks.stylegan2_discriminator` or `progan_discriminator`).
        latent_dim: size of `z`.
        style_mixing: probability of mixing two latents in a training sample.
        w_average_decay: decay of the moving average of `w`.
        seed, generator_ema: as `keras_gan.GAN`.

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019. https://arxiv.org/abs/1812.04948
    """

    def __init__(self, generator, discriminator, latent_dim, style_mixing=0.9,
                 w_average_decay=0.995, seed=None, generator_ema=False, **kwargs):
        mapping, synthesis = _parts(generator)
        if not 0.0 <= float(style_mixing) <= 1.0:
            raise ValueError(f"`style_mixing` must be in [0, 1]. Received: {style_mixing}")
        if not 0.0 <= float(w_average_decay) < 1.0:
            raise ValueError(f"`w_average_decay` must be in [0, 1). Received: {w_average_decay}")
        self.style_mixing = float(style_mixing)
        self.w_average_decay = float(w_average_decay)
        self.num_ws, self.w_dim = int(synthesis.input.shape[1]), int(synthesis.input.shape[2])
        if mapping.output.shape[-1] != self.w_dim:
            raise ValueError(f"The mapping network returns w of size {mapping.output.shape[-1]} "
                             f"but the synthesis network takes styles of size {self.w_dim}.")
        super().__init__(generator, discriminator, latent_dim, seed=seed,
                         generator_ema=generator_ema, **kwargs)
        self.w_average = self.add_weight(shape=(self.w_dim,), initializer="zeros",
                                         trainable=False, name="w_average",
                                         aggregation="only_first_replica")

    # --- training hooks ---------------------------------------------------

    def training_latents(self, noise):
        return {"z": noise("normal", (self.latent_dim,)),
                "z_mix": noise("normal", (self.latent_dim,)),
                "mix": noise("uniform", ())}

    def generate_images(self, latents, labels=None, training=False, generator=None):
        network = self.generator if generator is None else generator
        if not isinstance(latents, dict):
            return network(latents, training=training)
        mapping, synthesis = _parts(network)
        w = mapping(latents["z"], training=training)
        if training and network is self.generator:
            mean = tf.reduce_mean(tf.cast(w, tf.float32), axis=0)
            self.w_average.assign(mean + self.w_average_decay * (self.w_average - mean))
        return synthesis(self._training_styles(w, mapping, latents, training), training=training)

    def _per_layer(self, w):
        """`(batch, w_dim)` -> `(batch, num_ws, w_dim)`, one copy per layer.

        A broadcast rather than `tf.repeat`: XLA fails on the second
        derivative of `repeat`'s dynamic tile inside the lazy penalties'
        `tf.cond`.
        """
        return w[:, None] + tf.zeros((1, self.num_ws, 1), w.dtype)

    def _training_styles(self, w, mapping, latents, training):
        ws = self._per_layer(w)
        if self.style_mixing == 0.0:
            return ws
        w_mix = mapping(latents["z_mix"], training=training)
        ws_mix = self._per_layer(w_mix)
        u = latents["mix"]
        # u < p: cutoff uniform in 1..num_ws-1 (u / p is U(0, 1)); else no mixing.
        spread = tf.floor(u / self.style_mixing * (self.num_ws - 1))
        cutoff = tf.where(u < self.style_mixing, 1.0 + spread, float(self.num_ws))
        return mix_styles(ws, ws_mix, cutoff)

    def intermediate_latents(self, latents, labels=None):
        z = latents["z"] if isinstance(latents, dict) else latents
        mapping, synthesis = _parts(self.generator)
        ws = self._per_layer(mapping(z, training=True))
        return ws, lambda styles: synthesis(styles, training=True)

    def default_compile_args(self):
        return {
            **super().default_compile_args(),
            "d_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8),
            "g_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8),
            "loss": losses.NonSaturating(),
            "penalties": [regularizers.R1Penalty(5.0)],
        }

    # --- sampling in W ----------------------------------------------------

    def _functions(self, network):
        key = ("style", network)
        if key not in self._generate_functions:
            mapping, synthesis = _parts(network)
            self._generate_functions[key] = (
                tf.function(lambda z: mapping(z, training=False)),
                tf.function(lambda ws: synthesis(ws, training=False)))
        return self._generate_functions[key]

    def _serving_endpoint(self, use_ema=True):
        """latents and psi -> images: the truncation trick in W, towards the
        `w_average` of export time, on every layer."""
        network = self._network(use_ema)
        mapping, synthesis = _parts(network)
        w_average = tf.constant(keras.ops.convert_to_numpy(self.w_average), tf.float32)

        def serve(latents, psi):
            ws = self._per_layer(tf.cast(mapping(latents, training=False), tf.float32))
            return images_output(synthesis(truncate_styles(ws, w_average, psi), training=False))

        signature = [tf.TensorSpec((None, self.latent_dim), tf.float32, name="latents"),
                     tf.TensorSpec((), tf.float32, name="psi")]
        return serve, signature, network

    def style_networks(self, use_ema=True):
        """`(mapping, synthesis)`: the sub-models z -> w and per-layer styles
        `(batch, num_ws, w_dim)` -> images of the (averaged) generator, for
        differentiable use such as `exploration.project(space="w")`."""
        return _parts(self._network(use_ema))

    def styles(self, latents, psi=1.0, cutoff=None, use_ema=True, batch_size=64):
        """Per-layer styles `(n, num_ws, w_dim)` of `latents` `(n, latent_dim)`,
        truncated towards `w_average` with `psi` (below layer `cutoff`)."""
        latents = np.asarray(latents, np.float32)
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ValueError(f"`latents` must have shape (n, {self.latent_dim}). "
                             f"Received: {latents.shape}")
        mapping, _ = self._functions(self._network(use_ema))
        w = np.concatenate([mapping(latents[i:i + batch_size]).numpy()
                            for i in range(0, len(latents), batch_size)])
        ws = np.repeat(w[:, None], self.num_ws, axis=1)
        if psi != 1.0:
            ws = np.asarray(truncate_styles(tf.constant(ws), tf.convert_to_tensor(self.w_average),
                                            float(psi), cutoff))
        return ws.astype(np.float32)

    def synthesize(self, styles, use_ema=True, batch_size=64):
        """Images from per-layer styles `(n, num_ws, w_dim)` (or `(n, w_dim)`,
        the same style for every layer)."""
        styles = np.asarray(styles, np.float32)
        if styles.ndim == 2:
            styles = np.repeat(styles[:, None], self.num_ws, axis=1)
        if styles.ndim != 3 or styles.shape[1:] != (self.num_ws, self.w_dim):
            raise ValueError(f"`styles` must have shape (n, {self.num_ws}, {self.w_dim}) or "
                             f"(n, {self.w_dim}). Received: {styles.shape}")
        _, synthesis = self._functions(self._network(use_ema))
        return np.concatenate([
            keras.ops.convert_to_numpy(keras.ops.cast(synthesis(styles[i:i + batch_size]), "float32"))
            for i in range(0, len(styles), batch_size)])

    def generate(self, num_samples=None, *, latents=None, labels=None, seed=None,
                 truncation=None, psi=1.0, truncation_cutoff=None, batch_size=64, use_ema=True,
                 verbose=0, refine_steps=0, refine_step_size=0.01):
        """As `GAN.generate`, plus the truncation trick in W: `psi < 1` pulls
        the styles towards `w_average` (below layer `truncation_cutoff`),
        after any `refine_steps` (which act on z)."""
        if psi == 1.0:
            return super().generate(num_samples, latents=latents, labels=labels, seed=seed,
                                    truncation=truncation, batch_size=batch_size,
                                    use_ema=use_ema, verbose=verbose, refine_steps=refine_steps,
                                    refine_step_size=refine_step_size)
        if latents is None:
            if num_samples is None:
                raise ValueError("Pass `num_samples` or `latents` to generate().")
            latents = self.sample_latents(num_samples, seed, truncation)
        if refine_steps:
            latents = self.refine_latents(latents, labels=labels, steps=refine_steps,
                                          step_size=refine_step_size, use_ema=use_ema,
                                          batch_size=batch_size)
        ws = self.styles(latents, psi, truncation_cutoff, use_ema, batch_size)
        return self.synthesize(ws, use_ema, batch_size)

    def style_mix(self, row_latents, column_latents, layers, psi=1.0, use_ema=True):
        """Style mixing: image `[i, j]` uses row `i`'s styles except at
        `layers` (e.g. `range(0, 4)`: coarse styles), taken from column `j`.

        Returns `(rows, columns, h, w, c)` images.
        """
        rows = self.styles(row_latents, psi, use_ema=use_ema)
        columns = self.styles(column_latents, psi, use_ema=use_ema)
        layers = sorted(set(int(i) for i in layers))
        if not layers or layers[0] < 0 or layers[-1] >= self.num_ws:
            raise ValueError(f"`layers` must be indices in [0, {self.num_ws}). Received: {layers}")
        mixed = np.repeat(rows[:, None], len(columns), axis=1)
        mixed[:, :, layers] = columns[None, :, layers]
        images = self.synthesize(mixed.reshape(-1, self.num_ws, self.w_dim), use_ema)
        return images.reshape(len(rows), len(columns), *images.shape[1:])

    def get_config(self):
        return {**super().get_config(), "style_mixing": self.style_mixing,
                "w_average_decay": self.w_average_decay}


@keras.saving.register_keras_serializable(package="keras_gan")
class StyleGAN2(StyleGAN):
    """StyleGAN2 (Karras et al. 2020): `StyleGAN` with the paper's
    regularization, for generators with modulated convolutions
    (`networks.stylegan_generator(version=2)`) and the residual
    `networks.stylegan2_discriminator`.

    Defaults: non-saturating loss, lazy `R1Penalty(weight=5, interval=16)`
    (gamma = 10, every 16 critic steps), lazy
    `PathLengthPenalty(weight=2, interval=4, decay=0.01)` (every 4 generator
    steps, on `w`), Adam(2e-3, beta_1=0, beta_2=0.99, epsilon=1e-8), and a
    generator moving average (`generator_ema=True`; train with
    `callbacks.GeneratorEMA`). With lazy regularization the paper also
    rescales Adam's learning rate and betas by `c = interval / (interval + 1)`;
    the defaults apply it (lr 2e-3 * c, beta_2 = 0.99**c).

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020, section 3.1 and appendix B.
        https://arxiv.org/abs/1912.04958
    """

    def __init__(self, generator, discriminator, latent_dim, style_mixing=0.9,
                 w_average_decay=0.995, seed=None, generator_ema=True, **kwargs):
        super().__init__(generator, discriminator, latent_dim, style_mixing=style_mixing,
                         w_average_decay=w_average_decay, seed=seed,
                         generator_ema=generator_ema, **kwargs)

    def default_compile_args(self):
        def adam(interval):
            c = interval / (interval + 1)
            return keras.optimizers.Adam(2e-3 * c, beta_1=0.0, beta_2=0.99**c, epsilon=1e-8)

        return {
            **super().default_compile_args(),
            "d_optimizer": adam(16),
            "g_optimizer": adam(4),
            "penalties": [regularizers.R1Penalty(5.0, interval=16),
                          regularizers.PathLengthPenalty(2.0, interval=4)],
        }
