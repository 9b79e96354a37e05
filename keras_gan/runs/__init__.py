"""Training runs from recipes: resolved config, run directory, exact resume.

`train(config, out)` is the entry point (`keras-gan train` only parses its
arguments and calls it). The package is layered, each module importing only
those above it in this list:

- `config`: `DEFAULTS`, recipe resolution, `--set` overrides, `RunError`;
- `checkpoints`: the last K verified checkpoints, damaged ones skipped;
- `directory`: the run directory's files, the resume rules, its callbacks
  (checkpoint, CSV, plots, TensorBoard), `load_run`;
- `evaluation`: feature extractors by name, real references, `evaluate_run`
  (the `keras-gan evaluate` command);
- `kinds`: one module per kind of run (images, mixtures, image-to-image,
  single image) behind a registry, each saying how to build its data, model,
  progress callbacks and summary;
- `training`: `train`, the loop over epochs that every kind shares.

Nothing in `models`, `callbacks` or `metrics` imports this package.
"""

from keras_gan.runs.config import (DEFAULTS, MIXTURES, RESUMABLE_CHANGES, RunError,
                                   resolve_config)
from keras_gan.runs.directory import load_run
from keras_gan.runs.evaluation import evaluate_run
from keras_gan.runs.kinds.base import penalties
from keras_gan.runs.training import (build_examples, build_model, epoch_batches, schedule,
                                     train)

__all__ = ["DEFAULTS", "MIXTURES", "RESUMABLE_CHANGES", "RunError", "build_examples",
           "build_model", "epoch_batches", "evaluate_run", "load_run", "penalties", "resolve_config",
           "schedule", "train"]
