"""Training steps per second: the keras-gan engine against a plain keras-io step.

Both sides train the same networks in the same process, on the same in-memory
`tf.data` pipeline (batch 64): the project's DCGAN-28 builders, the keras-io
DCGAN example's networks and a tutorial-style MLP GAN (networks the project
did not write, without BatchNorm), and with `--models` DCGAN-64 and the SNGAN
CIFAR ResNets. Each is timed with XLA off, on, and at each side's default
("auto": Keras leaves XLA off on CPU-only machines; keras-gan measures both in
the first steps of a long run and keeps the faster, and those steps, the
decision and the cost of a 2-step smoke fit are reported in the row).
With `--precisions` it repeats the
comparison under mixed precision (default: float32, plus `mixed_float16` on a
GPU of compute capability 7.0 or newer and `mixed_bfloat16` on a CPU with
bfloat16 instructions; the baseline, like keras-io, does no loss scaling).
Each row also reports the step's
FLOPs (Dense/conv multiply-adds, backward = 2x forward), the achieved GFLOP/s
and its fraction of this machine's float32 matmul peak measured in the run. The
baseline is the hand-written `train_step` of the keras-io DCGAN and WGAN-GP
examples (discriminator on concatenated real and fake batches, one
`SeedGenerator`, no diagnostics). Runs are interleaved and repeated, and the
median is reported. Prints one JSON document.

    python benchmarks/train_step.py            # full run
    python benchmarks/train_step.py --steps 3 --repeats 1 --base-filters 8   # smoke
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_gan  # noqa: E402

LATENT_DIM = 128


class KerasIOGAN(keras.Model):
    """The keras-io DCGAN `train_step`, with logits (no sigmoid) in D."""

    def __init__(self, generator, discriminator, latent_dim):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        latents = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        generated = self.generator(latents, training=True)
        # (a network whose last layer is not float32 under a mixed policy)
        combined = tf.concat([tf.cast(generated, real_images.dtype), real_images], axis=0)
        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined, training=True)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        latents = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        misleading = tf.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(latents, training=True), training=True)
            g_loss = self.loss_fn(misleading, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


class KerasIOWGANGP(KerasIOGAN):
    """The keras-io WGAN-GP `train_step` (5 critic steps on one batch)."""

    d_steps = 5
    gp_weight = 10.0

    def gradient_penalty(self, batch_size, real_images, fake_images):
        alpha = keras.random.uniform((batch_size, 1, 1, 1), seed=self.seed_generator)
        interpolated = real_images + alpha * (fake_images - real_images)
        with tf.GradientTape() as tape:
            tape.watch(interpolated)
            pred = self.discriminator(interpolated, training=True)
        grads = tape.gradient(pred, [interpolated])[0]
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean((norm - 1.0) ** 2)

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        for _ in range(self.d_steps):
            latents = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            with tf.GradientTape() as tape:
                fake_images = self.generator(latents, training=True)
                fake_logits = self.discriminator(fake_images, training=True)
                real_logits = self.discriminator(real_images, training=True)
                d_cost = tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)
                gp = self.gradient_penalty(batch_size, real_images, fake_images)
                d_loss = d_cost + gp * self.gp_weight
            grads = tape.gradient(d_loss, self.discriminator.trainable_variables)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))

        latents = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            generated = self.generator(latents, training=True)
            g_loss = -tf.reduce_mean(self.discriminator(generated, training=True))
        grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


# (resolution, channels) of each benchmarked model: the project's builders,
# the keras-io DCGAN example's networks and a user-style MLP (neither written
# nor tuned by the project, no BatchNorm).
MODELS = {"dcgan28": (28, 1), "keras_io": (28, 1), "mlp28": (28, 1), "dcgan64": (64, 3),
          "sngan32": (32, 3)}
DEFAULT_MODELS = ("dcgan28", "keras_io", "mlp28")


def keras_io_networks():
    """The keras-io DCGAN example's networks (logits out of D)."""
    generator = keras.Sequential([
        keras.Input((LATENT_DIM,)),
        keras.layers.Dense(7 * 7 * 128), keras.layers.LeakyReLU(0.2),
        keras.layers.Reshape((7, 7, 128)),
        keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Conv2D(1, 7, padding="same", activation="tanh"),
    ], name="keras_io_generator")
    discriminator = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(64, 3, strides=2, padding="same"), keras.layers.LeakyReLU(0.2),
        keras.layers.Conv2D(128, 3, strides=2, padding="same"), keras.layers.LeakyReLU(0.2),
        keras.layers.GlobalMaxPooling2D(), keras.layers.Dense(1),
    ], name="keras_io_discriminator")
    return generator, discriminator


def user_mlp_networks():
    """The fully connected GAN of most "GAN from scratch" tutorials on MNIST
    (256-512-1024 generator, 512-256 discriminator with dropout)."""
    generator = keras.Sequential([
        keras.Input((LATENT_DIM,)),
        keras.layers.Dense(256), keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(512), keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(1024), keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(28 * 28, activation="tanh"), keras.layers.Reshape((28, 28, 1)),
    ], name="mlp_generator")
    discriminator = keras.Sequential([
        keras.Input((28, 28, 1)), keras.layers.Flatten(),
        keras.layers.Dense(512), keras.layers.LeakyReLU(0.2), keras.layers.Dropout(0.3),
        keras.layers.Dense(256), keras.layers.LeakyReLU(0.2), keras.layers.Dropout(0.3),
        keras.layers.Dense(1),
    ], name="mlp_discriminator")
    return generator, discriminator


def _networks(model, variant, base_filters):
    resolution, channels = MODELS[model]
    if model == "keras_io":
        return keras_io_networks()
    if model == "mlp28":
        return user_mlp_networks()
    if model == "sngan32":
        width = base_filters * 2  # SNGAN's CIFAR widths are 256 (G) / 128 (D) at 64 here
        generator = keras_gan.networks.resnet_generator(LATENT_DIM, 32, 3, widths=(width * 2,) * 3)
        discriminator = keras_gan.networks.resnet_discriminator(32, 3, widths=(width,) * 4)
        return generator, discriminator
    generator = keras_gan.networks.dcgan_generator(LATENT_DIM, resolution, channels,
                                                   base_filters=base_filters)
    discriminator = keras_gan.networks.dcgan_discriminator(
        resolution, channels, base_filters=base_filters, batchnorm=variant == "non_saturating")
    return generator, discriminator


def forward_flops(network):
    """Multiply-adds x 2 of one forward pass per sample (Dense and convolution
    layers; what dominates these networks)."""
    total = 0
    for layer in network._flatten_layers(include_self=False):
        kernel = getattr(layer, "kernel", None)
        if kernel is None or not hasattr(layer, "output"):
            continue
        shape = tuple(kernel.shape)
        try:
            out = tuple(layer.output.shape[1:])
            inp = tuple(layer.input.shape[1:])
        except (AttributeError, ValueError):
            continue
        if isinstance(layer, keras.layers.Dense):
            total += 2 * shape[0] * shape[1]
        elif isinstance(layer, keras.layers.Conv2DTranspose):
            total += 2 * inp[0] * inp[1] * shape[0] * shape[1] * shape[2] * shape[3]
        elif isinstance(layer, keras.layers.Conv2D):
            total += 2 * out[0] * out[1] * shape[0] * shape[1] * shape[2] * shape[3]
    return total


def step_flops(generator, discriminator, batch_size, d_steps=1):
    """FLOPs of one GAN step, counting a backward pass as twice the forward:
    each D step runs G forward and D forward+backward on real and fake; the
    G step runs G and D forward and backward."""
    g, d = forward_flops(generator), forward_flops(discriminator)
    return batch_size * (d_steps * (g + 3 * 2 * d) + 3 * (g + d))


def matmul_peak_gflops(size=2048, repeats=10):
    """Measured float32 matmul throughput of this machine (the roofline)."""
    a = tf.random.normal((size, size))
    matmul = tf.function(lambda x: tf.matmul(x, x))
    matmul(a).numpy()
    start = time.perf_counter()
    for _ in range(repeats):
        result = matmul(a)
    result.numpy()
    return 2 * size**3 * repeats / (time.perf_counter() - start) / 1e9


def _build(side, variant, jit, base_filters, model_name="dcgan28"):
    generator, discriminator = _networks(model_name, variant, base_filters)
    if variant == "non_saturating":
        d_opt, g_opt = keras.optimizers.Adam(2e-4, 0.5), keras.optimizers.Adam(2e-4, 0.5)
    else:
        d_opt = keras.optimizers.Adam(1e-4, 0.0, 0.9)
        g_opt = keras.optimizers.Adam(1e-4, 0.0, 0.9)
    if side == "engine":
        cls = keras_gan.GAN if variant == "non_saturating" else keras_gan.WGANGP
        model = cls(generator, discriminator, LATENT_DIM, seed=0)
        model.compile(d_optimizer=d_opt, g_optimizer=g_opt, jit_compile=jit)
    else:
        cls = KerasIOGAN if variant == "non_saturating" else KerasIOWGANGP
        model = cls(generator, discriminator, LATENT_DIM)
        model.compile(d_opt, g_opt, jit_compile=jit)
    return model


def supported_precisions():
    """float32, plus the mixed precision policy this hardware runs natively."""
    precisions = ["float32"]
    for gpu in tf.config.list_physical_devices("GPU"):
        capability = tf.config.experimental.get_device_details(gpu).get("compute_capability")
        if capability and capability >= (7, 0):
            return precisions + ["mixed_float16"]
    try:
        with open("/proc/cpuinfo") as handle:
            flags = handle.read()
    except OSError:
        flags = ""
    if "avx512_bf16" in flags or "amx_bf16" in flags:
        precisions.append("mixed_bfloat16")
    return precisions


def _dataset(batch_size, model="dcgan28"):
    resolution, channels = MODELS[model]
    images = tf.random.uniform((batch_size * 8, resolution, resolution, channels), -1.0, 1.0,
                               seed=0)
    return tf.data.Dataset.from_tensor_slices(images).batch(batch_size, drop_remainder=True) \
        .cache().repeat().prefetch(tf.data.AUTOTUNE)


class _StepTimer(keras.callbacks.Callback):
    """Records when each batch ends, so per-`fit` set-up is not timed."""

    def on_train_begin(self, logs=None):
        self.times = []

    def on_train_batch_end(self, batch, logs=None):
        self.times.append(time.perf_counter())


class _StopWhenDecided(keras.callbacks.Callback):
    """Ends a fit as soon as "auto" has measured and chosen."""

    def on_train_batch_end(self, batch, logs=None):
        from keras_gan.models import _xla

        if not isinstance(self.model.train_function, _xla.DecidingFunction):
            self.model.stop_training = True


def decide_as_shipped(model, dataset):
    """Runs the first steps of a long fit, in which "auto" measures XLA both
    ways and keeps the faster; returns (seconds, steps) those steps took."""
    from keras_gan.models import _xla

    timer = _StepTimer()
    start = time.perf_counter()
    model.fit(dataset, epochs=1, steps_per_epoch=max(_xla.MIN_STEPS, 100), verbose=0,
              callbacks=[_StopWhenDecided(), timer], shuffle=False)
    return time.perf_counter() - start, len(timer.times)


def smoke_seconds(side, variant, jit, base_filters, model_name, dataset, steps=2):
    """Wall-clock seconds of building, compiling and fitting `steps` steps."""
    start = time.perf_counter()
    model = _build(side, variant, jit, base_filters, model_name)
    model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
    return time.perf_counter() - start


def _steps_per_second(model, dataset, steps, warmup):
    """Steps per second after `warmup` steps (tracing, XLA compilation) in one fit."""
    timer = _StepTimer()
    model.fit(dataset, epochs=1, steps_per_epoch=warmup + steps, verbose=0, callbacks=[timer],
              shuffle=False)
    return steps / (timer.times[-1] - timer.times[warmup - 1])


def run(steps=30, warmup=3, repeats=3, batch_size=64, base_filters=64,
        variants=("non_saturating", "wasserstein_gp"), jit_modes=(False, True, "auto"),
        models=DEFAULT_MODELS, precisions=("float32",)):
    import tempfile

    # "auto" decides afresh here: no verdict cached by an earlier run counts.
    keras_home = os.environ.get("KERAS_HOME")
    os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="keras_home_")
    peak = matmul_peak_gflops()
    results = []
    try:
        for precision in precisions:
            keras.mixed_precision.set_global_policy(precision)
            for row in _run_models(steps, warmup, repeats, batch_size, base_filters, variants,
                                   jit_modes, models, peak):
                results.append({"precision": precision, **row})
    finally:
        keras.mixed_precision.set_global_policy("float32")
        if keras_home is None:
            os.environ.pop("KERAS_HOME", None)
        else:
            os.environ["KERAS_HOME"] = keras_home
    return {
        "benchmark": "train_step",
        "batch_size": batch_size,
        "base_filters": base_filters,
        "repeats": repeats,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "gpus": len(tf.config.list_physical_devices("GPU")),
        "threads": {"intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
                    "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
                    "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")},
        "hardware_precisions": supported_precisions(),
        "matmul_peak_gflops": round(peak, 1),
        "results": results,
        "min_ratio": min(r["ratio"] for r in results),
        # As shipped: both sides at their defaults (keras-gan "auto" measured).
        "min_ratio_as_shipped": min((r["ratio"] for r in results if r["jit"] == "auto"),
                                    default=None),
        # The target: the engine's DCGAN-28 step as shipped (defaults)
        # against the keras-io step as shipped.
        "dcgan28_default_ratio": next(
            (r["ratio"] for r in results if r["model"] == "dcgan28" and r["precision"] == "float32"
             and r["loss"] == "non_saturating" and r["jit"] == "auto"), None),
    }


def _run_models(steps, warmup, repeats, batch_size, base_filters, variants, jit_modes, models,
                peak):
    results = []
    for model_name in models:
        dataset = _dataset(batch_size, model_name)
        # WGAN-GP on the 28x28 networks (the larger builders: non-saturating only).
        model_variants = variants if MODELS[model_name][0] == 28 else ("non_saturating",)
        for variant in model_variants:
            variant_steps = steps if variant == "non_saturating" else max(1, steps // 4)
            for jit in jit_modes:
                built = {side: _build(side, variant, jit, base_filters, model_name)
                         for side in ("engine", "baseline")}
                shipped = {}
                if jit == "auto":  # as shipped: the first steps of a long run decide
                    seconds, measured = decide_as_shipped(built["engine"], dataset)
                    shipped = {"xla_decision": built["engine"].xla_decision,
                               "decision_fit_s": round(seconds, 2),
                               "decision_fit_steps": measured,
                               "smoke_2_steps_s": {
                                   "auto": round(smoke_seconds("engine", variant, "auto",
                                                               base_filters, model_name,
                                                               dataset), 2),
                                   "off": round(smoke_seconds("engine", variant, False,
                                                              base_filters, model_name,
                                                              dataset), 2)}}
                timings = {"engine": [], "baseline": []}
                for _ in range(repeats):
                    for side in ("baseline", "engine"):  # interleaved
                        timings[side].append(
                            _steps_per_second(built[side], dataset, variant_steps, warmup))
                engine = statistics.median(timings["engine"])
                baseline = statistics.median(timings["baseline"])
                d_steps = built["engine"].d_steps
                flops = step_flops(built["engine"].generator, built["engine"].discriminator,
                                   batch_size, d_steps)
                results.append({
                    "model": model_name,
                    "loss": variant,
                    "jit": jit,
                    "engine_jit": bool(built["engine"].jit_compile),
                    "baseline_jit": bool(built["baseline"].jit_compile),
                    "steps_timed": variant_steps,
                    "engine_steps_per_s": round(engine, 3),
                    "baseline_steps_per_s": round(baseline, 3),
                    "ratio": round(engine / baseline, 3),
                    "engine_images_per_s": round(engine * batch_size, 1),
                    "gflop_per_step": round(flops / 1e9, 2),
                    "engine_gflops": round(engine * flops / 1e9, 1),
                    "fraction_of_matmul_peak": round(engine * flops / 1e9 / peak, 3),
                    "engine_runs": [round(t, 3) for t in timings["engine"]],
                    "baseline_runs": [round(t, 3) for t in timings["baseline"]],
                    **shipped,
                })
    return results


def _jit_modes(parser, text):
    modes = {"off": False, "on": True, "auto": "auto"}
    names = [m.strip() for m in text.split(",")]
    unknown = sorted(set(names) - set(modes))
    if unknown:
        parser.error(f"unknown --jit-modes {unknown}; choose from off, on, auto")
    return tuple(modes[m] for m in names)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="timed steps (WGAN-GP: a quarter)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (>= 1)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--no-jit", action="store_true", help="measure only jit_compile=False")
    parser.add_argument("--jit-modes", default="off,on,auto",
                        help="comma list of off, on, auto (each side's default)")
    parser.add_argument("--precisions", default="auto",
                        help="comma list of float32, mixed_float16, mixed_bfloat16 "
                             "(default auto: float32 and what the hardware runs natively)")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS),
                        help=f"comma list of {', '.join(MODELS)} "
                             f"(default {','.join(DEFAULT_MODELS)})")
    parser.add_argument("--threads", default=None, metavar="INTRA,INTER",
                        help="TensorFlow's intra-op and inter-op thread pools (0: TF's "
                             "default); must come before TensorFlow runs anything")
    args = parser.parse_args(argv)
    if args.threads:
        try:
            intra, inter = (int(n) for n in args.threads.split(","))
        except ValueError:
            parser.error(f"--threads takes INTRA,INTER (two integers); received {args.threads!r}")
        tf.config.threading.set_intra_op_parallelism_threads(intra)
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    if args.warmup < 1 or args.steps < 1:
        parser.error("--warmup and --steps must be >= 1")
    unknown = set(args.models.split(",")) - set(MODELS)
    if unknown:
        parser.error(f"unknown --models {sorted(unknown)}; choose from {', '.join(MODELS)}")
    precisions = (supported_precisions() if args.precisions == "auto"
                  else [p.strip() for p in args.precisions.split(",")])
    unknown = set(precisions) - {"float32", "mixed_float16", "mixed_bfloat16"}
    if unknown:
        parser.error(f"unknown --precisions {sorted(unknown)}")
    report = run(steps=args.steps, warmup=args.warmup, repeats=args.repeats,
                 batch_size=args.batch_size, base_filters=args.base_filters,
                 jit_modes=(False,) if args.no_jit else _jit_modes(parser, args.jit_modes),
                 models=tuple(m.strip() for m in args.models.split(",")),
                 precisions=tuple(precisions))
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
