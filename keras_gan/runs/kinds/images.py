"""Runs of the GAN family on images: noise (and labels) to images,
sample grids, FID/KID during training, a classifier's accuracy for the
semi-supervised model."""

import inspect

import numpy as np
import tensorflow as tf

from keras_gan.runs.config import RunError
from keras_gan.runs.kinds.base import Kind, augment, network, optimizer, penalties, start_from


class Images(Kind):
    """The default kind: a `GAN`-family model trained on an image dataset."""

    name = "images"

    def matches(self, config):
        return True

    def build_examples(self, config):
        from keras_gan import data

        labelled = bool(config["num_classes"])
        dataset = data.load_images(
            config["dataset"], split=config["split"], batch_size=None,
            image_size=config["image_size"], channels=config["channels"], shuffle=False,
            num_samples=config["num_samples"], center_crop=config["center_crop"],
            data_dir=config["data_dir"], labels=labelled)
        count = int(dataset.cardinality())
        if count < 0:  # unknown (filtering, split expressions): count once
            count = int(dataset.reduce(0, lambda n, _: n + 1))
        spec = dataset.element_spec[0] if labelled else dataset.element_spec
        if config["num_labelled"]:
            dataset = _keep_labels(dataset, config)
        return dataset, count, tuple(spec.shape)

    def build_model(self, config, sample_shape, total_steps=None):
        import keras_gan

        implied = _implied(config, sample_shape)
        generator = network(config["generator"], implied, "generator")
        discriminator = network(config["discriminator"], implied, "discriminator")
        model_class = getattr(keras_gan, config["model"])
        takes_classes = "num_classes" in inspect.signature(model_class).parameters
        conditional = {"num_classes": config["num_classes"]} if config["num_classes"] else {}
        if bool(conditional) != takes_classes:
            raise RunError(f"Set num_classes exactly for models with classes (received "
                           f"model={config['model']!r}, num_classes={config['num_classes']!r}).")
        ema = {"generator_ema": True} if config["ema_decay"] is not None else {}
        gan = model_class(generator, discriminator, latent_dim=config["latent_dim"],
                          seed=config["seed"], **ema, **conditional, **config["model_args"])
        start_from(config, gan)
        gan.compile(
            d_optimizer=optimizer(config, config["d_learning_rate"]),
            g_optimizer=optimizer(config, config["g_learning_rate"]),
            loss=config["loss"], penalties=penalties(config), d_steps=config["d_steps"],
            weight_clip=config["weight_clip"], feature_matching=config["feature_matching"],
            historical_averaging=config["historical_averaging"],
            augment=augment(config), lecam=config["lecam"], top_k=config["top_k"],
            jit_compile=config.get("jit", "auto"))
        return gan

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        from keras_gan import callbacks
        from keras_gan.runs import evaluation

        result = [callbacks.SampleGrid(samples_dir, every_n_epochs=config["sample_every"],
                                       traversal=hasattr(model, "traversal_latents"))]
        if config["eval_metrics"]:
            result.append(evaluation.evaluation_callback(config, sample_shape))
        return result

    def summary(self, config, model, sample_shape):
        if not hasattr(model, "classify"):
            return {}
        from keras_gan.runs import evaluation

        return evaluation.classifier_accuracy(model, config, sample_shape)


def _implied(config, sample_shape):
    """Builder arguments that follow from the configuration and the data."""
    implied = {"latent_dim": config["latent_dim"]}
    if config["num_classes"]:
        implied["num_classes"] = config["num_classes"]
    if len(sample_shape) == 3:
        implied.update(resolution=sample_shape[0], channels=sample_shape[-1])
    else:
        implied.update(output_dim=sample_shape[0], input_dim=sample_shape[0])
    return implied


def _keep_labels(dataset, config):
    """The dataset with all but `num_labelled` class-balanced labels set to -1."""
    from keras_gan.data import keep_labels

    classes = config["num_classes"]
    if not classes or config["num_labelled"] % classes:
        raise RunError(f"num_labelled={config['num_labelled']} must be a multiple of "
                       f"num_classes={classes} (the same number of labels per class).")
    labels = np.fromiter(dataset.map(lambda _, y: y).as_numpy_iterator(), np.int64)
    kept = keep_labels(labels, config["num_labelled"] // classes, seed=config["seed"])
    return tf.data.Dataset.zip((dataset.map(lambda x, _: x),
                                tf.data.Dataset.from_tensor_slices(kept)))
