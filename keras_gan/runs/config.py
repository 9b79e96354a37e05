"""A run's configuration: the defaults, recipe resolution, `--set` overrides
and their validation.

A configuration is plain JSON-serialisable data: `DEFAULTS` updated by a
recipe's `CONFIG` (see `recipes/`) and then by `--set key=value` options
(dotted keys reach into the network sections, e.g.
`generator.base_filters=32`); every value keeps the type of its default.
"""

import copy
import json

DEFAULTS = {
    "recipe": None,
    "paper": "",
    "expected": "",
    "model": "GAN",
    "dataset": "mnist",
    "split": "train",
    "image_size": None,
    "channels": None,
    "center_crop": None,
    "num_samples": None,
    "dataset_size": 100000,
    "data_dir": None,
    "latent_dim": 100,
    "num_classes": None,  # models with classes (ConditionalGAN, ACGAN, BigGAN, SemiSupervisedGAN, DANN)
    "num_labelled": None,  # SemiSupervisedGAN: labels kept (class-balanced), the rest -1
    "test_split": "test",  # SemiSupervisedGAN: where the classifier's accuracy is measured
    "model_args": {},  # extra arguments of the model class (e.g. InfoGAN's codes)
    "feature_matching": None,  # Salimans et al. 2016 options of GAN.compile
    "historical_averaging": None,
    # Data-efficient training (GAN.compile): DiffAugment policy or "ada", LeCam weight,
    # top-k fraction (see keras_gan.augment; CR/bCR are penalties: "cr", "bcr").
    "augment": None,
    "lecam": None,
    "top_k": None,
    # Image-to-image models (see keras_gan/runs/kinds/image_to_image.py): the kind of data,
    # a second source/split, tfds features of pairs, side-by-side direction,
    # the tfds image feature, the super-resolution factor, StarGAN attributes,
    # the generator loss weights and CycleGAN's linear decay over the second half.
    "pairing": None,
    "target_dataset": None,
    "target_split": None,
    "pair_features": ["input", "target"],
    "direction": "a_to_b",
    "image_feature": "image",
    "scale": 4,
    "attributes": None,
    "loss_weights": {},
    "linear_decay": False,
    # SinGAN: iterations per scale and the longer side of its image.
    "steps_per_scale": 2000,
    "max_size": 250,
    # ProGAN's growth schedule: {"stable_images": N, "fade_images": M}
    # (keras_gan.callbacks.ProgressiveGrowing; models saved per resolution).
    "progressive": None,
    # The encoder of models with one (VAE, VAEGAN, BiGAN), e.g. {"builder": "conv_encoder"};
    # their decoder is the generator section.
    "encoder": None,
    "generator": {"builder": "dcgan_generator"},
    "discriminator": {"builder": "dcgan_discriminator"},
    "loss": "non_saturating",
    "penalties": [],
    "d_steps": 1,
    "weight_clip": None,
    "optimizer": "adam",
    "d_learning_rate": 2e-4,
    "g_learning_rate": 2e-4,
    "beta_1": 0.5,
    "beta_2": 0.999,
    "batch_size": 64,
    "epochs": 5,
    "steps": None,
    "ema_decay": None,
    "sample_every": 1,
    # Evaluation during training, e.g. --set eval_metrics=fid,kid: needs the
    # InceptionV3 weights (or eval_extractor=path/to/features.keras).
    "eval_metrics": None,
    "eval_samples": 5000,
    "eval_every": 5,
    "eval_extractor": "inception",
    "seed": 0,
    # Checkpoints kept (the newest is checkpoint.keras); --resume falls back to
    # the newest one that loads.
    "keep_checkpoints": 2,
    # TensorBoard logs in RUN/tensorboard (scalars, sample grids); false turns them off.
    "tensorboard": True,
    # Fine-tuning: start from another run's (or .keras model's) weights
    # (--init RUN), with the first freeze_d discriminator blocks frozen (FreezeD).
    "init": None,
    "freeze_d": 0,
}
# Keys that may change when a run is resumed: train longer, or lower the
# learning rates after a divergence.
RESUMABLE_CHANGES = ("epochs", "d_learning_rate", "g_learning_rate", "keep_checkpoints",
                     "tensorboard")
MIXTURES = ("ring", "grid")
_MODELS = ("GAN", "ConditionalGAN", "WGAN", "WGANGP", "LSGAN", "DRAGAN", "SNGAN", "ACGAN",
           "InfoGAN", "SemiSupervisedGAN", "BigGAN", "SAGAN", "ProGAN", "StyleGAN", "StyleGAN2",
           "SinGAN", "LAPGAN", "Pix2Pix", "CycleGAN", "SRGAN", "StarGAN", "ContextEncoder",
           "MMDGAN", "VAE", "VAEGAN", "BiGAN", "EBGAN", "DANN", "CoGAN", "SimGAN")


class RunError(ValueError):
    """A run cannot start or continue; the message says why and what to do."""


# --- configuration ----------------------------------------------------------

def resolve_config(recipe, overrides=(), **options):
    """The full configuration of `recipe` with `--set key=value` overrides
    and keyword options (e.g. `epochs=2`) applied and type-checked."""
    import recipes

    config = copy.deepcopy(DEFAULTS)
    config.update(copy.deepcopy(recipes.get(recipe)))
    for item in overrides:
        if "=" not in item:
            raise RunError(f"--set expects key=value; received {item!r}.")
        key, value = item.split("=", 1)
        _set(config, key.strip(), _parse(value))
    for key, value in options.items():
        if value is not None:
            _set(config, key, value)
    if config["steps"] is not None:
        config["epochs"] = None  # --steps decides the number of epochs (and wins over --epochs)
    if config["model"] not in _MODELS:
        raise RunError(f"model={config['model']!r} is not one of {', '.join(_MODELS)}.")
    return config


def _parse(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _set(config, key, value):
    """Sets `key` (dotted for nested dicts, e.g. `generator.base_filters`),
    checking that it exists and that the value has the default's type."""
    parts = key.split(".")
    target = config
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(target.get(part), dict):
            raise RunError(f"Unknown key {key!r}: {'.'.join(parts[:depth + 1])} is not a section.")
        target = target[part]
    name = parts[-1]
    nested = len(parts) > 1
    if name not in target and not nested:
        raise RunError(f"Unknown key {key!r}. Valid keys: {', '.join(sorted(config))}.")
    current = target.get(name)
    if current is not None and not _same_type(current, value):
        raise RunError(
            f"{key} must be {type(current).__name__} (like {current!r}); received {value!r}.")
    target[name] = value


def _same_type(current, value):
    if isinstance(current, bool) or isinstance(value, bool):
        return isinstance(current, bool) and isinstance(value, bool)
    if isinstance(current, (int, float)):
        return isinstance(value, (int, float)) and (isinstance(current, float) or
                                                    float(value).is_integer())
    return isinstance(value, type(current))
