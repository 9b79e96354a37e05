"""What every kind of run provides, and the pieces the kinds share.

A kind of run (`keras_gan.runs.kinds`) turns a configuration into the run's
examples, its compiled model, the callbacks that show its progress and the
extra figures of its summary. `Kind` holds the defaults; a kind overrides
what differs.
"""

import inspect
import math

import keras

from keras_gan.runs.config import RunError


class Kind:
    """One kind of training run; subclasses override what differs."""

    name = "kind"

    def matches(self, config):
        """True when this kind trains `config` (the first match in `KINDS` wins)."""
        raise NotImplementedError

    def build_examples(self, config):
        """The unbatched, unshuffled examples `(dataset, count, sample_shape)`."""
        raise NotImplementedError

    def build_model(self, config, sample_shape, total_steps=None):
        """The compiled model (under the current strategy's scope);
        `total_steps` sizes learning-rate schedules."""
        raise NotImplementedError

    def schedule(self, config, count, sample_shape):
        """`(epochs, steps_per_epoch)`: whole passes over the data, or `steps`
        split into the fewest epochs of at most one pass each."""
        per_pass = count // config["batch_size"]
        if per_pass < 1:
            raise RunError(f"The dataset has {count} examples, fewer than one batch of "
                           f"{config['batch_size']}; lower batch_size.")
        if config["steps"] is None:
            return int(config["epochs"]), per_pass
        epochs = math.ceil(config["steps"] / per_pass)
        return epochs, math.ceil(config["steps"] / epochs)

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        """The chief's callbacks that write `samples_dir/epoch_NNNN*.png` (and
        evaluate, where the kind does)."""
        return []

    def summary(self, config, model, sample_shape):
        """Extra entries of `summary.json` after training."""
        return {}


#: The networks `start_from` copies from another run, where both models have them.
NETWORKS = ("generator", "discriminator", "ema_generator", "inverse_generator",
            "inverse_discriminator", "encoder")


def start_from(config, model):
    """Before `compile`: the weights of `config["init"]` (another run's
    directory or a `.keras` model) copied into `model`'s networks, and the
    first `config["freeze_d"]` discriminator blocks frozen (FreezeD)."""
    from keras_gan.networks import freeze_blocks

    if config.get("init"):
        from keras_gan.runs.directory import load_run

        source, _ = load_run(config["init"])
        copied = []
        for name in NETWORKS:
            target, origin = getattr(model, name, None), getattr(source, name, None)
            if target is None or origin is None:
                continue
            mismatch = [(w.path, tuple(w.shape), tuple(v.shape))
                        for w, v in zip(target.weights, origin.weights) if w.shape != v.shape]
            if mismatch or len(target.weights) != len(origin.weights):
                detail = (f"{mismatch[0][0]} is {mismatch[0][1]} here, {mismatch[0][2]} there"
                          if mismatch else f"{len(target.weights)} weights here, "
                          f"{len(origin.weights)} there")
                raise RunError(f"--init {config['init']}: its {name} does not fit this run's "
                               f"({detail}); build the same networks (same --set options).")
            target.set_weights(origin.get_weights())
            copied.append(name)
        if getattr(model, "ema_generator", None) is not None and "ema_generator" not in copied:
            model.ema_generator.set_weights(model.generator.get_weights())
        if "generator" not in copied:
            raise RunError(f"--init {config['init']}: it has no generator to start from.")
    if config.get("freeze_d"):
        try:
            freeze_blocks(model.discriminator, int(config["freeze_d"]))
        except ValueError as error:
            raise RunError(f"freeze_d={config['freeze_d']}: {error}") from None


def network(spec, implied, role):
    """The network of a `{"builder": NAME, **arguments}` section; `implied`
    arguments (from the data and the configuration) fill in those the
    builder takes and the section leaves out."""
    from keras_gan import networks

    spec = dict(spec)
    name = spec.pop("builder")
    builder = getattr(networks, name, None)
    if builder is None:
        raise RunError(f"{role}.builder={name!r} is not in keras_gan.networks "
                       f"({', '.join(networks.__all__)}).")
    accepted = inspect.signature(builder).parameters
    for key, value in implied.items():
        if key in accepted and key not in spec:
            spec[key] = value
    unknown = set(spec) - set(accepted)
    if unknown:
        raise RunError(f"{role} builder {name} has no argument(s) {sorted(unknown)}; it takes "
                       f"{', '.join(accepted)}.")
    return builder(**spec)


def optimizer(config, learning_rate):
    """The configured optimizer (`adam` with its betas, or `rmsprop`)."""
    kind = config["optimizer"].lower()
    if kind == "adam":
        return keras.optimizers.Adam(learning_rate, beta_1=config["beta_1"],
                                     beta_2=config["beta_2"])
    if kind == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    raise RunError(f"optimizer={config['optimizer']!r}: use 'adam' or 'rmsprop'.")


def augment(config):
    """The `augment` compile option of `config`: None, a DiffAugment policy
    or "ada" as given, or a dict `{"name": "ada" | "diffaugment", **arguments}`
    (e.g. `--set 'augment={"name": "ada", "kimg": 100}'`)."""
    from keras_gan import augment as augment_lib

    spec = config["augment"]
    if not isinstance(spec, dict):
        return spec
    spec = dict(spec)
    name = str(spec.pop("name", "")).lower()
    classes = {"ada": augment_lib.AdaptiveAugment, "diffaugment": augment_lib.DiffAugment}
    if name not in classes:
        raise RunError(f"augment={config['augment']!r}: a dict needs name 'ada' or "
                       "'diffaugment' and that class's arguments.")
    try:
        return classes[name](**spec)
    except (TypeError, ValueError) as error:
        raise RunError(f"augment={config['augment']!r}: {error}") from None


def penalties(config):
    """The penalty objects of `config["penalties"]`: names, or dicts of a
    name with settings (`{"name": "r1", "weight": 0.5, "interval": 4}`)."""
    from keras_gan import regularizers

    result = []
    for spec in config["penalties"]:
        spec = {"name": spec} if isinstance(spec, str) else dict(spec)
        penalty = regularizers.get(spec.pop("name"))
        result.append(type(penalty).from_config({**penalty.get_config(), **spec}))
    return result
