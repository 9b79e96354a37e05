import warnings

import keras
import numpy as np
import pytest

from keras_gan import callbacks
from keras_gan.callbacks.monitor import GANTrainingWarning, mean_pairwise_distance
from tests.conftest import images, tiny_image_gan


def _attached(monitor, **compile_kwargs):
    gan = tiny_image_gan()
    gan.compile(**compile_kwargs)
    monitor.set_model(gan)
    monitor.on_train_begin()
    return gan


def _problems(monitor):
    return [problem for problem, _ in monitor.warnings]


def test_discriminator_collapse_warns_once_after_patience():
    monitor = callbacks.TrainingMonitor(patience=3)
    _attached(monitor)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            monitor.on_train_batch_end(0, {"d_loss": 1e-5})
        assert not caught
        monitor.on_train_batch_end(0, {"d_loss": 0.5})  # the streak resets
        for _ in range(10):
            monitor.on_train_batch_end(0, {"d_loss": 1e-5})
    assert _problems(monitor) == ["d_collapse"]
    assert len([w for w in caught if issubclass(w.category, GANTrainingWarning)]) == 1
    assert "R1" in str(caught[0].message)


def test_wasserstein_critic_loss_is_not_a_collapse():
    monitor = callbacks.TrainingMonitor(patience=1)
    _attached(monitor, loss="wasserstein")
    monitor.on_train_batch_end(0, {"d_loss": -5.0})
    assert monitor.warnings == []


def test_vanishing_gradients_and_non_finite_losses_warn():
    monitor = callbacks.TrainingMonitor(patience=2)
    _attached(monitor)
    with pytest.warns(GANTrainingWarning, match="gradients vanish"):
        for _ in range(2):
            monitor.on_train_batch_end(0, {"g_grad_norm": 0.0, "d_grad_norm": 1.0})
    with pytest.warns(GANTrainingWarning, match="diverged"):
        monitor.on_train_batch_end(0, {"d_loss": float("nan")})
    assert _problems(monitor) == ["vanishing_g_grad_norm", "non_finite"]


def test_mode_collapse_warns_inside_fit():
    gan = tiny_image_gan()
    gan.compile()
    last = [layer for layer in gan.generator.layers if hasattr(layer, "kernel")][-1]
    # A generator that maps every latent to one image: its last layer is constant.
    last.kernel.assign(np.zeros(last.kernel.shape, np.float32))
    last.trainable = False
    gan.compile()  # the trainable set changed
    monitor = callbacks.TrainingMonitor(reference_samples=images(16))
    with pytest.warns(GANTrainingWarning, match="mode collapse"):
        gan.fit(images(8), batch_size=4, epochs=2, verbose=0, callbacks=[monitor])
    assert _problems(monitor) == ["mode_collapse"]
    assert max(monitor.diversity) < 1e-5


def test_a_healthy_short_run_gives_no_warning():
    gan = tiny_image_gan()
    gan.compile()
    monitor = callbacks.TrainingMonitor(warmup_epochs=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GANTrainingWarning)
        gan.fit(images(8), batch_size=4, epochs=3, verbose=0, callbacks=[monitor])
    assert monitor.warnings == [] and len(monitor.diversity) == 3
    assert min(monitor.diversity) > 0


def test_mean_pairwise_distance_closed_form():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]])
    # pairs: 5, 0, 5 (each counted twice) -> 20 / 6
    assert mean_pairwise_distance(points) == pytest.approx(10 / 3)
    monitor = callbacks.TrainingMonitor(patience=5)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(monitor))
    assert restored.get_config() == monitor.get_config()


def test_mode_coverage_logs_raw_and_refined_samples(tmp_path):
    from keras_gan import data, metrics
    from tests.conftest import ring_points, tiny_mlp_gan

    gan = tiny_mlp_gan()
    gan.compile()
    coverage = callbacks.ModeCoverage("ring", tmp_path, num_samples=64, seed=2, refine_steps=3)
    history = gan.fit(ring_points(32), batch_size=16, epochs=1, verbose=0, callbacks=[coverage])
    _, centers, std = data.load_mixture("ring", 1)
    for prefix, steps in (("", 0), ("refined_", 3)):
        expected = metrics.mode_coverage(gan.generate(64, seed=2, refine_steps=steps), centers, std)
        assert history.history[f"{prefix}high_quality"] == [expected["high_quality"]]
        assert history.history[f"{prefix}modes"] == [expected["modes"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_0001.png",
                                                          "epoch_0001_refined.png"]
    assert callbacks.ModeCoverage.from_config(coverage.get_config()).refine_steps == 3
    with pytest.raises(ValueError, match="refine_steps"):
        callbacks.ModeCoverage("ring", refine_steps=-1)
