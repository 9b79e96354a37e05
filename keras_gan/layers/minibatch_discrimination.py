import keras
from keras import ops

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class MinibatchDiscrimination(keras.layers.Layer):
    """Appends, per sample, its closeness to the other samples of the batch.

    `M = x T` reshaped to `(batch, num_kernels, kernel_dim)`;
    `o(x_i)_b = sum_j exp(-||M_i,b - M_j,b||_1)` (the sum includes `j = i`, as in
    the authors' code, so a batch of identical samples gives `batch` and
    well-separated samples give 1). Output: `concat([x, o(x)])`.

    Args:
        num_kernels: B, the number of appended features.
        kernel_dim: C, the dimension of each kernel's projection.

    Call arguments:
        inputs: `(batch, features)`.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", 2016,
        section 3.2. https://arxiv.org/abs/1606.03498
    """

    def __init__(self, num_kernels=50, kernel_dim=5, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(num_kernels=num_kernels, kernel_dim=kernel_dim)
        self.num_kernels, self.kernel_dim = int(num_kernels), int(kernel_dim)

    def build(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(
                f"MinibatchDiscrimination expects (batch, features); flatten first. Received: {input_shape}")
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.num_kernels * self.kernel_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.02))
        self.built = True

    def call(self, inputs):
        m = ops.reshape(ops.matmul(inputs, ops.cast(self.kernel, inputs.dtype)),
                        (-1, self.num_kernels, self.kernel_dim))
        m = ops.cast(m, "float32")
        l1 = ops.sum(ops.abs(m[:, None, :, :] - m[None, :, :, :]), axis=-1)  # (i, j, B)
        features = ops.sum(ops.exp(-l1), axis=1)
        return ops.concatenate([inputs, ops.cast(features, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] + self.num_kernels)

    def get_config(self):
        return {**super().get_config(), "num_kernels": self.num_kernels, "kernel_dim": self.kernel_dim}
