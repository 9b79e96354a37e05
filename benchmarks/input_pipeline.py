"""Is the input pipeline ever the bottleneck? Images per second that
`keras_gan.data.load_images` delivers, against what the engine's DCGAN-28
step consumes, in the same process.

Three rates: (1) the pipeline alone (decode, scale, shuffle, batch, prefetch;
iterated without training), (2) training fed from an in-memory cached
dataset (no input cost), (3) training fed from the pipeline. The pipeline
is not the bottleneck when (1) is well above (2) and (3) is within noise of
(2). Uses the bundled `mnist_10k` (offline) or any `--dataset` source.
Prints one JSON document.

    python benchmarks/input_pipeline.py
    python benchmarks/input_pipeline.py --steps 3 --base-filters 4   # smoke
"""

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_step  # noqa: E402

import keras_gan  # noqa: E402


def pipeline_images_per_second(dataset, batches, batch_size):
    iterator = iter(dataset)
    next(iterator)  # start-up (file reads, first shuffle fill) not timed
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return batches * batch_size / (time.perf_counter() - start)


def run(dataset_name="mnist_10k", steps=30, warmup=3, repeats=3, batch_size=64,
        base_filters=64):
    pipeline = keras_gan.data.load_images(dataset_name, batch_size=batch_size, image_size=28,
                                          channels=1).repeat()
    cached = train_step._dataset(batch_size, "dcgan28")
    model = train_step._build("engine", "non_saturating", False, base_filters, "dcgan28")
    rates = {"pipeline_alone": [], "train_in_memory": [], "train_from_pipeline": []}
    for _ in range(repeats):
        rates["pipeline_alone"].append(
            pipeline_images_per_second(pipeline, max(steps, 20), batch_size))
        for key, source in (("train_in_memory", cached), ("train_from_pipeline", pipeline)):
            rates[key].append(
                train_step._steps_per_second(model, source, steps, warmup) * batch_size)
    medians = {key: statistics.median(values) for key, values in rates.items()}
    return {
        "benchmark": "input_pipeline",
        "dataset": dataset_name,
        "batch_size": batch_size,
        "base_filters": base_filters,
        "repeats": repeats,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "cpu_count": os.cpu_count(),
        "gpus": len(tf.config.list_physical_devices("GPU")),
        **{f"{key}_images_per_s": round(value, 1) for key, value in medians.items()},
        # > 1: the pipeline delivers faster than training consumes.
        "pipeline_headroom": round(medians["pipeline_alone"] / medians["train_in_memory"], 2),
        # ~1: feeding from the pipeline costs training nothing.
        "fed_over_in_memory": round(medians["train_from_pipeline"] / medians["train_in_memory"], 3),
        "runs": {key: [round(v, 1) for v in values] for key, values in rates.items()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist_10k")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--base-filters", type=int, default=64)
    args = parser.parse_args(argv)
    if args.warmup < 1 or args.steps < 1:
        parser.error("--warmup and --steps must be >= 1")
    report = run(args.dataset, args.steps, args.warmup, args.repeats, args.batch_size,
                 args.base_filters)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
