"""CycleGAN: unpaired translation with two generators, two critics and a history pool."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.engine import Phase
from keras_gan.models.image_to_image import ImageToImageGAN, identity_inputs


@keras.saving.register_keras_serializable(package="keras_gan")
class ImagePool(keras.layers.Layer):
    """The history of generated images that CycleGAN's critics learn from.

    While the pool holds fewer than `size` images, each image passes through
    and is stored. Once it is full, each image is, with probability 1/2,
    swapped for a uniformly chosen stored image (which it replaces), else
    passed through. Slots picked by several images of one batch are read
    before any of them is replaced. The stored images are saved with the
    model (and under `tf.distribute` the first replica's pool is kept).

    Called as `pool(images, uniform)`, with `uniform` of shape `(batch, 2)`
    in [0, 1) (the model's stateless draws: the coin and the slot).

    Args:
        size: images kept (50 in the paper; 0 disables the pool).
        image_shape: `(height, width, channels)` of the images.

    Reference:
        Shrivastava et al., "Learning from Simulated and Unsupervised Images
        through Adversarial Training", CVPR 2017; used by Zhu et al. 2017.
    """

    def __init__(self, size, image_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(size, bool) or int(size) != size or size < 0:
            raise ValueError(f"`size` must be an integer >= 0. Received: size={size!r}")
        if any(d is None for d in image_shape):
            raise ValueError(
                f"The image pool needs a fixed image shape; received {tuple(image_shape)}. "
                "Build the discriminator with a fixed `resolution`.")
        self.size = int(size)
        self.image_shape = tuple(int(d) for d in image_shape)
        if self.size:
            self.images = self.add_weight(
                shape=(self.size, *self.image_shape), initializer="zeros", trainable=False,
                name="images", aggregation="only_first_replica")
            self.count = self.add_weight(shape=(), dtype="int32", initializer="zeros",
                                         trainable=False, name="count",
                                         aggregation="only_first_replica")
        self.built = True

    def call(self, images, uniform):
        if not self.size:
            return images
        images = tf.cast(images, self.images.dtype)
        batch = tf.shape(images)[0]
        position = tf.convert_to_tensor(self.count) + tf.range(batch)
        filling = position < self.size
        swap = tf.logical_and(tf.logical_not(filling), uniform[:, 0] < 0.5)
        random_slot = tf.minimum(tf.cast(uniform[:, 1] * self.size, tf.int32), self.size - 1)
        slot = tf.where(filling, position, random_slot)
        stored = tf.gather(tf.convert_to_tensor(self.images), tf.minimum(slot, self.size - 1))
        outputs = tf.where(swap[:, None, None, None], stored, images)
        write = tf.logical_or(filling, swap)
        self.images.assign(tf.tensor_scatter_nd_update(
            self.images, tf.boolean_mask(slot, write)[:, None], tf.boolean_mask(images, write)))
        self.count.assign(tf.minimum(self.count + batch, self.size))
        return outputs

    def compute_output_shape(self, input_shape, *args):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "size": self.size, "image_shape": list(self.image_shape)}


@keras.saving.register_keras_serializable(package="keras_gan")
class CycleGAN(ImageToImageGAN):
    """Unpaired translation between domains A and B.

    `generator` maps A to B and `inverse_generator` B to A; `discriminator`
    judges B images and `inverse_discriminator` A images. The generators
    minimise `adversarial + 10 * cycle + 5 * identity` (`loss_weights`), with
    `cycle = |F(G(a)) - a|_1 + |G(F(b)) - b|_1` and `identity = |G(b) - b|_1 +
    |F(a) - a|_1` (the paper's lambda = 10 and identity weight 0.5 lambda);
    the least-squares adversarial loss; each critic learns from a history of
    `pool_size` generated images (`ImagePool`); `d_loss` is the mean of the
    two critics' losses. The step's phases: both generators, then
    `d_steps` (1) updates of both critics. Adam(2e-4, beta_1=0.5); for the paper's schedule
    (constant for the first half, then linear decay to 0), pass
    `keras_gan.schedules.LinearDecay` learning rates.

    Training data are `(a, b)` batches of unpaired images
    (`keras_gan.data.load_unpaired`).

    Args:
        generator, inverse_generator: A->B and B->A, e.g.
            `keras_gan.networks.resnet_translation_generator`.
        discriminator, inverse_discriminator: critics of B and A images, e.g.
            `keras_gan.networks.patchgan_discriminator(256, input_channels=0)`.
        pool_size: images in each history pool (50; 0 turns the pool off).
        seed: training randomness seed.

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017.
        https://arxiv.org/abs/1703.10593
    """

    def __init__(self, generator, discriminator, inverse_generator, inverse_discriminator,
                 pool_size=50, seed=None, **kwargs):
        for role, network in (("inverse_generator", inverse_generator),
                              ("inverse_discriminator", inverse_discriminator)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(f"`{role}` must be a keras.Model. Received: {network!r}")
        super().__init__(generator, discriminator, seed=seed, **kwargs)
        self.inverse_generator = inverse_generator
        self.inverse_discriminator = inverse_discriminator
        self.pool_size = int(pool_size)
        shape_b = _critic_shape(discriminator, "discriminator")
        shape_a = _critic_shape(inverse_discriminator, "inverse_discriminator")
        self.pool_b = ImagePool(pool_size, shape_b, name="pool_b")
        self.pool_a = ImagePool(pool_size, shape_a, name="pool_a")
        try:
            inverse_discriminator(inverse_generator(keras.KerasTensor((2, *shape_b))))
        except Exception as error:
            raise ValueError(
                "inverse_generator (B->A) must turn images of the discriminator's shape "
                f"{shape_b} into images inverse_discriminator accepts ({shape_a}). "
                f"Underlying error: {error}") from error

    def split_data(self, data, step):
        x, y = self._pair(data, "CycleGAN trains on `(a, b)` batches of images from the two "
                                "domains: use keras_gan.data.load_unpaired(a, b) or fit(a, b).")
        return self._images(x, "domain A images"), self._images(y, "domain B images"), None

    def cycle_terms(self, real_a, real_b, training=False):
        """The unweighted cycle and identity losses, and the translations."""
        g, f = self.generator, self.inverse_generator
        fake_b, fake_a = g(real_a, training=training), f(real_b, training=training)
        rec_a, rec_b = f(fake_b, training=training), g(fake_a, training=training)
        same_b, same_a = g(real_b, training=training), f(real_a, training=training)
        l1 = lambda x, y: tf.reduce_mean(tf.abs(tf.cast(x, tf.float32) - y))  # noqa: E731
        terms = {"cycle": l1(rec_a, real_a) + l1(rec_b, real_b),
                 "identity": l1(same_b, real_b) + l1(same_a, real_a)}
        return terms, fake_a, fake_b

    def phases(self):
        """One update of both generators, then `d_steps` of both critics."""
        return [Phase("g", ("generator", "inverse_generator"), "g_optimizer"),
                Phase("d", ("discriminator", "inverse_discriminator"), "d_optimizer",
                      repeats=self.d_steps)]

    def phase_loss(self, phase, batch, step):
        real_a, real_b = batch["inputs"], batch["targets"]
        if phase.name == "g":
            terms, fake_a, fake_b = self.cycle_terms(real_a, real_b, training=True)
            if self.loss_weights["identity"] == 0:
                terms.pop("identity")
            adversarial = (
                self._adversarial_g(self.discriminator, real_b, fake_b)
                + self._adversarial_g(self.inverse_discriminator, real_a, fake_a))
            # The critics learn from the history pools of this step's translations.
            uniform = step.draw("uniform", (4,))
            batch["pooled_b"] = self.pool_b(tf.stop_gradient(fake_b), uniform[:, :2])
            batch["pooled_a"] = self.pool_a(tf.stop_gradient(fake_a), uniform[:, 2:])
            return self._weighted(adversarial, terms), {"g_adversarial": adversarial, **terms}
        identity = identity_inputs
        loss_b, logs_b, _ = self.adversarial_d_loss(identity, real_b, batch["pooled_b"], step,
                                                    discriminator=self.discriminator)
        loss_a, logs_a, _ = self.adversarial_d_loss(identity, real_a, batch["pooled_a"], step,
                                                    discriminator=self.inverse_discriminator)
        return 0.5 * (loss_a + loss_b), {k: 0.5 * (logs_a[k] + logs_b[k]) for k in logs_a}

    def evaluation_logs(self, batch, step):
        """The cycle and identity losses on held-out images."""
        terms, _, _ = self.cycle_terms(batch["inputs"], batch["targets"])
        return terms

    def _adversarial_g(self, critic, real, fake):
        real_logits = critic(real, training=True) if self.loss_fn.generator_needs_real_logits \
            else None
        return self.loss_fn.generator_loss(fake_logits=critic(fake, training=True),
                                           real_logits=real_logits)

    def default_compile_args(self):
        return {**super().default_compile_args(), "loss": "least_squares",
                "loss_weights": {"adversarial": 1.0, "cycle": 10.0, "identity": 5.0}}

    def translate(self, inputs, labels=None, batch_size=32, generator=None, direction="a_to_b"):
        """Translates images A->B (`direction="a_to_b"`) or B->A."""
        if direction not in ("a_to_b", "b_to_a"):
            raise ValueError(f"`direction` must be 'a_to_b' or 'b_to_a'. Received: {direction!r}")
        network = generator or (self.generator if direction == "a_to_b" else self.inverse_generator)
        return super().translate(inputs, batch_size=batch_size, generator=network)

    def preview(self, inputs, targets=None):
        """Columns `a, G(a), F(G(a))` and, given `targets` (B images),
        `b, F(b), G(F(b))`."""
        fake_b = self.translate(inputs)
        columns = [np.asarray(inputs, np.float32), fake_b,
                   self.translate(fake_b, direction="b_to_a")]
        if targets is not None:
            fake_a = self.translate(targets, direction="b_to_a")
            columns += [np.asarray(targets, np.float32), fake_a, self.translate(fake_a)]
        return columns

    def get_config(self):
        serialize = keras.saving.serialize_keras_object
        return {**super().get_config(), "pool_size": self.pool_size,
                "inverse_generator": serialize(self.inverse_generator),
                "inverse_discriminator": serialize(self.inverse_discriminator)}


def _critic_shape(network, role):
    inputs = getattr(network, "inputs", None)
    if not inputs or len(inputs) != 1:
        raise ValueError(
            f"CycleGAN's `{role}` must take one image input (an unconditional critic, e.g. "
            "patchgan_discriminator(resolution, input_channels=0)).")
    return tuple(inputs[0].shape[1:])
