"""The rest of the field, judged like the GANs: VAE-GAN, EBGAN, MMD GAN, CoGAN and SimGAN.

Each recipe trains through the run layer (`keras_gan.runs.train`, what
`keras-gan train RECIPE` does) for `--steps` steps of `--batch-size` and is
judged by the MNIST classifier of `quality.py` (`_judge.py`: trained on the
8,000 training digits of the seeded `mnist_10k` split, cached under
`$KERAS_HOME`), against the 2,000 held-out digits:

- Noise-to-digit models (`vaegan_mnist`, `ebgan_mnist`, `mmdgan_mnist`, and
  `dcgan_mnist` as the same-run reference): `quality.digit_scores` of
  `--samples` generated digits (classes >= 2%, class KL, Fréchet distance and
  KID in the judge's features, precision/recall).
- `cogan_mnist` (digits | negatives): the same scores for domain A and for
  domain B negated back, and the pair agreement, the share of pairs whose two
  halves the judge gives one class (what the shared weights should make 1).
- `simgan_mnist` (binarized "rendered" digits -> real-looking ones): on its
  4,000 synthetic training digits, the Fréchet distance to the held-out real
  digits before and after refinement, the judge's accuracy on them (the class
  must survive refinement), the mean absolute change, and the paper's
  downstream test: a classifier trained on the refined digits with their
  synthetic labels, tested on the real held-out digits, next to the same
  classifier trained on the unrefined ones.

Prints one JSON document.

    python benchmarks/field.py                    # every recipe (about 30 min on 2 cores)
    python benchmarks/field.py --recipes simgan_mnist
    python benchmarks/field.py --steps 2 --samples 64 --small   # smoke
"""

import argparse
import json
import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from _judge import TRAIN, judge, mnist_10k  # noqa: E402
from quality import _npz, digit_scores, train_recipe  # noqa: E402

from keras_gan import data  # noqa: E402

GENERATORS = ("dcgan_mnist", "vaegan_mnist", "ebgan_mnist", "mmdgan_mnist")
RECIPES = (*GENERATORS, "cogan_mnist", "simgan_mnist")
# --small: tiny networks, for the smoke test.
_CONV = ["generator.base_filters=4", "discriminator.base_filters=4", "latent_dim=8"]
SMALL = {
    "dcgan_mnist": _CONV,
    "vaegan_mnist": ["encoder.base_filters=4", *_CONV[:2], "latent_dim=4"],
    "ebgan_mnist": [*_CONV, "discriminator.embedding_dim=4"],
    "mmdgan_mnist": [*_CONV, "d_steps=1"],
    "cogan_mnist": ["generator.base_filters=4", "latent_dim=8"],
    "simgan_mnist": ["num_samples=128", "generator.filters=4", "generator.num_blocks=1",
                     "discriminator.filters=[4,4]", "model_args.pool_size=4"],
}


def _accuracy(classifier, images, labels):
    predicted = np.argmax(classifier.predict(images, verbose=0, batch_size=256), axis=1)
    return round(float(np.mean(predicted == labels)), 4)


def _downstream(x, y, test_x, test_y, seed, epochs):
    """Accuracy on real digits of a small classifier trained on `(x, y)`."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((28, 28, 1)), keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(), keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=64, epochs=epochs, verbose=0)
    return _accuracy(model, test_x, test_y)


def run(recipes=RECIPES, steps=1500, batch_size=64, samples=2000, seed=0, small=False):
    x, y = mnist_10k()
    classifier, features = judge(x, y, epochs=1 if small else 3, cache=not small)
    held_out, held_out_labels = x[TRAIN:], y[TRAIN:]
    reference = features.predict(held_out, verbose=0)
    real_share = np.bincount(y[:TRAIN], minlength=10) / TRAIN

    def scores(images):
        return digit_scores(images, classifier, features, reference, real_share, seed)

    report = {"steps": steps, "batch_size": batch_size, "samples": samples, "seed": seed,
              "judge_test_accuracy": _accuracy(classifier, held_out, held_out_labels),
              "results": {}}
    with tempfile.TemporaryDirectory() as scratch:
        train_path = _npz(os.path.join(scratch, "train.npz"), x[:TRAIN], y[:TRAIN])
        for recipe in recipes:
            overrides = SMALL[recipe] if small else []
            # SimGAN keeps its own data (rendered vs real digits); the others
            # train on the benchmark's 8,000 training digits.
            dataset = None if recipe == "simgan_mnist" else train_path
            gan, seconds, config = train_recipe(recipe, os.path.join(scratch, recipe), dataset,
                                                steps, batch_size, overrides, False, seed)
            row = {"seconds": round(seconds, 1),
                   "images_per_s": round(steps * batch_size / seconds, 1)}
            if recipe == "cogan_mnist":
                a, b = gan.generate_pairs(samples, seed=seed)
                negated = -b  # domain B is the negatives: back to digits for the judge
                agree = np.argmax(classifier.predict(a, verbose=0, batch_size=256), 1) == \
                    np.argmax(classifier.predict(negated, verbose=0, batch_size=256), 1)
                row.update({"domain_a": scores(a), "domain_b_negated": scores(negated),
                            "pair_agreement": round(float(np.mean(agree)), 4)})
            elif recipe == "simgan_mnist":
                synthetic, _, labels = data.load_refinement(
                    config["dataset"], config["num_samples"], seed=config["seed"])
                refined = gan.translate(synthetic, batch_size=256)
                epochs = 1 if small else 3
                row.update({
                    "images": len(synthetic),
                    "frechet_synthetic": scores(synthetic)["frechet"],
                    "frechet_refined": scores(refined)["frechet"],
                    "judge_accuracy_synthetic": _accuracy(classifier, synthetic, labels),
                    "judge_accuracy_refined": _accuracy(classifier, refined, labels),
                    "mean_abs_change": round(float(np.mean(np.abs(refined - synthetic))), 4),
                    "downstream_accuracy_synthetic": _downstream(
                        synthetic, labels, held_out, held_out_labels, seed, epochs),
                    "downstream_accuracy_refined": _downstream(
                        refined, labels, held_out, held_out_labels, seed, epochs)})
            else:
                row.update(scores(gan.generate(samples, seed=seed)))
            report["results"][recipe] = row
            print(json.dumps({recipe: row}), file=sys.stderr, flush=True)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", default=",".join(RECIPES))
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small", action="store_true", help="tiny networks (smoke test)")
    args = parser.parse_args(argv)
    recipes = [r.strip() for r in args.recipes.split(",") if r.strip()]
    unknown = sorted(set(recipes) - set(RECIPES))
    if unknown:
        parser.error(f"--recipes takes {', '.join(RECIPES)}; received {', '.join(unknown)}")
    report = run(recipes, args.steps, args.batch_size, args.samples, args.seed, args.small)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
