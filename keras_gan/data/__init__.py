"""Data for GAN training."""

from keras_gan.data.mixtures import grid_centers, ring_centers, sample_mixture

__all__ = ["ring_centers", "grid_centers", "sample_mixture"]
