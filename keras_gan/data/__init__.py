"""Data for GAN training: image pipelines, the 2D mixtures of the mode-collapse
literature, an offline domain shift (digits -> MNIST-M style) and synthetic
vs real digits for refinement."""

from keras_gan.data.domains import load_domain_shift, load_refinement, mnist_m_style
from keras_gan.data.images import (
    OFFLINE_MNIST,
    DatasetUnavailableError,
    image_files,
    load_image,
    load_images,
)
from keras_gan.data.labels import UNLABELLED, keep_labels
from keras_gan.data.pairs import degrade, load_pairs, load_unpaired
from keras_gan.data.mixtures import grid_centers, load_mixture, ring_centers, sample_mixture

__all__ = [
    "image_files",
    "load_image",
    "load_images",
    "load_mixture",
    "load_domain_shift",
    "mnist_m_style",
    "load_refinement",
    "load_pairs",
    "load_unpaired",
    "degrade",
    "keep_labels",
    "UNLABELLED",
    "DatasetUnavailableError",
    "OFFLINE_MNIST",
    "ring_centers",
    "grid_centers",
    "sample_mixture",
]
