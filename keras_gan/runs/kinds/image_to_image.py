"""Runs of image-to-image models: paired, unpaired, super-resolution and
attribute data, and input | output | target grids.

`config["pairing"]` names the data an image-to-image model trains on:
`"paired"` (pix2pix: `load_pairs` of `dataset` [+ `target_dataset`]),
`"unpaired"` (CycleGAN: `load_unpaired` of `dataset`/`split` and
`target_dataset`/`target_split`), `"super_resolution"` (SRGAN: high-resolution
images of `dataset`, low-resolution inputs made by `degrade` with `scale`),
`"attributes"` (StarGAN: `attributes` of a tensorflow-datasets source such as
`celeb_a`, or one-hot sub-folder classes of a folder), `"refinement"` (SimGAN:
`(synthetic, real)` from `data.load_refinement(dataset)`, `num_samples` each)
and None (the context encoder: images alone).
"""

import inspect
import os

import numpy as np
import tensorflow as tf

from keras_gan.runs.config import RunError
from keras_gan.runs.kinds.base import Kind, network, optimizer, penalties, start_from

PAIRINGS = (None, "paired", "unpaired", "super_resolution", "attributes", "refinement")


class ImageToImage(Kind):
    """`ImageToImageGAN` models (Pix2Pix, CycleGAN, SRGAN, StarGAN, ContextEncoder)."""

    name = "image_to_image"

    def matches(self, config):
        import keras_gan

        return issubclass(getattr(keras_gan, config["model"]), keras_gan.ImageToImageGAN)

    def build_examples(self, config):
        return build_examples(config)

    def build_model(self, config, sample_shape, total_steps=None):
        return build_model(config, sample_shape, total_steps)

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        from keras_gan import callbacks

        return [callbacks.TranslationGrid(preview_examples(examples), samples_dir,
                                          every_n_epochs=config["sample_every"])]


def build_examples(config):
    """`(unbatched dataset, count, shapes)` where `shapes` has the shapes of
    `"inputs"` and `"targets"` (equal for models on images alone)."""
    from keras_gan import data
    from keras_gan.data import images as images_lib

    pairing = config["pairing"]
    if pairing not in PAIRINGS:
        raise RunError(f"pairing={pairing!r}: use one of {', '.join(map(str, PAIRINGS))}.")
    common = dict(image_size=config["image_size"], channels=config["channels"],
                  num_samples=config["num_samples"], data_dir=config["data_dir"])
    if pairing == "paired":
        dataset = data.load_pairs(config["dataset"], config["target_dataset"], split=config["split"],
                                  batch_size=None, shuffle=False,
                                  features=tuple(config["pair_features"]),
                                  direction=config["direction"], **common)
    elif pairing == "unpaired":
        dataset = data.load_unpaired(
            config["dataset"], config["target_dataset"],
            splits=(config["split"], config["target_split"] or config["split"]),
            batch_size=None, shuffle=False, **common)
    elif pairing == "attributes":
        dataset = _attribute_examples(config, images_lib)
    elif pairing == "refinement":
        synthetic, real, _ = data.load_refinement(config["dataset"],
                                                  config["num_samples"] or 4000,
                                                  seed=config["seed"])
        dataset = tf.data.Dataset.from_tensor_slices((synthetic, real))
    else:
        dataset = data.load_images(config["dataset"], split=config["split"], batch_size=None,
                                   shuffle=False, center_crop=config["center_crop"],
                                   feature=config["image_feature"], **common)
        if pairing == "super_resolution":
            scale = config["scale"]
            dataset = dataset.map(lambda hr: (data.degrade(hr, scale), hr))
    count = int(dataset.cardinality())
    if count < 0:
        count = int(dataset.reduce(0, lambda n, _: n + 1))
    spec = dataset.element_spec
    if isinstance(spec, tuple):
        shapes = {"inputs": tuple(spec[0].shape), "targets": tuple(spec[-1].shape)
                  if pairing != "attributes" else tuple(spec[0].shape)}
        if pairing == "attributes":
            shapes["labels"] = tuple(spec[1].shape)
    else:
        shapes = {"inputs": tuple(spec.shape), "targets": tuple(spec.shape)}
    return dataset, count, shapes


def _attribute_examples(config, images_lib):
    source, names = config["dataset"], config["attributes"]
    size = images_lib._size(config["image_size"])

    def prepare(image):
        return images_lib._prepare(image, config["channels"], config["center_crop"], size)

    if os.path.isdir(str(source)):
        dataset, _ = images_lib._from_folder(source, labels=True)
        classes = len({os.path.relpath(p, source).split(os.sep)[0]
                       for p in images_lib.image_files(source)})
        return dataset.map(lambda x, y: (prepare(x), tf.one_hot(y, classes)))
    if not names:
        raise RunError("pairing='attributes' needs `attributes` (names of the dataset's "
                       "attributes, e.g. [\"Black_Hair\", \"Male\"]) or a folder of classes.")
    dataset, _ = images_lib._from_tfds(source, config["split"], False, config["data_dir"],
                                       keys=("image", "attributes"))
    missing = [n for n in names if n not in dataset.element_spec[1]]
    if missing:
        raise RunError(f"{source} has no attribute(s) {missing}; it has "
                       f"{sorted(dataset.element_spec[1])}.")
    if config["num_samples"]:
        dataset = dataset.take(config["num_samples"])
    return dataset.map(lambda image, attributes: (
        prepare(image), tf.stack([tf.cast(attributes[n], tf.float32) for n in names])))


def build_model(config, shapes, total_steps):
    """The compiled image-to-image model of `config`."""
    import keras_gan
    from keras_gan import schedules

    inputs, targets = shapes["inputs"], shapes["targets"]
    implied = {"resolution": targets[0], "channels": inputs[-1],
               "output_channels": targets[-1], "input_channels": inputs[-1],
               "target_channels": targets[-1], "scale": config["scale"]}
    if "labels" in shapes:
        implied.update(label_dim=shapes["labels"][0], num_domains=shapes["labels"][0])
    model_class = getattr(keras_gan, config["model"])
    arguments = {"generator": network(config["generator"], implied, "generator"),
                 "discriminator": network(config["discriminator"], implied, "discriminator")}
    if "inverse_generator" in inspect.signature(model_class).parameters:
        inverse = {**implied, "channels": targets[-1], "output_channels": inputs[-1],
                   "target_channels": inputs[-1], "resolution": inputs[0]}
        arguments["inverse_generator"] = network(
            {**config["generator"], "name": "inverse_generator"}, inverse, "generator")
        arguments["inverse_discriminator"] = network(
            {**config["discriminator"], "name": "inverse_discriminator"}, inverse,
            "discriminator")
    if "domains" in inspect.signature(model_class).parameters and "domains" not in \
            config["model_args"]:
        arguments["domains"] = shapes["labels"][0]
    model = model_class(**arguments, seed=config["seed"], **config["model_args"])
    start_from(config, model)

    def rate(value):
        if not config["linear_decay"]:
            return value
        half = total_steps // 2
        return schedules.LinearDecay(value, decay_start=half, decay_steps=max(1, total_steps - half))

    model.compile(d_optimizer=optimizer(config, rate(config["d_learning_rate"])),
                  g_optimizer=optimizer(config, rate(config["g_learning_rate"])),
                  loss=config["loss"], penalties=penalties(config), d_steps=config["d_steps"],
                  loss_weights=config["loss_weights"] or None,
                  jit_compile=config.get("jit", "auto"))
    return model


def preview_examples(examples, count=6):
    """The first `count` examples as NumPy arrays in the model's data format."""
    batch = next(iter(examples.batch(count).take(1)))
    if isinstance(batch, tuple):
        return tuple(np.asarray(x) for x in batch)
    return np.asarray(batch)
