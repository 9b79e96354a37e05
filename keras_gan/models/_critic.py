"""One discriminator call on the real and the fake batch, where that is the
same math: the discriminator judges each sample alone.

The keras-io examples call their critic once on `concat(real, fake)`; a
network with batch statistics (BatchNorm, minibatch standard deviation) or
per-call state (spectral normalization's power iteration) would compute
something else that way, so those keep one call per batch. Unknown layers
count as not per-sample. Dropout and noise layers draw independent noise for
every element (or sample), so one call on the 2x batch samples the same law
as two calls (other draws of it): they count as per-sample. (They did not
until the step's draws ran on Philox by name, `_rng.py`: with TensorFlow's
"auto_select" lowering a dropout critic called once on the 2x batch ran 3x
slower under XLA than two calls, 11.8 against 35.5 steps/s; with Philox one
call is the faster, 66.8 against 59.3 steps/s on the tutorial MLP of
`benchmarks/train_step.py`.)
"""

import weakref

import keras
import tensorflow as tf

#: Layers whose output for one sample depends on that sample (and noise drawn
#: independently for it) alone, and that keep no per-call state.
PER_SAMPLE_LAYERS = (
    keras.layers.InputLayer, keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D,
    keras.layers.DepthwiseConv2D, keras.layers.SeparableConv2D, keras.layers.Dense,
    keras.layers.EinsumDense, keras.layers.Embedding, keras.layers.Activation,
    keras.layers.LeakyReLU, keras.layers.ReLU, keras.layers.ELU, keras.layers.PReLU,
    keras.layers.Softmax, keras.layers.Flatten, keras.layers.Reshape, keras.layers.Permute,
    keras.layers.RepeatVector, keras.layers.Identity, keras.layers.Rescaling,
    keras.layers.ZeroPadding2D, keras.layers.Cropping2D, keras.layers.UpSampling2D,
    keras.layers.MaxPooling2D, keras.layers.AveragePooling2D,
    keras.layers.GlobalAveragePooling2D, keras.layers.GlobalMaxPooling2D,
    keras.layers.LayerNormalization, keras.layers.GroupNormalization, keras.layers.Add,
    keras.layers.Subtract, keras.layers.Multiply, keras.layers.Average,
    keras.layers.Concatenate, keras.layers.Dot,
    keras.layers.Dropout, keras.layers.SpatialDropout1D, keras.layers.SpatialDropout2D,
    keras.layers.SpatialDropout3D, keras.layers.GaussianDropout, keras.layers.GaussianNoise,
    keras.layers.AlphaDropout,
)

_verdicts = weakref.WeakKeyDictionary()


def per_sample_network(network):
    """True when every layer of `network` (nested models included) is one of
    `PER_SAMPLE_LAYERS`."""
    verdict = _verdicts.get(network)
    if verdict is None:
        verdict = all(isinstance(layer, (keras.Model, *PER_SAMPLE_LAYERS))
                      for layer in network._flatten_layers(include_self=False, recursive=True))
        _verdicts[network] = verdict
    return verdict


def judge_both(network, call, real, fake, conditions=()):
    """`(call(real, *conditions), call(fake, *conditions))`, computed as one
    `call` on `concat(real, fake)` (conditions repeated) when `network` is
    per-sample and both batches are single tensors of one sample shape."""
    if not (per_sample_network(network) and tf.is_tensor(real) and tf.is_tensor(fake)
            and real.shape[1:] == fake.shape[1:]):
        return call(real, *conditions), call(fake, *conditions)
    both = tf.concat([real, tf.cast(fake, real.dtype)], axis=0)
    paired = [keras.tree.map_structure(lambda c: tf.concat([c, c], axis=0), condition)
              for condition in conditions]
    outputs = call(both, *paired)
    count = tf.shape(real)[0]
    return (keras.tree.map_structure(lambda t: t[:count], outputs),
            keras.tree.map_structure(lambda t: t[count:], outputs))
