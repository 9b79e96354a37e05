import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class GradientReversal(keras.layers.Layer):
    """Identity forward; multiplies the gradient by `-lambda_` backward (DANN).

    Args:
        lambda_: the gradient scale (the paper's lambda), >= 0.

    Call arguments:
        inputs: any tensor.
        lambda_: optional scale for this call (a float or scalar tensor, e.g.
            DANN's schedule); overrides the constructor's.

    Reference:
        Ganin & Lempitsky, "Unsupervised Domain Adaptation by
        Backpropagation", 2015. https://arxiv.org/abs/1409.7495
    """

    def __init__(self, lambda_=1.0, **kwargs):
        super().__init__(**kwargs)
        if not lambda_ >= 0:
            raise ValueError(f"`lambda_` must be >= 0. Received: lambda_={lambda_}")
        self.lambda_ = float(lambda_)
        self.built = True

    def call(self, inputs, lambda_=None):
        scale = self.lambda_ if lambda_ is None else lambda_

        @tf.custom_gradient
        def reverse(x):
            def grad(upstream):
                return -scale * upstream

            return tf.identity(x), grad

        return reverse(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "lambda_": self.lambda_}
