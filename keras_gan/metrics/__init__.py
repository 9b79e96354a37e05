"""Evaluation metrics: the math (Fréchet distance, KID, IS, PR, density/coverage,
mode coverage, PPL, SWD, MS-SSIM, nearest-neighbour memorization, and CAS and
intra-class FID of conditional models), feature extractors (Keras InceptionV3
and the FID protocol's 2015 graph), cached reference statistics, and `evaluate`."""

from keras_gan.metrics.conditional import classification_accuracy_score, intra_class_fid
from keras_gan.metrics.evaluation import evaluate, metric_keys, protocol_suffix, protocols
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
from keras_gan.metrics.image_quality import ms_ssim, ms_ssim_diversity, psnr, ssim
from keras_gan.metrics.inception_2015 import inception_fid
from keras_gan.metrics.inception_score import inception_score
from keras_gan.metrics.kid import kernel_distance
from keras_gan.metrics.path_length import lpips_vgg16, perceptual_path_length
from keras_gan.metrics.memorization import memorization, nearest_neighbour_grid, nearest_neighbours
from keras_gan.metrics.modes import mode_coverage
from keras_gan.metrics.prdc import density_coverage, precision_recall
from keras_gan.metrics.sifid import sifid, sifid_extractor
from keras_gan.metrics.sliced_wasserstein import swd

__all__ = [
    "sifid",
    "sifid_extractor",
    "evaluate",
    "metric_keys",
    "protocol_suffix",
    "protocols",
    "inception_fid",
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
    "memorization",
    "classification_accuracy_score",
    "intra_class_fid",
    "nearest_neighbours",
    "nearest_neighbour_grid",
    "psnr",
    "ssim",
    "ms_ssim",
    "ms_ssim_diversity",
    "perceptual_path_length",
    "lpips_vgg16",
    "swd",
]
