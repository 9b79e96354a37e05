import keras
from keras import ops

from keras_gan._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class SelfAttention2D(keras.layers.Layer):
    """SAGAN self-attention over all positions of a feature map.

    `f = Wf x`, `g = Wg x` (channels / `reduction`), `h = Wh x` (channels);
    `beta = softmax(f^T g)` over positions; `y = x + gamma * Wv (h beta)` with
    `gamma` initialized to 0, so the block starts as the identity.

    Args:
        reduction: channel reduction of the query/key projections (8 in SAGAN).

    Reference:
        Zhang et al., "Self-Attention Generative Adversarial Networks", 2019,
        section 3. https://arxiv.org/abs/1805.08318
    """

    def __init__(self, reduction=8, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(reduction=reduction)
        self.reduction = int(reduction)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"SelfAttention2D expects (batch, h, w, channels). Received: {input_shape}")
        channels = input_shape[-1]
        inner = max(1, channels // self.reduction)
        self.query = keras.layers.Dense(inner, use_bias=False, name="query")
        self.key = keras.layers.Dense(inner, use_bias=False, name="key")
        self.value = keras.layers.Dense(channels, use_bias=False, name="value")
        self.output_projection = keras.layers.Dense(channels, use_bias=False, name="output")
        for layer, size in ((self.query, channels), (self.key, channels), (self.value, channels),
                            (self.output_projection, channels)):
            layer.build((None, size))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros")
        self.built = True

    def attention(self, inputs):
        """The attention map `(batch, positions, positions)`; rows sum to 1."""
        shape = ops.shape(inputs)
        flat = ops.reshape(inputs, (shape[0], -1, shape[3]))
        scores = ops.matmul(self.query(flat), ops.transpose(self.key(flat), (0, 2, 1)))
        return ops.softmax(ops.cast(scores, "float32"), axis=-1)

    def call(self, inputs):
        shape = ops.shape(inputs)
        flat = ops.reshape(inputs, (shape[0], -1, shape[3]))
        attended = ops.matmul(ops.cast(self.attention(inputs), inputs.dtype), self.value(flat))
        out = ops.reshape(self.output_projection(attended), shape)
        return inputs + ops.cast(self.gamma, inputs.dtype) * out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "reduction": self.reduction}
