import keras
from keras import ops

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class MinibatchStdDev(keras.layers.Layer):
    """Appends the minibatch standard deviation as extra feature maps (ProGAN).

    The batch is split into groups of `group_size`; within each group the
    standard deviation of every feature over the group is averaged over
    height, width and the channels of each of `num_channels` channel groups,
    and broadcast as `num_channels` new feature maps. A discriminator can then
    see a lack of variety, one symptom of mode collapse.

    Args:
        group_size: samples per group (4 in ProGAN/StyleGAN2); the batch size
            must be divisible by `min(group_size, batch_size)`.
        num_channels: number of appended feature maps (1 in ProGAN, StyleGAN2).
        epsilon: added to the variance before the square root.

    Call arguments:
        inputs: `(batch, height, width, channels)`, channels divisible by
            `num_channels`.

    Returns:
        `(batch, height, width, channels + num_channels)`.

    Example:

    >>> x = keras.random.normal((8, 4, 4, 16))
    >>> MinibatchStdDev(group_size=4)(x).shape
    (8, 4, 4, 17)

    Reference:
        Karras et al., "Progressive Growing of GANs", 2018, section 3.
        https://arxiv.org/abs/1710.10196
    """

    def __init__(self, group_size=4, num_channels=1, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(group_size=group_size)
        check_positive_int(num_channels=num_channels)
        self.group_size = int(group_size)
        self.num_channels = int(num_channels)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"MinibatchStdDev expects (batch, height, width, channels). Received: {input_shape}")
        if input_shape[-1] % self.num_channels:
            raise ValueError(
                f"MinibatchStdDev: channels ({input_shape[-1]}) must be divisible by "
                f"num_channels ({self.num_channels}).")
        self.built = True

    def call(self, inputs):
        shape = ops.shape(inputs)
        batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
        group = ops.minimum(self.group_size, batch)
        f = self.num_channels
        x = ops.cast(inputs, "float32")
        # (group, batch/group, h, w, f, c/f): statistics over the group axis.
        y = ops.reshape(x, (group, -1, height, width, f, channels // f))
        y = y - ops.mean(y, axis=0, keepdims=True)
        std = ops.sqrt(ops.mean(ops.square(y), axis=0) + self.epsilon)
        std = ops.mean(std, axis=(1, 2, 4))  # (batch/group, f)
        # Sample i belongs to group slot i % (batch/group). A broadcast, not
        # `tile`: XLA fails on the second derivative of a dynamic tile inside
        # a `tf.cond` (StyleGAN2's lazy R1 penalty).
        std = ops.reshape(ops.broadcast_to(std[None], (group, batch // group, f)), (batch, f))
        maps = ops.broadcast_to(std[:, None, None, :], (batch, height, width, f))
        return ops.concatenate([inputs, ops.cast(maps, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + self.num_channels)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size,
                "num_channels": self.num_channels, "epsilon": self.epsilon}
