"""How good are the samples after a fixed budget? Recipes trained offline and judged.

- MNIST: each recipe trains through the CLI's run layer (`keras_gan.runs.train`,
  what `keras-gan train RECIPE` does) for `--steps` steps of `--batch-size`
  on the 8,000 training digits of `mnist_10k` (a seeded split; 2,000 held
  out), next to a textbook DCGAN written here with a plain Keras `train_step`
  (Radford et al. 2016: BatchNorm, Adam(2e-4, 0.5), the non-saturating loss;
  no keras-gan code) at the same budget. A small CNN classifier trained on
  the same 8,000 digits (cached under `$KERAS_HOME/keras_gan/judges/`,
  `_judge.py`) judges `--samples` generated digits: classes with >= 2% of
  the samples, KL of the class histogram against uniform and against the
  real one, Fréchet distance and KID in its penultimate features against the
  held-out digits (with the real-vs-real floor: training digits against
  them), and precision/recall (k=3); also the Fréchet distance in
  InceptionV3 features where its weights are in the Keras cache (or with
  `--inception`, which downloads them).
- 2D mixtures: the PacGAN protocol (2,500 samples; modes with a sample
  within 3 std, the high-quality fraction, reverse KL of the mode histogram),
  for the generator's samples and for the same latents after
  `--refine-steps` discriminator-guided steps (`GAN.refine_latents`), on
  each of `--mixture-seeds`, with the mean and the worst run.
- Few-shot: `--fewshot N` digits, the recipe trained with and without
  DiffAugment and ADA at one budget.

Prints one JSON document.

    python benchmarks/quality.py                      # everything (about an hour on 2 cores)
    python benchmarks/quality.py --only mnist --recipes dcgan_mnist
    python benchmarks/quality.py --steps 2 --mixture-steps 2 --samples 64 --small  # smoke
"""

import argparse
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from _judge import TRAIN, judge, mnist_10k  # noqa: E402

from keras_gan import data, metrics, runs  # noqa: E402

MNIST_RECIPES = ("dcgan_mnist",)
MIXTURE_RECIPES = ("mixtures_grid", "mixtures_ring")
# ADA with the transforms digits tolerate: x-flips and 90-degree rotations
# change a digit's identity (a 6 turns into a 9), and once p nears 1 they
# leak into the samples (measured: p reached 1.0 on 500 digits).
FEWSHOT_SETUPS = {"plain": [], "diffaugment": ['augment="translation,cutout"'],
                  "ada": ['augment={"name": "ada", "kimg": 20, "transforms": "translation,cutout"}']}
SMALL = ["generator.base_filters=4", "discriminator.base_filters=4", "latent_dim=8"]


# --- the judge's view -------------------------------------------------------------


def digit_scores(images, classifier, features, reference, real_share, seed=0):
    """Class coverage, class KL, Fréchet distance, KID and precision/recall
    of generated digits in the judge's features."""
    images = np.asarray(images, np.float32)
    classes = np.argmax(classifier.predict(images, verbose=0, batch_size=256), axis=1)
    share = np.bincount(classes, minlength=10) / len(classes)
    fake = features.predict(images, verbose=0, batch_size=256)
    kid_mean, kid_std = metrics.kernel_distance(reference, fake, num_subsets=20,
                                                subset_size=min(1000, len(fake)), seed=seed)
    pr = metrics.precision_recall(reference[:2000], fake[:2000], k=3)
    return {"classes_covered": int(np.sum(share >= 0.02)),
            "kl_uniform": round(_kl(share, np.full(10, 0.1)), 4),
            "kl_real": round(_kl(share, real_share), 4),
            "frechet": round(float(metrics.frechet_distance_from_activations(reference, fake)), 2),
            "kid": round(float(kid_mean), 5), "kid_std": round(float(kid_std), 5),
            "precision": round(pr["precision"], 4), "recall": round(pr["recall"], 4),
            "class_histogram": [round(float(s), 4) for s in share]}


def _kl(p, q):
    """KL(p || q) with 0 log 0 = 0 (q > 0)."""
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    nonzero = p > 0
    return float(np.sum(p[nonzero] * np.log(p[nonzero] / q[nonzero])))


INCEPTION_WEIGHTS = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"


def inception_available():
    """Whether the InceptionV3 weights are in the Keras cache (no download)."""
    home = os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras"))
    return os.path.exists(os.path.join(home, "models", INCEPTION_WEIGHTS))


def inception_frechet(real, fake):
    """Fréchet distance in InceptionV3 features (None with the reason when
    its weights cannot be loaded, e.g. offline)."""
    try:
        extractor = metrics.inception_v3()
    except Exception as error:  # offline: keras.applications cannot download
        return {"frechet_inception": None, "reason": str(error).split("\n")[0][:200]}
    a, b = extractor(real), extractor(fake)
    return {"frechet_inception": round(float(metrics.frechet_distance_from_activations(a, b)), 2)}


# --- the textbook baseline ---------------------------------------------------------


class TextbookDCGAN(keras.Model):
    """Radford et al.'s DCGAN at 28x28, as tutorials write it: BatchNorm in G
    and in D's second block, LeakyReLU(0.2) in D, Adam(2e-4, 0.5), binary
    cross-entropy on logits, one D and one G update per batch."""

    def __init__(self, latent_dim=100, width=64, seed=0):
        super().__init__()
        self.latent_dim, self.seed_generator = latent_dim, keras.random.SeedGenerator(seed)
        self.generator = keras.Sequential([
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * 2 * width, use_bias=False), keras.layers.Reshape((7, 7, 2 * width)),
            keras.layers.BatchNormalization(), keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(width, 4, 2, "same", use_bias=False),
            keras.layers.BatchNormalization(), keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(1, 4, 2, "same", activation="tanh")])
        self.discriminator = keras.Sequential([
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(width, 4, 2, "same"), keras.layers.LeakyReLU(0.2),
            keras.layers.Conv2D(2 * width, 4, 2, "same", use_bias=False),
            keras.layers.BatchNormalization(), keras.layers.LeakyReLU(0.2),
            keras.layers.Flatten(), keras.layers.Dense(1)])
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)

    def compile(self):
        super().compile()
        self.d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)

    def train_step(self, real):
        batch = tf.shape(real)[0]
        z = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            fake = self.generator(z, training=True)
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss = (self.bce(tf.ones_like(real_logits), real_logits)
                      + self.bce(tf.zeros_like(fake_logits), fake_logits))
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(d_loss, variables), variables)
        z = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = self.bce(tf.ones_like(fake_logits), fake_logits)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(g_loss, variables), variables)
        return {"d_loss": d_loss, "g_loss": g_loss}

    def generate(self, n, seed=0):
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype(np.float32)
        return self.generator.predict(z, batch_size=256, verbose=0)


def train_textbook(x, steps, batch_size, seed, small):
    keras.utils.set_random_seed(seed)
    model = TextbookDCGAN(latent_dim=8 if small else 100, width=4 if small else 64, seed=seed)
    model.compile()
    dataset = (tf.data.Dataset.from_tensor_slices(x).shuffle(len(x), seed=seed)
               .repeat().batch(batch_size, drop_remainder=True).prefetch(2))
    start = time.perf_counter()
    model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0)
    return model, time.perf_counter() - start


# --- runs through the run layer -------------------------------------------------------


def train_recipe(recipe, out, dataset, steps, batch_size, overrides, small, seed):
    config = runs.resolve_config(recipe, [*overrides, *(SMALL if small else [])],
                                 dataset=dataset, steps=steps, batch_size=batch_size, seed=seed)
    start = time.perf_counter()
    runs.train(config, out, verbose=0)
    seconds = time.perf_counter() - start
    gan, _ = runs.load_run(out)
    return gan, seconds, config


def generate(gan, n, seed, real_share):
    """`n` samples; a conditional model's class ids are drawn from the
    training digits' class frequencies (seeded)."""
    if gan.labels_spec(1) is None:
        return gan.generate(n, seed=seed)
    labels = np.random.default_rng(seed).choice(10, n, p=real_share)
    return gan.generate(n, labels=labels, seed=seed)


def _npz(path, x, y):
    np.savez(path, images=((x + 1) * 127.5).round().astype(np.uint8)[..., 0], labels=y)
    return path


def mnist_part(recipes, steps, batch_size, samples, seed, small, inception, fewshot,
               fewshot_steps, scratch):
    x, y = mnist_10k()
    classifier, features = judge(x, y, epochs=1 if small else 3, cache=not small)
    held_out = x[TRAIN:]
    reference = features.predict(held_out, verbose=0)
    real_share = np.bincount(y[:TRAIN], minlength=10) / TRAIN
    accuracy = float(np.mean(np.argmax(classifier.predict(held_out, verbose=0), 1) == y[TRAIN:]))
    floor = digit_scores(x[:min(samples, 2000)], classifier, features, reference, real_share)
    report = {"judge_test_accuracy": round(accuracy, 4), "real_vs_real": floor, "results": {}}
    if inception is None:  # by default: where the weights are already in the Keras cache
        inception = inception_available()
    if not inception:
        report["inception"] = (f"not measured: {INCEPTION_WEIGHTS} is not in the Keras cache "
                               "($KERAS_HOME/models); pass --inception to download it")
    train_path = _npz(os.path.join(scratch, "train.npz"), x[:TRAIN], y[:TRAIN])

    def judged(generated, seconds, images_seen):
        row = {"seconds": round(seconds, 1), "images_per_s": round(images_seen / seconds, 1),
               **digit_scores(generated, classifier, features, reference, real_share, seed)}
        if inception:
            row.update(inception_frechet(held_out[:samples], generated))
        return row

    model, seconds = train_textbook(x[:TRAIN], steps, batch_size, seed, small)
    report["results"]["textbook_dcgan"] = judged(model.generate(samples, seed), seconds,
                                                 steps * batch_size)
    for recipe in recipes:
        gan, seconds, _ = train_recipe(recipe, os.path.join(scratch, recipe), train_path,
                                       steps, batch_size, [], small, seed)
        report["results"][recipe] = judged(generate(gan, samples, seed, real_share), seconds,
                                           steps * batch_size)
    baseline = report["results"]["textbook_dcgan"]["frechet"]
    for name, row in report["results"].items():
        row["frechet_vs_textbook"] = round(row["frechet"] / baseline, 3) if baseline else None
    if fewshot:
        index = np.random.default_rng(seed).choice(TRAIN, fewshot, replace=False)
        repeats = max(1, 5000 // fewshot)  # epochs of ~5000 images, as for the full set
        path = _npz(os.path.join(scratch, "fewshot.npz"), np.tile(x[index], (repeats, 1, 1, 1)),
                    np.tile(y[index], repeats))
        rows = {}
        for name, extra in FEWSHOT_SETUPS.items():
            gan, seconds, _ = train_recipe(recipes[0], os.path.join(scratch, f"fewshot_{name}"),
                                           path, fewshot_steps, batch_size, extra, small, seed)
            rows[name] = judged(generate(gan, samples, seed, real_share), seconds,
                                fewshot_steps * batch_size)
            if hasattr(gan, "training_state") and "augment_p" in gan.training_state.means:
                rows[name]["final_augment_p"] = round(
                    float(gan.training_state.means["augment_p"].numpy()), 4)
        report["fewshot"] = {"images": fewshot, "recipe": recipes[0], "steps": fewshot_steps,
                             "setups": {k: v for k, v in FEWSHOT_SETUPS.items()},
                             "results": rows}
    return report


def mixture_part(recipes, steps, batch_size, seeds, small, scratch, refine_steps=20):
    """Each mixture recipe trained once per seed; the PacGAN figures of the
    generator's samples and of the same latents after `refine_steps`
    discriminator-guided steps (`GAN.refine_latents`), per run and averaged."""
    results = {}
    for recipe in recipes:
        overrides = ["generator.hidden_units=[8]", "discriminator.hidden_units=[8]"] \
            if small else []
        rows = []
        for seed in seeds:
            config = runs.resolve_config(recipe, overrides, steps=steps, batch_size=batch_size,
                                         seed=seed)
            out = os.path.join(scratch, f"{recipe}_{seed}")
            start = time.perf_counter()
            runs.train(config, out, verbose=0)
            seconds = time.perf_counter() - start
            gan, _ = runs.load_run(out)
            name = config["dataset"]
            centers = data.grid_centers() if name == "grid" else data.ring_centers()
            _, _, std = data.load_mixture(name, 10, seed=seed)
            row = {"seed": seed, "seconds": round(seconds, 1)}
            for prefix, refine in (("", 0), ("refined_", refine_steps)):
                coverage = metrics.mode_coverage(
                    gan.generate(2500, seed=seed, refine_steps=refine), centers, std)
                row.update({f"{prefix}modes": coverage["modes"],
                            f"{prefix}high_quality": round(coverage["high_quality"], 4),
                            f"{prefix}reverse_kl": round(coverage["reverse_kl"], 4)})
            rows.append(row)
        keys = [key for key in rows[0] if key not in ("seed", "seconds")]
        results[recipe] = {"steps": steps, "batch_size": batch_size, "of_modes": len(centers),
                           "refine_steps": refine_steps, "runs": rows,
                           "mean": {key: round(float(np.mean([r[key] for r in rows])), 4)
                                    for key in keys},
                           "min": {key: min(r[key] for r in rows) for key in keys}}
    return results


def run(only=("mnist", "mixtures"), recipes=MNIST_RECIPES, mixtures=MIXTURE_RECIPES,
        steps=1500, batch_size=64, mixture_steps=10000, mixture_batch_size=100, samples=2000,
        seed=0, small=False, inception=None, fewshot=500, fewshot_steps=1500,
        mixture_seeds=(0, 1, 2), refine_steps=20):
    report = {"benchmark": "quality", "seed": seed, "steps": steps, "batch_size": batch_size,
              "samples": samples, "train_images": TRAIN, "cpu_threads": os.cpu_count()}
    with tempfile.TemporaryDirectory() as scratch:
        if "mnist" in only:
            report["mnist"] = mnist_part(list(recipes), steps, batch_size, samples, seed, small,
                                         inception, fewshot, fewshot_steps, scratch)
        if "mixtures" in only:
            report["mixtures"] = mixture_part(list(mixtures), mixture_steps,
                                              mixture_batch_size, list(mixture_seeds), small,
                                              scratch, refine_steps)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="mnist,mixtures", help="mnist, mixtures or both")
    parser.add_argument("--recipes", default=",".join(MNIST_RECIPES))
    parser.add_argument("--mixtures", default=",".join(MIXTURE_RECIPES))
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--mixture-steps", type=int, default=10000)
    parser.add_argument("--mixture-batch-size", type=int, default=100)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--fewshot", type=int, default=500, help="images (0: skip few-shot)")
    parser.add_argument("--fewshot-steps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mixture-seeds", default="0,1,2",
                        help="seeds of the mixture runs (each recipe trains once per seed)")
    parser.add_argument("--refine-steps", type=int, default=20,
                        help="discriminator-guided latent steps of the refined mixture figures")
    parser.add_argument("--inception", action="store_true", default=None,
                        help="also the Fréchet distance in InceptionV3 features (default: "
                             "where its weights are in the Keras cache)")
    parser.add_argument("--small", action="store_true", help="tiny networks (smoke test)")
    args = parser.parse_args(argv)
    only = [part.strip() for part in args.only.split(",") if part.strip()]
    if not only or set(only) - {"mnist", "mixtures"}:
        parser.error(f"--only takes mnist, mixtures or both; received {args.only!r}")
    report = run(only, args.recipes.split(","), args.mixtures.split(","), args.steps,
                 args.batch_size, args.mixture_steps, args.mixture_batch_size, args.samples,
                 args.seed, args.small, args.inception, args.fewshot, args.fewshot_steps,
                 [int(seed) for seed in args.mixture_seeds.split(",")], args.refine_steps)
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
