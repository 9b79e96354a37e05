"""Images per second of sample generation and of FID feature extraction.

Generation: `GAN.generate` (a compiled loop over batches) against the plain
`generator.predict` on the same latents. Feature extraction: keras-gan's
`FeatureExtractor` around InceptionV3 (resize to 299, grey->RGB, pool features)
against a plain loop of `tf.image.resize` + `model.predict`, both with random
weights (the throughput does not depend on them). Baselines run in the same
process, interleaved; medians of `--repeats`. Prints one JSON document.

    python benchmarks/sampling.py
    python benchmarks/sampling.py --samples 64 --images 4 --repeats 1   # smoke
"""

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_gan  # noqa: E402


def _rate(function, count):
    start = time.perf_counter()
    function()
    return count / (time.perf_counter() - start)


def _median_rates(sides, count, repeats):
    rates = {name: [] for name in sides}
    for name, function in sides.items():
        function()  # warm-up: tracing
    for _ in range(repeats):
        for name, function in sides.items():
            rates[name].append(_rate(function, count))
    return {name: statistics.median(values) for name, values in rates.items()}


def generation(samples, batch_size, repeats, base_filters):
    generator = keras_gan.networks.dcgan_generator(128, 64, 3, base_filters=base_filters)
    gan = keras_gan.GAN(generator, keras_gan.networks.dcgan_discriminator(
        64, 3, base_filters=base_filters), 128, seed=0)
    latents = np.random.default_rng(0).standard_normal((samples, 128)).astype("float32")
    rates = _median_rates({
        "engine": lambda: gan.generate(latents=latents, batch_size=batch_size),
        "baseline": lambda: generator.predict(latents, batch_size=batch_size, verbose=0),
    }, samples, repeats)
    return {"model": "dcgan64", "samples": samples, "batch_size": batch_size,
            "engine_images_per_s": round(rates["engine"], 1),
            "baseline_images_per_s": round(rates["baseline"], 1),
            "ratio": round(rates["engine"] / rates["baseline"], 3)}


def extraction(images, batch_size, repeats):
    extractor = keras_gan.metrics.inception_v3(weights=None, batch_size=batch_size)
    network = extractor.function
    x = np.random.default_rng(0).uniform(-1, 1, (images, 32, 32, 1)).astype("float32")

    def baseline():
        for start in range(0, images, batch_size):
            batch = tf.image.resize(np.repeat(x[start:start + batch_size], 3, axis=-1),
                                    (299, 299), "bilinear")
            network.predict(batch, verbose=0)

    rates = _median_rates({"engine": lambda: extractor(x), "baseline": baseline}, images, repeats)
    return {"extractor": extractor.name, "images": images, "batch_size": batch_size,
            "engine_images_per_s": round(rates["engine"], 2),
            "baseline_images_per_s": round(rates["baseline"], 2),
            "ratio": round(rates["engine"] / rates["baseline"], 3)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1024, help="generated images per run")
    parser.add_argument("--images", type=int, default=64, help="images through InceptionV3")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    for name in ("samples", "images", "batch_size", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1")
    report = {
        "benchmark": "sampling",
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "cpu_count": os.cpu_count(),
        "gpus": len(tf.config.list_physical_devices("GPU")),
        "generation": generation(args.samples, args.batch_size, args.repeats, args.base_filters),
        "feature_extraction": extraction(args.images, min(args.batch_size, 32), args.repeats),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
