import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class VirtualBatchNormalization(keras.layers.Layer):
    """Normalizes each sample with a fixed reference batch plus itself.

    The first batch seen in training becomes the reference: its mean and mean
    square per channel (over batch and spatial axes) are stored in
    non-trainable weights and never change afterwards. Each sample `x` is then
    normalized with `mu = (n * mu_ref + mu_x) / (n + 1)` and
    `var = (n * ms_ref + ms_x) / (n + 1) - mu^2`, where `mu_x`, `ms_x` are the
    sample's own spatial mean and mean square and `n` the reference size, so
    outputs do not depend on the other samples of the batch.

    Args:
        epsilon: added to the variance.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", 2016,
        section 3.4. https://arxiv.org/abs/1606.03498
    """

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        if not epsilon > 0:
            raise ValueError(f"`epsilon` must be > 0. Received: epsilon={epsilon}")
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.gamma = self.add_weight(name="gamma", shape=(channels,), initializer="ones", autocast=False)
        self.beta = self.add_weight(name="beta", shape=(channels,), initializer="zeros", autocast=False)
        kwargs = {"trainable": False, "aggregation": "only_first_replica", "autocast": False}
        self.reference_mean = self.add_weight(name="reference_mean", shape=(channels,),
                                              initializer="zeros", **kwargs)
        self.reference_mean_square = self.add_weight(name="reference_mean_square", shape=(channels,),
                                                     initializer="ones", **kwargs)
        self.reference_size = self.add_weight(name="reference_size", shape=(), initializer="zeros",
                                              **kwargs)
        self.built = True

    def call(self, inputs, training=False):
        x = ops.cast(inputs, "float32")
        spatial = list(range(1, len(inputs.shape) - 1))
        if spatial:
            sample_mean = ops.mean(x, axis=spatial)
            sample_square = ops.mean(ops.square(x), axis=spatial)
        else:
            sample_mean, sample_square = x, ops.square(x)
        if training:
            # Fix the reference on the first training batch, never again.
            first = ops.cast(ops.equal(self.reference_size, 0.0), "float32")
            batch = ops.cast(ops.shape(x)[0], "float32")
            self.reference_mean.assign(
                first * ops.mean(sample_mean, axis=0) + (1 - first) * self.reference_mean)
            self.reference_mean_square.assign(
                first * ops.mean(sample_square, axis=0) + (1 - first) * self.reference_mean_square)
            self.reference_size.assign(first * batch + (1 - first) * self.reference_size)
        n = self.reference_size
        mean = (n * self.reference_mean + sample_mean) / (n + 1.0)
        square = (n * self.reference_mean_square + sample_square) / (n + 1.0)
        variance = ops.maximum(square - ops.square(mean), 0.0)
        shape = (-1,) + (1,) * len(spatial) + (inputs.shape[-1],)
        mean, variance = ops.reshape(mean, shape), ops.reshape(variance, shape)
        y = (x - mean) * ops.rsqrt(variance + self.epsilon) * self.gamma + self.beta
        return ops.cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
