"""DANN: domain-adversarial training through a gradient reversal layer."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan._checks import check_positive_int
from keras_gan.layers import GradientReversal
from keras_gan.models.engine import Engine, Phase

_KEYS = ("source", "labels", "target")


def reversal_schedule(progress, gamma=10.0):
    """DANN's adaptation factor `lambda_p = 2 / (1 + exp(-gamma p)) - 1`,
    from 0 at the start (`p = 0`) towards 1 (Ganin et al. 2016, eq. 14)."""
    return 2.0 / (1.0 + tf.exp(-gamma * progress)) - 1.0


@keras.saving.register_keras_serializable(package="keras_gan")
class DANN(Engine):
    """Domain-adversarial neural network: a classifier whose features cannot
    tell the source domain from the target domain.

    A feature extractor `G_f` feeds a label classifier `G_y` (trained on the
    labelled source images) and, through a `GradientReversal` layer, a
    domain classifier `G_d` (source 0, target 1). One phase minimizes
    `CE(G_y(G_f(x_s)), y_s) + domain_weight * BCE(G_d(R(G_f(x))), d)`: the
    domain classifier learns to tell the domains apart while the reversed
    gradient trains the features to confuse it. The reversal's scale follows
    the paper's schedule `lambda_p = lambda_max * (2 / (1 + exp(-gamma p)) - 1)`,
    `p = step / schedule_steps` (the step counter is saved, so a resumed run
    continues the schedule). Both terms are batch means: one or N replicas
    train identically.

    Data: `fit()` takes a dict `{"source": images, "labels": class ids,
    "target": unlabelled target images}` (arrays of one length, or a
    `tf.data.Dataset` of such dicts). Batches pair `B` source with `B`
    target images.

    Args:
        features: a `keras.Model` from images to features.
        classifier: a `keras.Model` from features to `num_classes` logits.
        domain_classifier: a `keras.Model` from features to one domain logit.
        num_classes: number of classes.
        schedule_steps: the steps over which `p` grows from 0 to 1 (the
            run's length).
        lambda_max: the largest reversal scale (1 in the paper).
        gamma: the schedule's steepness (10).
        domain_weight: weight of the domain loss (1; 0 trains the source-only
            baseline with the same networks).
        seed, **kwargs: as for `keras_gan.GAN`.

    Compile: `optimizer` (default SGD(0.01, momentum=0.9) with
    `schedules.AnnealedDecay`, the paper's) and Keras's own arguments.

    Logged: `dann_loss`, `class_loss`, `domain_loss`, `source_accuracy`,
    `domain_accuracy` and `reversal` (lambda_p); `evaluate()` on a dict with
    `"target"` and `"target_labels"` reports `target_accuracy`.

    Reference:
        Ganin & Lempitsky, "Unsupervised Domain Adaptation by
        Backpropagation", ICML 2015. https://arxiv.org/abs/1409.7495
        Ganin et al., "Domain-Adversarial Training of Neural Networks",
        JMLR 2016. https://arxiv.org/abs/1505.07818
    """

    def __init__(self, features, classifier, domain_classifier, num_classes,
                 schedule_steps=10000, lambda_max=1.0, gamma=10.0, domain_weight=1.0,
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        for role, network in (("features", features), ("classifier", classifier),
                              ("domain_classifier", domain_classifier)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(f"`{role}` must be a keras.Model. Received: {role}={network!r}")
        check_positive_int(num_classes=num_classes, schedule_steps=schedule_steps)
        for name, value in (("lambda_max", lambda_max), ("gamma", gamma),
                            ("domain_weight", domain_weight)):
            if isinstance(value, bool) or not float(value) >= 0:
                raise ValueError(f"`{name}` must be >= 0. Received: {name}={value!r}")
        self.features, self.classifier = features, classifier
        self.domain_classifier = domain_classifier
        self.num_classes = int(num_classes)
        self.schedule_steps = int(schedule_steps)
        self.lambda_max, self.gamma = float(lambda_max), float(gamma)
        self.domain_weight = float(domain_weight)
        self.reversal = GradientReversal(name="gradient_reversal")
        self._check_networks()
        self.built = True

    def _check_networks(self):
        shape = self.features.inputs[0].shape if getattr(self.features, "inputs", None) else None
        if shape is None:
            return
        hidden = self.features.compute_output_spec(keras.KerasTensor((2, *shape[1:])))
        logits = self.classifier.compute_output_spec(hidden)
        domain = self.domain_classifier.compute_output_spec(hidden)
        if tuple(logits.shape[1:]) != (self.num_classes,):
            raise ValueError(f"The classifier must return {self.num_classes} logits per image; "
                             f"it returns shape {tuple(logits.shape[1:])}.")
        if int(np.prod(domain.shape[1:])) != 1:
            raise ValueError("The domain classifier must return one logit per image; it "
                             f"returns shape {tuple(domain.shape[1:])}.")

    def reversal_scale(self, step=None):
        """lambda_p at `step` (default: the model's step counter)."""
        step = self.step_counter if step is None else step
        progress = tf.minimum(tf.cast(step, tf.float32) / self.schedule_steps, 1.0)
        return self.lambda_max * reversal_schedule(progress, self.gamma)

    # --- the engine's hooks -------------------------------------------------------------

    def phases(self):
        return [Phase("dann", ("features", "classifier", "domain_classifier"), "dann_optimizer")]

    def compile(self, optimizer=None, **kwargs):
        """Configures training: `optimizer` (default: the paper's SGD with
        momentum 0.9 and annealed learning rate 0.01) and Keras's arguments."""
        if optimizer is not None:
            kwargs.setdefault("dann_optimizer", optimizer)
        super().compile(**kwargs)

    def default_compile_args(self):
        from keras_gan.schedules import AnnealedDecay

        return {"dann_optimizer": keras.optimizers.SGD(
            AnnealedDecay(0.01, self.schedule_steps), momentum=0.9)}

    def log_names(self):
        return ["class_loss", "domain_loss", "source_accuracy", "domain_accuracy", "reversal"]

    def evaluation_names(self):
        return ["target_accuracy", "class_loss", "source_accuracy"]

    def unpack_batch(self, data, step):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        if not isinstance(x, dict):
            raise ValueError(
                "DANN trains on a dict {'source': images, 'labels': class ids, 'target': "
                f"images}}. Received: {type(x).__name__}")
        return {key: tf.convert_to_tensor(value) for key, value in x.items()}

    def _class_terms(self, images, labels, training):
        logits = tf.cast(self.classifier(self.features(images, training=training),
                                         training=training), tf.float32)
        labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        return loss, _accuracy(logits, labels)

    def phase_loss(self, phase, batch, step):
        missing = [key for key in _KEYS if key not in batch]
        if missing:
            raise ValueError(f"DANN's training batches need the keys {list(_KEYS)}; "
                             f"{missing} are missing (received {sorted(batch)}).")
        source = tf.cast(batch["source"], tf.float32)
        target = tf.cast(batch["target"], tf.float32)
        labels = tf.cast(tf.reshape(batch["labels"], [-1]), tf.int32)
        count = tf.shape(source)[0]
        hidden = self.features(tf.concat([source, target], 0), training=True)
        logits = tf.cast(self.classifier(hidden[:count], training=True), tf.float32)
        class_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        scale = self.reversal_scale(step.counter)
        domain_logits = tf.reshape(tf.cast(self.domain_classifier(
            self.reversal(hidden, lambda_=scale), training=True), tf.float32), [-1])
        domains = tf.concat([tf.zeros([count]), tf.ones([tf.shape(target)[0]])], 0)
        domain_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(domains,
                                                                            domain_logits))
        logs = {
            "class_loss": class_loss, "domain_loss": domain_loss, "reversal": scale,
            "source_accuracy": _accuracy(logits, labels),
            "domain_accuracy": tf.reduce_mean(tf.cast(tf.equal(
                tf.cast(domain_logits > 0, tf.float32), domains), tf.float32)),
        }
        return class_loss + self.domain_weight * domain_loss, logs

    def evaluation_logs(self, batch, step):
        logs = {}
        if "source" in batch and "labels" in batch:
            logs["class_loss"], logs["source_accuracy"] = self._class_terms(
                batch["source"], batch["labels"], False)
        if "target_labels" in batch:
            _, logs["target_accuracy"] = self._class_terms(batch["target"],
                                                           batch["target_labels"], False)
        return logs

    # --- using the classifier ------------------------------------------------------------

    def classify(self, images, batch_size=256):
        """Class ids predicted for `images` (NumPy)."""
        images = np.asarray(images, np.float32)
        return np.concatenate([
            np.argmax(keras.ops.convert_to_numpy(self.call(images[i:i + batch_size])), -1)
            for i in range(0, len(images), batch_size)])

    def accuracy(self, images, labels, batch_size=256):
        """The fraction of `images` classified as `labels`."""
        return float(np.mean(self.classify(images, batch_size) == np.asarray(labels).reshape(-1)))

    def call(self, images, training=False):
        """Class logits of `images`."""
        return self.classifier(self.features(images, training=training), training=training)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                **{key: keras.saving.serialize_keras_object(getattr(self, key))
                   for key in ("features", "classifier", "domain_classifier")},
                "num_classes": self.num_classes, "schedule_steps": self.schedule_steps,
                "lambda_max": self.lambda_max, "gamma": self.gamma,
                "domain_weight": self.domain_weight, "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("features", "classifier", "domain_classifier"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def _accuracy(logits, labels):
    return tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, -1, tf.int32), labels), tf.float32))

