"""Keras callbacks for GAN training: sample grids, evaluation, generator EMA, monitoring.

`GAN.fit` runs these before the user's other callbacks (`GeneratorEMA` first),
so `ModelCheckpoint`, `CSVLogger` or `EarlyStopping` see the values they log.
"""

from keras_gan.callbacks.ema import GeneratorEMA
from keras_gan.callbacks.evaluation import FID, Evaluation
from keras_gan.callbacks.mode_coverage import ModeCoverage
from keras_gan.callbacks.monitor import GANTrainingWarning, TrainingMonitor
from keras_gan.callbacks.progressive import ProgressiveGrowing
from keras_gan.callbacks.sample_grid import SampleGrid
from keras_gan.callbacks.translation_grid import TranslationGrid

__all__ = [
    "SampleGrid",
    "TranslationGrid",
    "Evaluation",
    "FID",
    "GeneratorEMA",
    "ModeCoverage",
    "ProgressiveGrowing",
    "TrainingMonitor",
    "GANTrainingWarning",
]
