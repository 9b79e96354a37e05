import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class NoiseInjection(keras.layers.Layer):
    """Adds per-pixel Gaussian noise with a learned per-channel scale (StyleGAN).

    `y = x + scale[c] * n` with one `n ~ N(0, 1)` map per sample shared by all
    channels; `scale` starts at 0, so the layer starts as the identity.

    Args:
        seed: seed of the layer's `keras.random.SeedGenerator`.
        randomize: draw fresh noise at every call (True), or use one fixed
            noise map drawn at build time and saved with the layer (False:
            StyleGAN2's `noise_mode="const"`, deterministic outputs; needs a
            known height and width).

    Call arguments:
        inputs: `(batch, h, w, channels)`.
        noise: optional fixed noise `(batch, h, w, 1)` (e.g. for
            reproducible sampling).

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", 2019, section 3.2.
    """

    def __init__(self, seed=None, randomize=True, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.randomize = bool(randomize)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"NoiseInjection expects (batch, h, w, channels). Received: {input_shape}")
        self.scale = self.add_weight(name="scale", shape=(input_shape[-1],), initializer="zeros")
        if not self.randomize:
            if None in tuple(input_shape[1:3]):
                raise ValueError("NoiseInjection(randomize=False) needs a known height and width. "
                                 f"Received: {input_shape}")
            self.fixed_noise = self.add_weight(
                name="fixed_noise", shape=(1, input_shape[1], input_shape[2], 1), trainable=False,
                initializer=keras.initializers.RandomNormal(stddev=1.0, seed=self.seed))
        self.built = True

    def call(self, inputs, noise=None):
        if noise is None and not self.randomize:
            noise = self.fixed_noise
        elif noise is None:
            shape = ops.shape(inputs)
            noise = keras.random.normal((shape[0], shape[1], shape[2], 1), seed=self.seed_generator)
        return inputs + ops.cast(noise, inputs.dtype) * ops.cast(self.scale, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "randomize": self.randomize}
