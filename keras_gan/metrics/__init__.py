"""Evaluation metrics (the math; feature extractors are separate)."""

from keras_gan.metrics.frechet import (
    FeatureStatistics,
    frechet_distance,
    frechet_distance_from_activations,
)
from keras_gan.metrics.inception_score import inception_score
from keras_gan.metrics.kid import kernel_distance
from keras_gan.metrics.modes import mode_coverage
from keras_gan.metrics.prdc import density_coverage, precision_recall

__all__ = [
    "FeatureStatistics",
    "frechet_distance",
    "frechet_distance_from_activations",
    "kernel_distance",
    "inception_score",
    "precision_recall",
    "density_coverage",
    "mode_coverage",
]
