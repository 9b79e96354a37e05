"""Are the encoders of BiGAN and the VAE good features? Reconstruction error
and a linear probe on the bundled digits, in one process.

Each recipe (`bigan_mnist`, `vae_mnist`) trains `--steps` steps on the first
8,000 of `mnist_10k`'s digits (the split of `_judge.py`). Then, on the 2,000
held-out digits: the mean squared error of the reconstructions (`G(E(x))`
for BiGAN, the decoded posterior means for the VAE), and the accuracy of a
linear probe (multinomial logistic regression, L-BFGS with a small L2
weight, on standardized codes) fitted on the codes of the 8,000 training
digits. The same probe on the codes of the untrained encoder (same seed and
architecture) and on raw pixels are the references.

Prints one JSON document.

    python benchmarks/representation.py
    python benchmarks/representation.py --steps 2 --small  # smoke
"""

import argparse
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from scipy import optimize, special  # noqa: E402

from _judge import TRAIN, mnist_10k  # noqa: E402

from keras_gan import runs  # noqa: E402

RECIPES = ("bigan_mnist", "vae_mnist")


def linear_probe(train_x, train_y, test_x, test_y, l2=1e-3, classes=10):
    """Test accuracy of a softmax regression fitted with L-BFGS (features
    standardized with the training statistics)."""
    mean, std = train_x.mean(0), train_x.std(0) + 1e-6
    train_x = np.hstack([(train_x - mean) / std, np.ones((len(train_x), 1))])
    test_x = np.hstack([(test_x - mean) / std, np.ones((len(test_x), 1))])
    targets = np.eye(classes)[train_y]

    def loss(flat):
        w = flat.reshape(train_x.shape[1], classes)
        logits = train_x @ w
        log_p = logits - special.logsumexp(logits, axis=1, keepdims=True)
        value = -np.mean(np.sum(targets * log_p, 1)) + 0.5 * l2 * np.sum(w[:-1] ** 2)
        grad = train_x.T @ (np.exp(log_p) - targets) / len(train_x)
        grad[:-1] += l2 * w[:-1]
        return value, grad.ravel()

    start = np.zeros(train_x.shape[1] * classes)
    result = optimize.minimize(loss, start, jac=True, method="L-BFGS-B",
                               options={"maxiter": 500})
    w = result.x.reshape(train_x.shape[1], classes)
    return float(np.mean(np.argmax(test_x @ w, 1) == test_y))


def codes(model, images):
    if hasattr(model, "posterior"):  # VAE: the posterior means
        return model.encode(images)[0]
    return model.encode(images)


def run(steps=1500, small=False, seed=0):
    x, y = mnist_10k()
    report = {"benchmark": "representation", "steps": steps, "seed": seed,
              "train_images": TRAIN, "test_images": len(x) - TRAIN,
              "pixels_linear_probe": round(linear_probe(
                  x[:TRAIN].reshape(TRAIN, -1), y[:TRAIN], x[TRAIN:].reshape(len(x) - TRAIN, -1),
                  y[TRAIN:]), 4),
              "results": {}}
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "train.npz")
        np.savez(path, images=((x[:TRAIN] + 1) * 127.5).round().astype(np.uint8)[..., 0],
                 labels=y[:TRAIN])
        for recipe in RECIPES:
            overrides = [f"seed={seed}"]
            if small:
                overrides += ["encoder.base_filters=4", "generator.base_filters=4",
                              "latent_dim=8"]
                if recipe == "bigan_mnist":
                    overrides += ["discriminator.base_filters=4", "discriminator.hidden=8"]
            config = runs.resolve_config(recipe, overrides, dataset=path, steps=steps)
            # The untrained encoder: the run's model before its first step.
            from keras_gan.runs.kinds import kind_of

            untrained = kind_of(config).build_model(config, (28, 28, 1))
            before = linear_probe(codes(untrained, x[:TRAIN]), y[:TRAIN],
                                  codes(untrained, x[TRAIN:]), y[TRAIN:])
            start = time.perf_counter()
            runs.train(config, os.path.join(scratch, recipe), verbose=0)
            seconds = time.perf_counter() - start
            model, _ = runs.load_run(os.path.join(scratch, recipe))
            reconstructed = model.reconstruct(x[TRAIN:])
            row = {"seconds": round(seconds, 1),
                   "reconstruction_mse": round(float(np.mean((reconstructed - x[TRAIN:]) ** 2)), 4),
                   "linear_probe": round(linear_probe(codes(model, x[:TRAIN]), y[:TRAIN],
                                                      codes(model, x[TRAIN:]), y[TRAIN:]), 4),
                   "untrained_encoder_linear_probe": round(before, 4)}
            if hasattr(model, "posterior"):
                row["test_elbo"] = round(float(model.evaluate(
                    x[TRAIN:], batch_size=250, verbose=0, return_dict=True)["elbo"]), 2)
            report["results"][recipe] = row
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small", action="store_true", help="tiny networks (smoke test)")
    args = parser.parse_args(argv)
    report = run(args.steps, args.small, args.seed)
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
