import keras
from keras import ops

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalization with a class-conditional gain and bias.

    Normalizes with batch statistics in training (moving averages at
    inference), then applies `gamma[y] * x_hat + beta[y]`, where `gamma` starts
    at 1 and `beta` at 0 for every class.

    With `num_classes=None` the condition is a vector `c` (BigGAN's shared
    class embedding concatenated with the latents) and the gain and bias are
    linear in it: `(1 + c W_gamma) * x_hat + c W_beta` (Brock et al. 2019).

    Args:
        num_classes: number of classes; None for vector conditions.
        momentum: momentum of the moving statistics.
        epsilon: added to the variance.

    Call arguments:
        inputs: `[x, labels]`: features `(batch, ..., channels)` and integer
            labels `(batch,)` in `[0, num_classes)`, or with
            `num_classes=None`, `[x, condition]` with a float condition
            `(batch, dim)`.
        training: use batch statistics and update the moving ones.

    Reference:
        de Vries et al., "Modulating early visual processing by language",
        2017; Miyato & Koyama, "cGANs with Projection Discriminator", 2018.
    """

    def __init__(self, num_classes, momentum=0.99, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        if num_classes is not None:
            check_positive_int(num_classes=num_classes)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"`momentum` must be in [0, 1). Received: momentum={momentum}")
        self.num_classes = None if num_classes is None else int(num_classes)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                f"ConditionalBatchNormalization expects inputs [features, labels]. Received: {input_shape}")
        channels = input_shape[0][-1]
        if self.num_classes is None:
            if len(input_shape[1]) != 2 or input_shape[1][-1] is None:
                raise ValueError(
                    "ConditionalBatchNormalization(num_classes=None) expects a condition "
                    f"vector (batch, dim). Received condition shape {input_shape[1]}")
            dim = input_shape[1][-1]
            self.gamma = self.add_weight(name="gamma_kernel", shape=(dim, channels),
                                         initializer="glorot_uniform", autocast=False)
            self.beta = self.add_weight(name="beta_kernel", shape=(dim, channels),
                                        initializer="glorot_uniform", autocast=False)
        else:
            self.gamma = self.add_weight(name="gamma", shape=(self.num_classes, channels),
                                         initializer="ones", autocast=False)
            self.beta = self.add_weight(name="beta", shape=(self.num_classes, channels),
                                        initializer="zeros", autocast=False)
        self.moving_mean = self.add_weight(name="moving_mean", shape=(channels,), initializer="zeros",
                                           trainable=False, aggregation="mean", autocast=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=(channels,),
                                               initializer="ones", trainable=False,
                                               aggregation="mean", autocast=False)
        self.built = True

    def call(self, inputs, training=False):
        x, labels = inputs
        axes = list(range(len(x.shape) - 1))
        xf = ops.cast(x, "float32")
        if training:
            mean, variance = ops.moments(xf, axes=axes)
            m = self.momentum
            self.moving_mean.assign(self.moving_mean * m + mean * (1.0 - m))
            self.moving_variance.assign(self.moving_variance * m + variance * (1.0 - m))
        else:
            mean, variance = self.moving_mean, self.moving_variance
        normalized = (xf - mean) * ops.rsqrt(variance + self.epsilon)
        broadcast = (-1,) + (1,) * (len(x.shape) - 2) + (x.shape[-1],)
        if self.num_classes is None:
            condition = ops.cast(labels, "float32")
            gamma = ops.reshape(1.0 + ops.matmul(condition, self.gamma), broadcast)
            beta = ops.reshape(ops.matmul(condition, self.beta), broadcast)
        else:
            labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
            gamma = ops.reshape(ops.take(self.gamma, labels, axis=0), broadcast)
            beta = ops.reshape(ops.take(self.beta, labels, axis=0), broadcast)
        return ops.cast(normalized * gamma + beta, x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "momentum": self.momentum, "epsilon": self.epsilon}
