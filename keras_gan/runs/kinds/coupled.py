"""Runs of `CoGAN`: two unpaired domains made from one image dataset (its
first half as domain A, the second half transformed into domain B)."""

import numpy as np

from keras_gan.runs.config import RunError
from keras_gan.runs.kinds.images import Images

#: How the second domain is made from its images (in [-1, 1]).
TRANSFORMS = ("negative", "edges")


def second_domain(images, transform):
    """Domain B's images: `"negative"` (`-x`, the paper's digits and their
    negatives) or `"edges"` (the Sobel gradient magnitude, scaled to
    [-1, 1]: the paper's digits and edge maps)."""
    import tensorflow as tf

    if transform == "negative":
        return -images
    if transform == "edges":
        edges = tf.image.sobel_edges(tf.constant((images + 1.0) / 2.0, tf.float32))
        magnitude = tf.sqrt(tf.reduce_sum(tf.square(edges), axis=-1)).numpy()
        return (np.clip(magnitude / 2.0, 0.0, 1.0) * 2.0 - 1.0).astype(np.float32)
    raise RunError(f"model_args.domain_b={transform!r}: use one of {TRANSFORMS}.")


class Coupled(Images):
    """`CoGAN` on `dataset`: images split in two halves, the second turned
    into domain B by `model_args.domain_b` ("negative" or "edges"), paired
    at random (`CoGAN.pair_domains`). Networks from `cogan_networks`
    (the `generator` section; the discriminator comes with it)."""

    name = "coupled"

    def matches(self, config):
        return config["model"] == "CoGAN"

    def build_examples(self, config):
        import tensorflow as tf

        import keras_gan

        dataset, count, shape = super().build_examples(config)
        images = np.stack(list(dataset.as_numpy_iterator()))
        half = len(images) // 2
        transform = config["model_args"].get("domain_b", "negative")
        pairs = keras_gan.CoGAN.pair_domains(images[:half],
                                             second_domain(images[half:], transform),
                                             seed=config["seed"])
        return tf.data.Dataset.from_tensor_slices(pairs), len(pairs), tuple(pairs.shape[1:])

    def build_model(self, config, sample_shape, total_steps=None):
        import keras_gan
        from keras_gan.runs.kinds.base import network, optimizer

        spec = dict(config["generator"])
        if spec.get("builder") != "cogan_networks":
            raise RunError("CoGAN builds its coupled pair with generator.builder="
                           f"'cogan_networks'; received {spec.get('builder')!r}.")
        implied = {"latent_dim": config["latent_dim"], "resolution": sample_shape[0],
                   "channels": sample_shape[-1] // 2}
        generator, discriminator = network(spec, implied, "generator")
        args = {k: v for k, v in config["model_args"].items() if k != "domain_b"}
        model = keras_gan.CoGAN(generator, discriminator, latent_dim=config["latent_dim"],
                                seed=config["seed"], **args)
        model.compile(d_optimizer=optimizer(config, config["d_learning_rate"]),
                      g_optimizer=optimizer(config, config["g_learning_rate"]),
                      loss=config["loss"], d_steps=config["d_steps"],
                      jit_compile=config.get("jit", "auto"))
        return model
