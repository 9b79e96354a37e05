"""Engine options from Salimans et al. 2016: feature matching and historical averaging.

Both are switched on in `GAN.compile(feature_matching=..., historical_averaging=...)`;
one-sided label smoothing is an option of the logistic losses
(`losses.NonSaturating(label_smoothing=0.1)`) and minibatch discrimination a
layer (`layers.MinibatchDiscrimination`, `networks.dcgan_discriminator(
minibatch_kernels=...)`).

Reference:
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
    sections 3.1-3.3. https://arxiv.org/abs/1606.03498
"""

import keras
import tensorflow as tf

from keras_gan import _replicas


def feature_matching_loss(real_features, fake_features):
    """`||E f(x) - E f(G(z))||^2` over the global batch.

    The means are taken over every replica's samples, so one or N devices
    give the same value and the same gradient: the value uses the global
    means, and the gradient flows through this replica's share of the fake
    mean (the real features are constants for the generator).
    """
    real = tf.reduce_mean(tf.cast(real_features, tf.float32), axis=0)
    local = tf.reduce_mean(tf.cast(fake_features, tf.float32), axis=0)
    difference = _replicas.cross_replica_mean(local) - _replicas.cross_replica_mean(real)
    value = tf.reduce_sum(tf.square(difference))
    # d value / d local = 2 * difference / num_replicas on each replica; the
    # engine divides every replica's loss by num_replicas and sums gradients.
    return value + 2.0 * tf.reduce_sum(difference * (local - tf.stop_gradient(local)))


def feature_model(discriminator, layer):
    """A model returning the discriminator's outputs and the features of `layer`.

    `layer=True` picks the layer named `"features"` when there is one, else
    the input of the discriminator's last layer. The model shares the
    discriminator's layers (no copy).
    """
    if not isinstance(discriminator, keras.src.models.functional.Functional):
        raise ValueError(
            "feature_matching needs a functional discriminator (keras.Model(inputs, outputs)) to "
            f"read intermediate features from; {discriminator.name!r} is subclassed.")
    names = [item.name for item in discriminator.layers]
    if layer is True:
        features = (discriminator.get_layer("features").output if "features" in names
                    else discriminator.layers[-1].input)
    elif isinstance(layer, str) and layer in names:
        features = discriminator.get_layer(layer).output
    else:
        raise ValueError(
            f"feature_matching={layer!r}: pass True or the name of a discriminator layer "
            f"(one of {names}).")
    if isinstance(features, (list, tuple)):
        raise ValueError(
            f"feature_matching: the chosen features {layer!r} are several tensors; name one "
            "layer with a single output.")
    outputs = keras.tree.flatten(discriminator.outputs)
    return keras.Model(discriminator.inputs, [*outputs, features],
                       name=f"{discriminator.name}_with_features")


class HistoricalAverage(keras.layers.Layer):
    """Running means of the networks' weights for historical averaging.

    The penalty is `weight * sum ||theta - mean_{i<=t} theta_i||^2` over each
    network's trainable weights, added to that network's loss; the means
    are updated after every training step (after the generator's update)
    and saved with the model.

    Args:
        networks: the networks whose weights are averaged, keyed by role.
        weight: the penalty's weight.
    """

    def __init__(self, networks, weight, **kwargs):
        super().__init__(trainable=False, **kwargs)
        self.weight = float(weight)
        self._roles = {}
        for role, network in networks.items():
            averages = [
                self.add_weight(shape=tuple(v.shape), initializer="zeros", trainable=False,
                                dtype="float32", name=f"{role}_{index}_average",
                                aggregation="only_first_replica")
                for index, v in enumerate(network.trainable_variables)
            ]
            self._roles[role] = (network, averages)
        self.count = self.add_weight(shape=(), initializer="zeros", dtype="float32",
                                     trainable=False, name="count",
                                     aggregation="only_first_replica")
        self.built = True

    def penalty(self, role):
        """The weighted penalty of `role`'s current weights (0 before any update)."""
        network, averages = self._roles[role]
        terms = [tf.reduce_sum(tf.square(tf.cast(v, tf.float32) - a))
                 for v, a in zip(network.trainable_variables, averages)]
        seen = tf.cast(self.count > 0, tf.float32)
        return self.weight * seen * tf.add_n(terms) if terms else tf.zeros(())

    def update(self):
        """Folds the current weights of every network into the means."""
        count = self.count + 1.0
        for network, averages in self._roles.values():
            for v, a in zip(network.trainable_variables, averages):
                a.assign(a + (tf.cast(v, tf.float32) - a) / count)
        self.count.assign(count)


class RunningMeans(keras.layers.Layer):
    """Saved scalar running means of stateful penalties, one per name
    (e.g. the path-length target of `PathLengthPenalty`)."""

    def __init__(self, names, **kwargs):
        super().__init__(trainable=False, **kwargs)
        self.names = list(names)
        self.__dict__["means"] = {
            name: self.add_weight(shape=(), initializer="zeros", dtype="float32",
                                  trainable=False, name=f"{name}_mean",
                                  aggregation="only_first_replica")
            for name in self.names}
        self.built = True
