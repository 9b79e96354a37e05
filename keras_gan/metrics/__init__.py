"""Evaluation metrics."""

from keras_gan.metrics.modes import mode_coverage

__all__ = ["mode_coverage"]
