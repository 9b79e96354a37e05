"""Evaluation metrics: the math (Fréchet distance, KID, IS, PR, density/coverage,
mode coverage), feature extractors, cached reference statistics, and `evaluate`."""

from keras_gan.metrics.evaluation import evaluate, metric_keys, protocol_suffix
from keras_gan.metrics.features import (
    FeatureExtractor,
    as_extractor,
    inception_v3,
    reference_statistics,
)
from keras_gan.metrics.frechet import (
    FeatureStatistics,
    frechet_distance,
    frechet_distance_from_activations,
)
from keras_gan.metrics.image_quality import psnr, ssim
from keras_gan.metrics.inception_score import inception_score
from keras_gan.metrics.kid import kernel_distance
from keras_gan.metrics.modes import mode_coverage
from keras_gan.metrics.prdc import density_coverage, precision_recall
from keras_gan.metrics.sifid import sifid, sifid_extractor

__all__ = [
    "sifid",
    "sifid_extractor",
    "evaluate",
    "metric_keys",
    "protocol_suffix",
    "FeatureExtractor",
    "as_extractor",
    "inception_v3",
    "reference_statistics",
    "FeatureStatistics",
    "frechet_distance",
    "frechet_distance_from_activations",
    "kernel_distance",
    "inception_score",
    "precision_recall",
    "density_coverage",
    "mode_coverage",
    "psnr",
    "ssim",
]
