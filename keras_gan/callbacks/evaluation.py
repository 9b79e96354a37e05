"""Evaluates FID (and KID, IS, PR, density/coverage) every N epochs of `fit`."""

import os
import time

import keras

from keras_gan._checks import check_positive_int
from keras_gan.callbacks._base import GANCallback
from keras_gan.metrics.evaluation import check_metrics, evaluate, metric_keys, protocols
from keras_gan.metrics.features import FeatureStatistics, as_extractor, reference_statistics


@keras.saving.register_keras_serializable(package="keras_gan")
class Evaluation(GANCallback):
    """Scores generated samples against real data every N epochs and puts the
    values into the epoch's `logs`.

    Keys carry the sample count and the protocol of the network
    (`fid_5k_keras`, `kid_5k_keras`, `kid_5k_keras_std`, `is_5k_keras`,
    `precision_5k_keras`, ... with the default extractor; `fid_5k_tf2015` with
    `metrics.inception_fid()`; `fid_5k`, `kid_5k`, ... with an extractor of
    your own), so `History`, `CSVLogger`, `TensorBoard`,
    `ModelCheckpoint(monitor="fid_5k_keras")`
    and `EarlyStopping` see them. `GAN.fit` runs keras-gan callbacks before
    the others, so those callbacks find the values whatever the list order.

    It evaluates after the first epoch (a baseline, and `CSVLogger` fixes its
    columns then), every `every_n_epochs` epochs after it, and after the last
    epoch; other epochs carry no metric keys (`ModelCheckpoint` and
    `EarlyStopping` skip them with a warning).

    The real statistics are computed once at the start of training (cached on
    disk when `reference_name` is given). The generated samples come from
    fixed seeded latents and from the averaged generator when the model has
    one (`use_ema`).

    With the default extractor (ImageNet InceptionV3 from
    `keras.applications`) the values are *not* comparable with published FIDs,
    which use the TF 2015 Inception graph; they compare runs of this toolkit.
    `extractor=keras_gan.metrics.inception_fid()` is that graph.

    Args:
        reference: real images in [-1, 1] (array, `tf.data.Dataset`, iterable
            of batches), precomputed `FeatureStatistics`, or a `.npz` path.
        metrics: any of `fid`, `kid`, `is`, `pr`, `dc` (list or "fid,kid").
        num_samples: generated (and, by default, real) images per evaluation.
        every_n_epochs: evaluation interval in epochs.
        extractor: feature extractor (`keras.Model`, callable or
            `keras_gan.metrics.FeatureExtractor`); default InceptionV3 pool.
        classifier: class-probability model for `is`; default InceptionV3.
        reference_samples: real images for the reference (default `num_samples`).
        reference_name: dataset name for the on-disk cache key (e.g.
            "cifar10"); None disables the disk cache.
        reference_split: split name in the cache key.
        cache_dir: where cached reference statistics live.
        seed, batch_size, use_ema, kid_subsets, kid_subset_size: see
            `keras_gan.metrics.evaluate`.
        verbose: 1 prints the values and shows progress bars.

    Example:

    ```python
    fid = Evaluation(real_images, metrics="fid,kid", num_samples=5000, every_n_epochs=5)
    gan.fit(ds, epochs=50, callbacks=[fid, keras.callbacks.ModelCheckpoint(
        "best.keras", monitor="fid_5k_keras", save_best_only=True)])
    ```
    """

    def __init__(self, reference, metrics=("fid",), num_samples=5000, every_n_epochs=1,
                 extractor=None, classifier=None, reference_samples=None, reference_name=None,
                 reference_split="train", cache_dir=None, seed=0, batch_size=64, use_ema=True,
                 kid_subsets=100, kid_subset_size=1000, verbose=0):
        super().__init__()
        self.metrics = check_metrics(metrics)
        check_positive_int(num_samples=num_samples, every_n_epochs=every_n_epochs,
                           batch_size=batch_size)
        self.reference = reference
        self.num_samples = int(num_samples)
        self.every_n_epochs = int(every_n_epochs)
        self.extractor = extractor
        self.classifier = classifier
        self.reference_samples = int(reference_samples or num_samples)
        self.reference_name = reference_name
        self.reference_split = reference_split
        self.cache_dir = cache_dir
        self.seed = int(seed)
        self.batch_size = int(batch_size)
        self.use_ema = use_ema
        self.kid_subsets = int(kid_subsets)
        self.kid_subset_size = int(kid_subset_size)
        self.verbose = verbose
        self.keys = metric_keys(self.metrics, self.num_samples, protocols(extractor, classifier))
        self.history = []
        self._reference_stats = None
        self._extractor = None
        self._classifier = None
        self.seconds = None

    def on_train_begin(self, logs=None):
        self._gan()
        needs_reference = any(m != "is" for m in self.metrics)
        if needs_reference and self._reference_stats is None:
            self._extractor = as_extractor(self.extractor)
            keep = any(m in self.metrics for m in ("kid", "pr", "dc"))
            if isinstance(self.reference, FeatureStatistics):
                self._reference_stats = self.reference
            elif isinstance(self.reference, (str, os.PathLike)):
                self._reference_stats = FeatureStatistics.load(self.reference)
            else:
                self._reference_stats = reference_statistics(
                    self.reference, self._extractor, self.reference_samples,
                    name=self.reference_name, split=self.reference_split,
                    cache_dir=self.cache_dir, keep_features=keep, verbose=self.verbose)
        if "is" in self.metrics and self.classifier is not None:
            self._classifier = as_extractor(self.classifier)

    def on_epoch_end(self, epoch, logs=None):
        last = epoch + 1 == self.params.get("epochs")
        if epoch % self.every_n_epochs and not last:
            return
        values = self.evaluate()
        if logs is not None:
            logs.update(values)
        self.history.append({"epoch": epoch + 1, **values})
        if self.verbose:
            keras.utils.io_utils.print_msg(
                f"Epoch {epoch + 1}: " + ", ".join(f"{k}={v:.4g}" for k, v in values.items()))

    def evaluate(self):
        """Evaluates the model now; returns the dict of metric values."""
        if self._reference_stats is None and any(m != "is" for m in self.metrics):
            self.on_train_begin()
        start = time.perf_counter()
        values = evaluate(
            self.model, self._reference_stats, self.metrics, self.num_samples,
            extractor=self._extractor, classifier=self._classifier, seed=self.seed,
            batch_size=self.batch_size, use_ema=self.use_ema, kid_subsets=self.kid_subsets,
            kid_subset_size=self.kid_subset_size, verbose=self.verbose)
        self.seconds = time.perf_counter() - start
        return values

    def get_config(self):
        if not isinstance(self.reference, (str, os.PathLike)):
            raise TypeError(
                "Evaluation is serializable when `reference` is a path to saved statistics "
                "(FeatureStatistics.save); in-memory images or datasets are not.")
        for name in ("extractor", "classifier"):
            if getattr(self, name) is not None:
                raise TypeError(
                    f"Evaluation with a custom `{name}` is not serializable; rebuild it in code.")
        return {
            "reference": os.fspath(self.reference), "metrics": self.metrics,
            "num_samples": self.num_samples, "every_n_epochs": self.every_n_epochs,
            "reference_samples": self.reference_samples, "reference_name": self.reference_name,
            "reference_split": self.reference_split, "cache_dir": self.cache_dir,
            "seed": self.seed, "batch_size": self.batch_size, "use_ema": self.use_ema,
            "kid_subsets": self.kid_subsets, "kid_subset_size": self.kid_subset_size,
            "verbose": self.verbose,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class FID(Evaluation):
    """`Evaluation` of FID only (`fid_5k_keras` for 5000 samples with the
    default extractor); see `Evaluation`.

    Example:

    ```python
    gan.fit(ds, epochs=20, callbacks=[FID(real_images, num_samples=5000, every_n_epochs=5)])
    ```
    """

    def __init__(self, reference, num_samples=5000, every_n_epochs=1, **kwargs):
        kwargs.pop("metrics", None)
        super().__init__(reference, metrics=("fid",), num_samples=num_samples,
                         every_n_epochs=every_n_epochs, **kwargs)
