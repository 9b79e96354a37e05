"""Does starting from a trained GAN help on little data? FreezeD (Mo et al.
2020) on the bundled digits, at one budget, in one process.

1. Pretrain `dcgan_mnist` on the digits 0-4 among 8,000 of `mnist_10k`'s
   images (a seeded random split; the other 2,000 are held out)
   (`--pretrain-steps`).
2. Train on only 100 images of the digits 5-9 for `--steps` steps, three
   ways: from scratch, fine-tuned from step 1 (`--init`), and fine-tuned
   with the first `--freeze-d` discriminator blocks frozen (FreezeD).
3. Judge each with a small MNIST classifier trained here on the 8,000
   images (cached under `$KERAS_HOME/keras_gan/judges/`): the share of
   samples it reads as 5-9, the classes of 5-9 with >= 2% of the samples,
   and the Fréchet distance in its penultimate features to the 5-9 digits of
   the 2,000 held-out images (never trained on), with the real-vs-real floor
   (other 5-9 training images against them).

Prints one JSON document.

    python benchmarks/finetune.py
    python benchmarks/finetune.py --pretrain-steps 2 --steps 2 --samples 64 --small  # smoke
"""

import argparse
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from _judge import TRAIN, judge, mnist_10k  # noqa: E402

from keras_gan import metrics, runs  # noqa: E402

TARGET = (5, 6, 7, 8, 9)


def scores(images, classifier, features, reference):
    """The judge's view of generated digits."""
    classes = np.argmax(classifier.predict(images, verbose=0, batch_size=256), axis=1)
    share = np.bincount(classes, minlength=10) / len(classes)
    fake = features.predict(images, verbose=0, batch_size=256)
    return {"target_share": round(float(share[list(TARGET)].sum()), 4),
            "target_classes_covered": int(np.sum(share[list(TARGET)] >= 0.02)),
            "class_histogram": [round(float(s), 4) for s in share],
            "frechet": round(float(metrics.frechet_distance_from_activations(reference, fake)), 2)}


def _train(out, dataset, steps, batch_size, extra, small):
    overrides = list(extra)
    if small:
        overrides += ["generator.base_filters=4", "discriminator.base_filters=4",
                      "latent_dim=8"]
    config = runs.resolve_config("dcgan_mnist", overrides, dataset=dataset, steps=steps,
                                 batch_size=batch_size)
    start = time.perf_counter()
    runs.train(config, out, verbose=0)
    gan, _ = runs.load_run(out)
    return gan, time.perf_counter() - start


def run(pretrain_steps=1500, steps=300, batch_size=64, samples=2000, freeze_d=1, small=False,
        seed=0):
    x, y = mnist_10k()
    classifier, features = judge(x, y, epochs=1 if small else 3, cache=not small)
    held_out = x[TRAIN:][np.isin(y[TRAIN:], TARGET)]
    accuracy = float(np.mean(np.argmax(classifier.predict(x[TRAIN:], verbose=0), 1)
                             == y[TRAIN:]))
    reference = features.predict(held_out, verbose=0)
    rng = np.random.default_rng(seed)
    target_pool = np.flatnonzero(np.isin(y[:TRAIN], TARGET))
    few = rng.choice(target_pool, 100, replace=False)
    source = np.flatnonzero(~np.isin(y[:TRAIN], TARGET))
    floor_images = x[rng.choice(np.setdiff1d(target_pool, few), min(samples, 2000),
                                replace=False)]
    report = {"benchmark": "finetune", "pretrain_steps": pretrain_steps, "steps": steps,
              "batch_size": batch_size, "samples": samples, "freeze_d": freeze_d,
              "seed": seed, "judge_test_accuracy": round(accuracy, 4),
              "judge_real_vs_real": scores(floor_images, classifier, features, reference),
              "results": {}}
    with tempfile.TemporaryDirectory() as scratch:
        def npz(name, index):
            path = os.path.join(scratch, f"{name}.npz")
            np.savez(path, images=((x[index] + 1) * 127.5).round().astype(np.uint8)[..., 0],
                     labels=y[index])
            return path

        pretrained = os.path.join(scratch, "pretrained")
        _, seconds = _train(pretrained, npz("digits_0_4", source), pretrain_steps, batch_size,
                            [], small)
        report["pretrain_seconds"] = round(seconds, 1)
        # The 100 images repeated 10 times: epochs of 15 steps rather than of
        # one (each epoch of a run writes a checkpoint and a sample grid).
        few_path = npz("hundred_5_9", np.tile(few, 10))
        setups = {"scratch": [], "init": [f"init={json.dumps(pretrained)}"],
                  f"init_freeze_d{freeze_d}": [f"init={json.dumps(pretrained)}",
                                               f"freeze_d={freeze_d}"]}
        for name, extra in setups.items():
            gan, seconds = _train(os.path.join(scratch, name), few_path, steps, batch_size,
                                  extra, small)
            generated = gan.generate(samples, seed=seed)
            report["results"][name] = {"seconds": round(seconds, 1),
                                       **scores(generated, classifier, features, reference)}
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pretrain-steps", type=int, default=1500)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--freeze-d", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small", action="store_true", help="tiny networks (smoke test)")
    args = parser.parse_args(argv)
    report = run(args.pretrain_steps, args.steps, args.batch_size, args.samples, args.freeze_d,
                 args.small, args.seed)
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
