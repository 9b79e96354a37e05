"""SinGAN in runs: one image file as data, one scale per epoch, SiFID in the summary."""

import warnings

import tensorflow as tf

from keras_gan.runs.config import RunError
from keras_gan.runs.kinds.base import Kind, optimizer


class SingleImage(Kind):
    """`SinGAN`: one image, a pyramid of scales trained one epoch each."""

    name = "single_image"

    def matches(self, config):
        return config["model"] == "SinGAN"

    def build_examples(self, config):
        return build_examples(config)

    def schedule(self, config, count, sample_shape):
        return schedule(config, sample_shape)

    def build_model(self, config, sample_shape, total_steps=None):
        return build_model(config)

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        from keras_gan import callbacks

        # image | reconstruction | samples
        return [callbacks.TranslationGrid((), samples_dir,
                                          every_n_epochs=config["sample_every"])]

    def summary(self, config, model, sample_shape):
        return summary(model, config, config["eval_extractor"])


def _image(config):
    from keras_gan import data

    return data.load_image(config["dataset"], config["max_size"], config["channels"] or 3)


def build_examples(config):
    """`(dataset of the one image, 1, its shape)`."""
    image = _image(config)
    return tf.data.Dataset.from_tensors(image), 1, image.shape


def schedule(config, sample_shape):
    """`(epochs, steps_per_epoch)`: one epoch per scale of the pyramid."""
    from keras_gan.models.singan import pyramid_sizes

    if config["steps"] is not None:
        raise RunError("SinGAN trains one epoch per scale: set the iterations per scale with "
                       "--set steps_per_scale=N instead of --steps.")
    args = {k: v for k, v in config["model_args"].items() if k in ("scale_factor", "min_size")}
    return len(pyramid_sizes(*sample_shape[:2], **args)), int(config["steps_per_scale"])


def build_model(config):
    from keras_gan import SinGAN

    if config.get("init") or config.get("freeze_d"):
        raise RunError("SinGAN trains on one image from scratch, one scale at a time; --init "
                       "and freeze_d are for the other recipes.")
    model = SinGAN(_image(config), seed=config["seed"], **config["model_args"])
    model.compile(d_optimizer=optimizer(config, config["d_learning_rate"]),
                  g_optimizer=optimizer(config, config["g_learning_rate"]),
                  jit_compile=config.get("jit", "auto"))
    return model


def summary(model, config, extractor_name, num_samples=8):
    """SiFID of `num_samples` random samples against the image (None, with
    the reason, when the feature extractor cannot be had)."""
    from keras_gan import metrics

    try:
        if extractor_name == "inception":
            extractor = metrics.sifid_extractor()
        else:
            import keras

            extractor = keras.models.load_model(extractor_name)
    except (RuntimeError, OSError, ValueError) as error:
        warnings.warn(f"SiFID not computed: {error}", stacklevel=2)
        return {"sifid": None, "sifid_error": str(error).split(". ")[0]}
    samples = model.generate(num_samples, seed=config["seed"])
    return {"sifid": metrics.sifid(model.image(), samples, extractor),
            "sifid_samples": num_samples, "sifid_extractor": extractor_name}
