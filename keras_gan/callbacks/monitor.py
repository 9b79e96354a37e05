"""Warns, once each, about the usual ways GAN training fails."""

import math
import warnings

import keras
import numpy as np

from keras_gan import losses
from keras_gan._checks import check_positive_int
from keras_gan.callbacks._base import GANCallback

# Losses whose discriminator loss is bounded below by 0 (so "near 0" means
# the discriminator separates real from fake perfectly).
_NONNEGATIVE_D_LOSSES = (losses.Minimax, losses.NonSaturating, losses.Hinge, losses.LeastSquares)


class GANTrainingWarning(UserWarning):
    """A warning from `TrainingMonitor` about the state of GAN training."""


@keras.saving.register_keras_serializable(package="keras_gan")
class TrainingMonitor(GANCallback):
    """Watches the training logs and samples, and warns once per problem.

    Checks:
    - **discriminator collapse**: `d_loss` below `d_loss_floor` for
      `patience` consecutive batches (loss families bounded below by 0:
      non-saturating, minimax, hinge, least squares). The generator then gets
      little useful gradient; lower D's learning rate, add a penalty (R1, GP)
      or use spectral normalization.
    - **vanishing gradients**: `g_grad_norm` (or `d_grad_norm`) below
      `grad_floor` for `patience` consecutive batches.
    - **non-finite losses**: any logged loss becomes NaN or infinite (the
      engine's `NonFiniteGuard` then stops training).
    - **mode collapse**: at the end of every `diversity_every_n_epochs`
      epochs, the mean pairwise distance of samples from a fixed latent batch
      falls below `diversity_ratio` times a reference: the pairwise distance
      of `reference_samples` (real data) when given, otherwise the largest
      diversity seen so far in this run. A freshly initialized generator
      often has little diversity, so this check starts after
      `warmup_epochs` epochs.

    Warnings are `GANTrainingWarning`s issued through `warnings.warn` (once
    per problem per `fit`), and recorded in `self.warnings`.

    Args:
        d_loss_floor: threshold of the discriminator-collapse check.
        grad_floor: threshold of the vanishing-gradient check.
        patience: consecutive batches a condition must hold.
        diversity_ratio: threshold of the mode-collapse check.
        num_diversity_samples: size of the fixed latent batch.
        diversity_every_n_epochs: how often diversity is measured.
        reference_samples: optional real samples for the diversity reference.
        warmup_epochs: epochs before the mode-collapse check starts.
        seed: seed of the fixed latents.
    """

    def __init__(self, d_loss_floor=1e-3, grad_floor=1e-7, patience=20, diversity_ratio=0.1,
                 num_diversity_samples=64, diversity_every_n_epochs=1, reference_samples=None,
                 warmup_epochs=1, seed=0):
        super().__init__()
        check_positive_int(patience=patience, num_diversity_samples=num_diversity_samples,
                           diversity_every_n_epochs=diversity_every_n_epochs)
        if num_diversity_samples < 2:
            raise ValueError("`num_diversity_samples` must be at least 2.")
        self.d_loss_floor = float(d_loss_floor)
        self.grad_floor = float(grad_floor)
        self.patience = int(patience)
        self.diversity_ratio = float(diversity_ratio)
        self.num_diversity_samples = int(num_diversity_samples)
        self.diversity_every_n_epochs = int(diversity_every_n_epochs)
        self.reference_samples = reference_samples
        if int(warmup_epochs) < 0:
            raise ValueError(f"`warmup_epochs` must be >= 0. Received: warmup_epochs={warmup_epochs}")
        self.warmup_epochs = int(warmup_epochs)
        self.seed = int(seed)
        self.warnings = []
        self.diversity = []

    def on_train_begin(self, logs=None):
        model = self._gan()
        self._warned = set()
        self._streaks = {}
        rng = np.random.default_rng(self.seed)
        self._latents = model.latents_from(rng, self.num_diversity_samples)
        num_classes = getattr(model, "sampling_classes", None)
        self._labels = None if not num_classes else \
            np.arange(self.num_diversity_samples) % num_classes
        self._reference_diversity = None
        if self.reference_samples is not None:
            self._reference_diversity = mean_pairwise_distance(self.reference_samples)

    def _warn(self, problem, message):
        if problem in self._warned:
            return
        self._warned.add(problem)
        self.warnings.append((problem, message))
        warnings.warn(message, GANTrainingWarning, stacklevel=2)

    def _streak(self, name, condition):
        self._streaks[name] = self._streaks.get(name, 0) + 1 if condition else 0
        return self._streaks[name] >= self.patience

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        step = int(self.model.step_counter.numpy())
        for key in ("d_loss", "g_loss"):
            if key in logs and not math.isfinite(float(logs[key])):
                self._warn("non_finite", (
                    f"{key} became {float(logs[key])} at step {step}: training diverged. "
                    "Lower the learning rates, add a penalty, or check the data for NaNs."))
        bounded = isinstance(getattr(self.model, "loss_fn", None), _NONNEGATIVE_D_LOSSES)
        if "d_loss" in logs and bounded:
            if self._streak("d_collapse", float(logs["d_loss"]) < self.d_loss_floor):
                self._warn("d_collapse", (
                    f"The discriminator loss has stayed below {self.d_loss_floor:g} for "
                    f"{self.patience} batches (now {float(logs['d_loss']):.3g} at step {step}): "
                    "the discriminator wins outright and the generator's gradients carry "
                    "little signal. Lower the discriminator's learning rate or d_steps, add "
                    "an R1 or gradient penalty, or use spectral normalization."))
        for key in ("g_grad_norm", "d_grad_norm"):
            if key in logs and self._streak(key, float(logs[key]) < self.grad_floor):
                network = "generator" if key.startswith("g") else "discriminator"
                self._warn(f"vanishing_{key}", (
                    f"The {network}'s gradient norm has stayed below {self.grad_floor:g} for "
                    f"{self.patience} batches (now {float(logs[key]):.3g} at step {step}): "
                    "its gradients vanish. With the minimax loss use 'non_saturating'; "
                    "check for saturated activations or a collapsed discriminator."))

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.diversity_every_n_epochs:
            return
        samples = self.model.generate(latents=self._latents, labels=self._labels, use_ema=False)
        diversity = mean_pairwise_distance(samples)
        self.diversity.append(diversity)
        reference = self._reference_diversity or max(self.diversity)
        source = "the real samples" if self._reference_diversity else "earlier in this run"
        warm = epoch + 1 > self.warmup_epochs
        if warm and reference > 0 and diversity < self.diversity_ratio * reference:
            self._warn("mode_collapse", (
                f"Sample diversity fell to {diversity:.3g} after epoch {epoch + 1}, under "
                f"{self.diversity_ratio:g}x the {reference:.3g} of {source}: the generator "
                "maps many latents to nearly the same output (mode collapse). Try a "
                "gradient penalty or R1, minibatch standard deviation in D, a lower "
                "generator learning rate, or restart from an earlier checkpoint."))

    def get_config(self):
        if self.reference_samples is not None:
            raise TypeError(
                "TrainingMonitor with `reference_samples` is not serializable; rebuild it in code.")
        return {
            "d_loss_floor": self.d_loss_floor, "grad_floor": self.grad_floor,
            "patience": self.patience, "diversity_ratio": self.diversity_ratio,
            "num_diversity_samples": self.num_diversity_samples,
            "diversity_every_n_epochs": self.diversity_every_n_epochs,
            "warmup_epochs": self.warmup_epochs, "seed": self.seed,
        }


def mean_pairwise_distance(samples):
    """Mean Euclidean distance between distinct pairs of flattened samples."""
    x = np.asarray(samples, np.float64).reshape(len(samples), -1)
    if len(x) < 2:
        raise ValueError("Diversity needs at least 2 samples.")
    sq = (x * x).sum(1)
    d = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * x @ x.T, 0.0))
    return float(d.sum() / (len(x) * (len(x) - 1)))
