"""SinGAN: a pyramid of patch GANs learned from one image, coarse to fine."""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_gan import _replicas
from keras_gan import losses as losses_lib
from keras_gan import regularizers
from keras_gan.models.engine import FIXED_STREAM, Engine, Phase, loss_scaled
from keras_gan.networks.singan import singan_discriminator, singan_generator


def pyramid_sizes(height, width, scale_factor=0.75, min_size=25):
    """`(h, w)` of each scale, coarsest first: the image shrunk by
    `scale_factor ** k` until its shorter side would drop below `min_size`."""
    if not 0.0 < scale_factor < 1.0:
        raise ValueError(f"`scale_factor` must be in (0, 1). Received: {scale_factor}")
    shorter = min(height, width)
    if shorter < min_size:
        raise ValueError(f"The image ({height}x{width}) is smaller than min_size={min_size}; "
                         "lower min_size or use a larger image.")
    count = int(math.floor(math.log(min_size / shorter) / math.log(scale_factor))) + 1
    return [(max(1, round(height * scale_factor**k)), max(1, round(width * scale_factor**k)))
            for k in reversed(range(count))]


def _resize(images, size):
    return tf.image.resize(images, size, method="bicubic")


@keras.saving.register_keras_serializable(package="keras_gan")
class SinGAN(Engine):
    """SinGAN (Shaham et al. 2019): a generative model of one image.

    A pyramid of fully convolutional patch GANs, one per scale from the
    coarsest (shorter side `min_size`) to the image's size, trained coarse to
    fine with `fit()`: **epoch `n` trains scale `n`** (the coarser ones are
    frozen), for `steps_per_epoch` iterations of `d_steps` critic and
    `g_steps` generator updates. Each scale's generator refines the
    upsampled output of the scale below: `x_n = x_{n-1}up + psi_n(a_n z_n +
    x_{n-1}up)`. The loss is WGAN-GP (lambda 0.1) plus `reconstruction_weight`
    times the MSE between the image and what the pyramid makes from a fixed
    noise `z*` at the coarsest scale and none above; the noise amplitude `a_n`
    of each scale is `noise_amplitude` times the RMSE of the upsampled
    reconstruction (1 at the coarsest). Each scale gets fresh Adam optimizers
    whose learning rate drops 10x after `lr_decay_at` of its steps, and starts
    from the previous scale's weights when their widths match.

    The image and its pyramid are saved with the model; `generate()` samples
    at any size ratio (`scale=(1, 2)`: twice as wide), and
    `keras_gan.metrics.sifid` measures single-image FID.

    Args:
        image: the training image `(h, w, c)` in [-1, 1] (None when loading:
            pass `image_shape`).
        image_shape: the image's shape when `image` is None.
        scale_factor: size ratio between consecutive scales (0.75).
        min_size: shorter side of the coarsest scale (25).
        filters: width of the coarsest networks, doubled every 4 scales up to
            `max_filters` (32 and 128 in the paper).
        num_blocks: convolutions per network (5).
        noise_amplitude: `a_n` relative to the reconstruction RMSE (0.1).
        seed: seed of the training noise and of `z*`.

    Example:

    ```python
    image = keras_gan.data.load_image("balloons.png", max_size=250)
    singan = keras_gan.SinGAN(image)
    singan.compile()
    singan.fit(epochs=singan.num_scales, steps_per_epoch=2000)
    samples = singan.generate(8, scale=(1.0, 1.5))
    ```

    Reference:
        Shaham et al., "SinGAN: Learning a Generative Model from a Single
        Natural Image", ICCV 2019. https://arxiv.org/abs/1905.01164
    """

    def __init__(self, image=None, image_shape=None, scale_factor=0.75, min_size=25, filters=32,
                 max_filters=128, num_blocks=5, noise_amplitude=0.1, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if image is not None:
            image = np.asarray(image, np.float32)
            image = image[0] if image.ndim == 4 and image.shape[0] == 1 else image
            if image.ndim != 3:
                raise ValueError(f"SinGAN takes one image (h, w, c). Received shape {image.shape}.")
            if image.min() < -1.0 - 1e-3 or image.max() > 1.0 + 1e-3:
                raise ValueError("The image must be scaled to [-1, 1] (e.g. x / 127.5 - 1); "
                                 f"received values in [{image.min():g}, {image.max():g}].")
            image_shape = image.shape
        elif image_shape is None:
            raise ValueError("Pass the training `image` (or `image_shape` when loading).")
        self.image_shape = tuple(int(s) for s in image_shape)
        self.scale_factor, self.min_size = float(scale_factor), int(min_size)
        self.filters, self.max_filters = int(filters), int(max_filters)
        self.num_blocks, self.noise_amplitude = int(num_blocks), float(noise_amplitude)
        height, width, channels = self.image_shape
        self.sizes = pyramid_sizes(height, width, self.scale_factor, self.min_size)
        self.num_scales = len(self.sizes)
        self.generators, self.discriminators = [], []
        for n in range(self.num_scales):
            width_n = self.scale_filters(n)
            self.generators.append(singan_generator(channels, width_n, num_blocks,
                                                    name=f"generator_{n}"))
            self.discriminators.append(singan_discriminator(channels, width_n, num_blocks,
                                                            name=f"discriminator_{n}"))
        self.pyramid = [
            self.add_weight(shape=(1, h, w, channels), initializer="zeros", trainable=False,
                            name=f"image_{n}", aggregation="only_first_replica")
            for n, (h, w) in enumerate(self.sizes)]
        if image is not None:
            for n, size in enumerate(self.sizes):
                self.pyramid[n].assign(_resize(image[None], size) if n < self.num_scales - 1
                                       else image[None])
        self.noise_amplitudes = self.add_weight(
            shape=(self.num_scales,), initializer="zeros", trainable=False,
            name="noise_amplitudes", aggregation="only_first_replica")
        self.trained_scales = self.add_weight(
            shape=(), dtype="int64", initializer="zeros", trainable=False,
            name="trained_scales", aggregation="only_first_replica")
        self._scale = None  # the scale the current train function trains
        self.built = True

    def scale_filters(self, n):
        """The network width of scale `n`."""
        return min(self.filters * 2 ** (n // 4), self.max_filters)

    @property
    def generator(self):
        """The coarsest scale's generator."""
        return self.generators[0]

    @property
    def discriminator(self):
        return self.discriminators[0]

    # The networks of the scale being trained, which the phases update.
    # (Private: Keras's saving walks public attributes, and these change.)
    @property
    def _scale_generator(self):
        return self.generators[self._scale or 0]

    @property
    def _scale_discriminator(self):
        return self.discriminators[self._scale or 0]

    # --- compile options ----------------------------------------------------------

    #: Why `compile(jit_compile=True)` is refused ("auto" leaves XLA off).
    jit_compile_unsupported = ("its pyramid uses bicubic resizing (as the paper), which XLA "
                               "does not compile")

    def default_compile_args(self):
        """The paper's defaults. `d_optimizer`/`g_optimizer` are templates of
        the per-scale optimizers (each scale gets fresh copies); `gp_weight`
        is the WGAN-GP weight; `reconstruction_weight` alpha; `d_steps` and
        `g_steps` the critic and generator updates per iteration;
        `lr_decay_at` the fraction of a scale's steps after which the
        learning rate is divided by 10 (0.8: 1600 of 2000)."""
        return {"d_optimizer": keras.optimizers.Adam(5e-4, beta_1=0.5, beta_2=0.999),
                "g_optimizer": keras.optimizers.Adam(5e-4, beta_1=0.5, beta_2=0.999),
                "gp_weight": 0.1, "reconstruction_weight": 10.0, "d_steps": 3, "g_steps": 3,
                "lr_decay_at": 0.8}

    def configure(self, options):
        gp_weight, reconstruction_weight = options["gp_weight"], options["reconstruction_weight"]
        lr_decay_at = options["lr_decay_at"]
        if not 0.0 < lr_decay_at <= 1.0 or gp_weight < 0 or reconstruction_weight < 0:
            raise ValueError("Expected 0 < lr_decay_at <= 1 and non-negative weights. Received: "
                             f"lr_decay_at={lr_decay_at}, gp_weight={gp_weight}, "
                             f"reconstruction_weight={reconstruction_weight}.")
        self.gp_weight, self.reconstruction_weight = float(gp_weight), float(reconstruction_weight)
        self.lr_decay_at = float(lr_decay_at)
        self.loss_fn = losses_lib.Wasserstein()
        self.penalties = (regularizers.GradientPenalty(self.gp_weight),)

    def log_names(self):
        return ["reconstruction", "real_logits", "fake_logits"]

    # --- coarse to fine -----------------------------------------------------

    def start_scale(self, n, steps):
        """Prepares training of scale `n` for `steps` iterations: its noise
        amplitude, initial weights and fresh optimizers (`fit` calls this at
        the start of epoch `n`)."""
        if not 0 <= n < self.num_scales:
            raise ValueError(f"SinGAN has scales 0..{self.num_scales - 1}; epoch {n} has none. "
                             f"Train with epochs={self.num_scales}.")
        if n > 0 and self.scale_filters(n) == self.scale_filters(n - 1) and \
                int(self.trained_scales.numpy()) == n:
            self.generators[n].set_weights(self.generators[n - 1].get_weights())
            self.discriminators[n].set_weights(self.discriminators[n - 1].get_weights())
        if n == 0:
            amplitude = 1.0
        else:
            previous = _resize(self._pyramid_output(n - 1, reconstruct=True), self.sizes[n])
            error = tf.sqrt(tf.reduce_mean(tf.square(previous - self.pyramid[n])))
            amplitude = self.noise_amplitude * float(error)
        self.noise_amplitudes.assign(tf.tensor_scatter_nd_update(
            self.noise_amplitudes, [[n]], [amplitude]))
        decay_step = max(1, int(self.lr_decay_at * steps))
        self._scale = n
        for name, network in (("d_optimizer", self.discriminators[n]),
                              ("g_optimizer", self.generators[n])):
            template, scaling = self._compile_options[name], None
            if isinstance(template, keras.optimizers.LossScaleOptimizer):
                config = template.get_config()
                scaling = {k: config[k] for k in ("initial_scale", "dynamic_growth_steps")}
                template = template.inner_optimizer
            elif self._uses_float16():
                scaling = {}
            config = template.get_config()
            rate = float(keras.ops.convert_to_numpy(template.learning_rate))
            config["learning_rate"] = keras.optimizers.schedules.PiecewiseConstantDecay(
                [decay_step], [rate, rate * 0.1])
            optimizer = type(template).from_config(config)
            if scaling is not None:  # as the template: loss scaling under mixed_float16
                optimizer = loss_scaled(optimizer, name, **scaling)
            optimizer.build(network.trainable_variables)
            setattr(self, name, optimizer)
        self.make_train_function(force=True)

    def fit(self, x=None, y=None, epochs=None, steps_per_epoch=2000, initial_epoch=0,
            callbacks=None, verbose="auto", **kwargs):
        """Trains scale `n` in epoch `n` (`epochs` defaults to `num_scales`).

        The image is part of the model, so `x` is optional (a dataset passed
        by a generic training loop is ignored)."""
        if not self.compiled:
            raise RuntimeError("SinGAN.fit was called before compile(); call `model.compile()`.")
        epochs = self.num_scales if epochs is None else int(epochs)
        if epochs > self.num_scales:
            raise ValueError(f"SinGAN trains one scale per epoch and has {self.num_scales} "
                             f"scales; received epochs={epochs}.")
        if steps_per_epoch is None:
            raise ValueError("SinGAN.fit needs `steps_per_epoch` (iterations per scale).")
        del x, y
        data = tf.data.Dataset.from_tensors(tf.zeros(())).repeat()
        return super().fit(data, epochs=epochs, steps_per_epoch=steps_per_epoch,
                           initial_epoch=initial_epoch, callbacks=callbacks, verbose=verbose,
                           **kwargs)

    def training_callbacks(self, callbacks):
        return [_Scales(), *super().training_callbacks(callbacks)]

    # --- the training step ------------------------------------------------------

    def _reconstruction_noise(self):
        h, w = self.sizes[0]
        seed = _replicas.stateless_seed(self.seed, 0, FIXED_STREAM)
        return tf.random.stateless_normal((1, h, w, self.image_shape[2]), seed=seed)

    def _pyramid_output(self, top, reconstruct=False, noise=None, sizes=None, batch=1):
        """The output of scales 0..`top` (frozen, inference mode): from `z*`
        and no noise above it (`reconstruct`), or from `noise(n, shape)`."""
        sizes = sizes or self.sizes
        channels = self.image_shape[2]
        x = tf.zeros((batch, *sizes[0], channels))
        for n in range(top + 1):
            prev = x if n == 0 else _resize(x, sizes[n])
            if reconstruct:
                z = self._reconstruction_noise() if n == 0 else tf.zeros_like(prev)
            else:
                z = noise(n, (*sizes[n], channels))
            x = self.generators[n]([self.noise_amplitudes[n] * z + prev, prev], training=False)
        return x

    def phases(self):
        """`d_steps` critic updates, then `g_steps` generator updates, of the
        scale being trained."""
        return [Phase("d", ("_scale_discriminator",), "d_optimizer", repeats=self.d_steps),
                Phase("g", ("_scale_generator",), "g_optimizer", repeats=self.g_steps)]

    def unpack_batch(self, data, step):
        """The image at the trained scale and the reconstruction input from
        `z*` (the dataset is a placeholder: the image is part of the model)."""
        del data
        n = self._scale
        real = tf.convert_to_tensor(self.pyramid[n])
        if n == 0:
            prev_rec = tf.zeros_like(real)
            z_rec = self._reconstruction_noise()
        else:
            prev_rec = _resize(self._pyramid_output(n - 1, reconstruct=True), self.sizes[n])
            z_rec = tf.zeros_like(prev_rec)
        return {"real": real, "prev_rec": prev_rec, "z_rec": z_rec}

    def phase_loss(self, phase, batch, step):
        """WGAN-GP on the image and a fresh sample (critic); adversarial plus
        `reconstruction_weight` x MSE of the reconstruction (generator)."""
        real = batch["real"]
        generator, critic = self._scale_generator, self._scale_discriminator
        amplitude = self.noise_amplitudes[self._scale]
        if phase.name == "d":
            with step.untaped():
                fake = tf.stop_gradient(self._sample(step, amplitude))
            real_logits = critic(real, training=True)
            fake_logits = critic(fake, training=True)
            loss = self.loss_fn.discriminator_loss(real_logits=real_logits,
                                                   fake_logits=fake_logits)
            loss += step.penalty(self.penalties[0], lambda x: critic(x, training=True),
                                 real, fake)
            return loss, {"real_logits": tf.reduce_mean(real_logits),
                          "fake_logits": tf.reduce_mean(fake_logits)}
        fake = self._sample(step, amplitude)
        adversarial = self.loss_fn.generator_loss(fake_logits=critic(fake, training=True))
        prev_rec = batch["prev_rec"]
        rec = generator([amplitude * batch["z_rec"] + prev_rec, prev_rec], training=True)
        reconstruction = tf.reduce_mean(tf.square(tf.cast(rec, tf.float32) - real))
        return (adversarial + self.reconstruction_weight * reconstruction,
                {"reconstruction": reconstruction})

    def _sample(self, step, amplitude):
        """A random image of the trained scale (frozen coarser scales)."""
        n = self._scale
        shape = (*self.sizes[n], self.image_shape[2])
        if n == 0:
            prev = tf.zeros((1, *shape))
        else:
            stream = step.stream()
            noise = lambda k, s: self._draw("normal", 1, s, step.counter, stream, k)  # noqa: E731
            prev = _resize(self._pyramid_output(n - 1, noise=noise), self.sizes[n])
        z = step.draw("normal", shape, batch_size=1)
        return self._scale_generator([amplitude * z + prev, prev], training=True)

    # --- sampling ---------------------------------------------------------------

    def generate(self, num_samples=1, *, scale=(1.0, 1.0), seed=None, top=None):
        """Random images from the trained scales, as a NumPy array.

        Args:
            num_samples: how many images.
            scale: `(height, width)` multipliers of every scale's size: the
                samples keep the image's size ratio times `width / height`.
            seed: seed of the noise maps (None: unseeded).
            top: the finest scale to run (default: the last trained one).
        """
        top = self._top(top)
        sizes = [(max(1, round(h * scale[0])), max(1, round(w * scale[1])))
                 for h, w in self.sizes]
        rng = np.random.default_rng(seed)

        def noise(n, shape):
            return tf.constant(rng.standard_normal((num_samples, *shape)), tf.float32)

        images = self._pyramid_output(top, noise=noise, sizes=sizes, batch=num_samples)
        return keras.ops.convert_to_numpy(images)

    def preview(self, *unused, num_samples=3, seed=0):
        """Columns for `callbacks.TranslationGrid`: the image, its
        reconstruction and random samples at the last trained scale."""
        del unused
        top = self._top(None)
        return [self.image(top)[None], self.reconstruct(top)[None],
                *np.split(self.generate(num_samples, seed=seed, top=top), num_samples)]

    def reconstruct(self, top=None):
        """The pyramid's reconstruction of the image (from `z*`) at scale `top`."""
        return keras.ops.convert_to_numpy(
            self._pyramid_output(self._top(top), reconstruct=True))[0]

    def _top(self, top):
        trained = int(self.trained_scales.numpy())
        if top is None:
            if trained == 0:
                raise ValueError("No scale is trained yet; call fit() first.")
            return trained - 1
        if not 0 <= top < self.num_scales:
            raise ValueError(f"`top` must be in [0, {self.num_scales}). Received: {top}")
        return int(top)

    def image(self, n=None):
        """The training image at scale `n` (default: full size)."""
        n = self.num_scales - 1 if n is None else n
        return keras.ops.convert_to_numpy(self.pyramid[n])[0]

    # --- serialization --------------------------------------------------------

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable, "image_shape": self.image_shape,
                "scale_factor": self.scale_factor, "min_size": self.min_size,
                "filters": self.filters, "max_filters": self.max_filters,
                "num_blocks": self.num_blocks, "noise_amplitude": self.noise_amplitude,
                "seed": self.seed}


class _Scales(keras.callbacks.Callback):
    """Starts scale `epoch` at each epoch and records finished scales."""

    def on_epoch_begin(self, epoch, logs=None):
        self.model.start_scale(epoch, self.params["steps"])

    def on_epoch_end(self, epoch, logs=None):
        self.model.trained_scales.assign(max(int(self.model.trained_scales.numpy()), epoch + 1))
