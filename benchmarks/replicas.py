"""Scaling with replicas: images per second of the engine's step under
`tf.distribute.MirroredStrategy` on 1, 2, ... of the visible devices.

Weak scaling, as data-parallel training is used: every replica keeps the
per-replica batch, so the global batch grows with the replicas. The baseline
is the same model on one replica, measured in the same process; each row
reports images/s and the efficiency `images/s(N) / (N * images/s(1))`.
Devices are the visible GPUs, or the CPUs when there is none (with
`--logical-cpus N`, one CPU split into N logical devices: this checks the
mechanics, not speed, since they share the cores). Prints one JSON document.

    python benchmarks/replicas.py --model dcgan64 --batch-size 128   # on GPUs
    python benchmarks/replicas.py --logical-cpus 2 --steps 2 --base-filters 4   # smoke
"""

import argparse
import json
import os
import statistics
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_step  # noqa: E402

import keras_gan  # noqa: E402


def devices(logical_cpus=None):
    """Names of the devices replicas can use: GPUs, else CPUs."""
    if logical_cpus:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * logical_cpus)
    gpus = tf.config.list_logical_devices("GPU")
    return [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]


def _images_per_second(strategy, model_name, variant, per_replica_batch, base_filters, jit,
                       steps, warmup, repeats):
    global_batch = per_replica_batch * strategy.num_replicas_in_sync
    with strategy.scope():
        generator, discriminator = train_step._networks(model_name, variant, base_filters)
        cls = keras_gan.GAN if variant == "non_saturating" else keras_gan.WGANGP
        model = cls(generator, discriminator, train_step.LATENT_DIM, seed=0)
        model.compile(jit_compile=jit)
    dataset = train_step._dataset(global_batch, model_name)
    rates = [train_step._steps_per_second(model, dataset, steps, warmup) * global_batch
             for _ in range(repeats)]
    return statistics.median(rates), bool(model.jit_compile)


def run(model_name="dcgan64", variant="non_saturating", batch_size=64, base_filters=64,
        jit="auto", steps=20, warmup=3, repeats=3, replicas=None, logical_cpus=None):
    names = devices(logical_cpus)
    counts = replicas or sorted({1, *(2**k for k in range(1, 8) if 2**k <= len(names)),
                                 len(names)})
    if max(counts) > len(names) or min(counts) < 1:
        raise ValueError(f"--replicas {counts} needs between 1 and {len(names)} devices "
                         f"({len(names)} visible: {names}).")
    rows = []
    for count in counts:
        strategy = tf.distribute.MirroredStrategy(names[:count])
        rate, jit_used = _images_per_second(strategy, model_name, variant, batch_size,
                                            base_filters, jit, steps, warmup, repeats)
        rows.append({"replicas": count, "global_batch": batch_size * count,
                     "images_per_s": round(rate, 1), "jit": jit_used})
    single = next((r["images_per_s"] for r in rows if r["replicas"] == 1), None)
    for row in rows:
        row["efficiency"] = (round(row["images_per_s"] / (row["replicas"] * single), 3)
                             if single else None)
    return {
        "benchmark": "replicas",
        "model": model_name,
        "loss": variant,
        "per_replica_batch": batch_size,
        "base_filters": base_filters,
        "devices": names,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "results": rows,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="dcgan64", choices=sorted(train_step.MODELS))
    parser.add_argument("--loss", default="non_saturating",
                        choices=["non_saturating", "wasserstein_gp"])
    parser.add_argument("--batch-size", type=int, default=64, help="per-replica batch")
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--jit", default="auto", choices=["auto", "on", "off"])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--replicas", help="comma list of replica counts (default 1, 2, 4, ... all)")
    parser.add_argument("--logical-cpus", type=int,
                        help="split the CPU into N logical devices (mechanics only)")
    args = parser.parse_args(argv)
    if args.warmup < 1 or args.steps < 1 or args.batch_size < 1:
        parser.error("--warmup, --steps and --batch-size must be >= 1")
    try:
        replicas = [int(n) for n in args.replicas.split(",")] if args.replicas else None
    except ValueError:
        parser.error(f"--replicas must be a comma list of integers; received {args.replicas!r}")
    jit = {"auto": "auto", "on": True, "off": False}[args.jit]
    try:
        report = run(args.model, args.loss, args.batch_size, args.base_filters, jit, args.steps,
                     args.warmup, args.repeats, replicas, args.logical_cpus)
    except ValueError as error:
        parser.error(str(error))
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
