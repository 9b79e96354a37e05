"""The benchmark scripts run end to end (tiny sizes)."""

import json
import math
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

pytestmark = pytest.mark.slow


def test_train_step_benchmark_reports_ratios(capsys, monkeypatch):
    import train_step

    # "auto": each side as it ships (keras-gan: measured in a long run's first
    # steps; Keras: off on CPU).
    monkeypatch.delenv("KERAS_GAN_JIT", raising=False)
    # One cheap network: each "auto" row runs the first steps of a long fit,
    # compiles both ways and times two smoke runs (the convolutional networks
    # are covered by the mixed-precision and engine-revision tests).
    report = train_step.main(["--steps", "2", "--warmup", "1", "--repeats", "1",
                              "--base-filters", "4", "--jit-modes", "off,auto",
                              "--models", "mlp28", "--batch-size", "8",
                              "--precisions", "float32"])
    printed = json.loads(capsys.readouterr().out)
    assert printed == report
    assert {(r["model"], r["loss"]) for r in report["results"]} == {
        ("mlp28", v) for v in ("non_saturating", "wasserstein_gp")}
    assert report["min_ratio_as_shipped"] == min(
        r["ratio"] for r in report["results"] if r["jit"] == "auto")
    for row in report["results"]:
        assert row["engine_steps_per_s"] > 0 and row["baseline_steps_per_s"] > 0
        assert row["ratio"] == pytest.approx(row["engine_steps_per_s"] / row["baseline_steps_per_s"], rel=1e-2)
        if row["jit"] == "auto":
            decision = row["xla_decision"]
            assert decision["measured"] and not decision["cached"]
            assert row["engine_jit"] is decision["xla"] and row["baseline_jit"] is False
            assert row["decision_fit_steps"] == decision["measured_steps"]
            assert row["smoke_2_steps_s"]["auto"] > 0 and row["smoke_2_steps_s"]["off"] > 0
        else:
            assert (row["engine_jit"], row["baseline_jit"]) == (False, False)
    assert report["dcgan28_default_ratio"] is None  # dcgan28 not measured here
    with pytest.raises(SystemExit):
        train_step.main(["--jit-modes", "fast"])


def test_train_step_benchmark_under_mixed_precision(capsys):
    import keras
    import train_step

    assert train_step.supported_precisions()[0] == "float32"
    report = train_step.main(["--steps", "1", "--warmup", "1", "--repeats", "1",
                              "--base-filters", "4", "--jit-modes", "off",
                              "--precisions", "mixed_bfloat16", "--models", "dcgan28"])
    assert [r["precision"] for r in report["results"]] == ["mixed_bfloat16"] * 2
    assert all(r["engine_steps_per_s"] > 0 for r in report["results"])
    assert report["dcgan28_default_ratio"] is None  # no float32 "auto" row measured
    assert keras.mixed_precision.global_policy().name == "float32"  # restored
    with pytest.raises(SystemExit):
        train_step.main(["--precisions", "float8"])
    capsys.readouterr()


def test_replica_scaling_benchmark(capsys):
    import subprocess

    import replicas

    # In a subprocess: it splits the CPU into logical devices and creates
    # MirroredStrategy instances, which this process's distribution tests own.
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "replicas.py"), "--logical-cpus", "2",
         "--model", "dcgan28", "--batch-size", "8", "--base-filters", "4", "--steps", "2",
         "--warmup", "1", "--repeats", "1"],
        capture_output=True, text=True, timeout=600, check=True)
    report = json.loads(result.stdout)
    rows = report["results"]
    assert [(r["replicas"], r["global_batch"]) for r in rows] == [(1, 8), (2, 16)]
    assert rows[0]["efficiency"] == 1.0 and rows[1]["images_per_s"] > 0
    assert rows[1]["efficiency"] == pytest.approx(
        rows[1]["images_per_s"] / (2 * rows[0]["images_per_s"]), rel=1e-2)
    for bad in (["--replicas", "3"], ["--replicas", "two"]):  # 2 logical CPUs here
        with pytest.raises(SystemExit):
            replicas.main(bad)
    assert "needs between 1 and 2 devices" in capsys.readouterr().err


def test_frechet_benchmark_agrees_with_scipy(capsys):
    import frechet

    report = frechet.main(["--dim", "64", "--samples", "256", "--repeats", "1"])
    assert json.loads(capsys.readouterr().out) == report
    assert report["relative_difference"] < 1e-6
    assert report["symmetric_eigen_seconds"] > 0 and report["sqrtm_seconds"] > 0


def test_flop_count_matches_closed_forms():
    import keras
    import train_step

    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(5, 3, padding="same")(inputs)           # 8*8 outputs * 3*3*3*5
    x = keras.layers.Conv2DTranspose(2, 4, strides=2, padding="same")(x)  # 8*8 inputs * 4*4*5*2
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(7)(x)                               # (16*16*2) * 7
    model = keras.Model(inputs, outputs)
    expected = 2 * (64 * 27 * 5 + 64 * 16 * 5 * 2 + 512 * 7)
    assert train_step.forward_flops(model) == expected
    # D step: G forward + D fwd/bwd on real and fake; G step: G and D fwd/bwd.
    assert train_step.step_flops(model, model, 4) == 4 * (expected + 6 * expected + 6 * expected)


def test_sampling_benchmark_reports_ratios(capsys):
    import sampling

    report = sampling.main(["--samples", "8", "--images", "2", "--batch-size", "4",
                            "--base-filters", "4", "--repeats", "1"])
    assert json.loads(capsys.readouterr().out) == report
    for part in ("generation", "feature_extraction"):
        row = report[part]
        assert row["engine_images_per_s"] > 0 and row["baseline_images_per_s"] > 0
        assert row["ratio"] == pytest.approx(
            row["engine_images_per_s"] / row["baseline_images_per_s"], rel=2e-2)


def test_input_pipeline_benchmark_reports_rates(capsys):
    import input_pipeline

    report = input_pipeline.main(["--steps", "2", "--warmup", "1", "--repeats", "1",
                                  "--base-filters", "4", "--batch-size", "8"])
    assert json.loads(capsys.readouterr().out) == report
    for key in ("pipeline_alone", "train_in_memory", "train_from_pipeline"):
        assert report[f"{key}_images_per_s"] > 0
    assert report["pipeline_headroom"] == pytest.approx(
        report["pipeline_alone_images_per_s"] / report["train_in_memory_images_per_s"], rel=0.02)


def test_engine_revisions_benchmark_times_two_engines_in_one_process(capsys):
    import engine_revisions

    report = engine_revisions.main(["--against", "HEAD", "--steps", "1", "--warmup", "1",
                                    "--repeats", "1", "--base-filters", "4",
                                    "--jit-modes", "off", "--networks", "dcgan28"])
    assert json.loads(capsys.readouterr().out) == report
    assert [(r["loss"], r["d_steps"]) for r in report["results"]] == [
        ("non_saturating", 1), ("wasserstein_gp", 5)]
    for row in report["results"]:
        assert row["current_steps_per_s"] > 0 and row["previous_steps_per_s"] > 0
        assert row["ratio"] == pytest.approx(
            row["current_steps_per_s"] / row["previous_steps_per_s"], rel=1e-2)
    assert report["min_ratio"] == min(r["ratio"] for r in report["results"])
    with pytest.raises(SystemExit, match="git archive"):
        engine_revisions.main(["--against", "no-such-revision"])


def test_finetune_benchmark_trains_three_ways_and_judges_them(capsys, tmp_path, monkeypatch):
    import finetune

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    report = finetune.main(["--pretrain-steps", "2", "--steps", "2", "--samples", "64",
                            "--small", "--freeze-d", "2"])
    assert json.loads(capsys.readouterr().out) == report
    assert report["judge_test_accuracy"] > 0.9  # the judge itself reads digits
    real = report["judge_real_vs_real"]
    assert real["target_share"] > 0.9 and real["target_classes_covered"] == 5
    assert sorted(report["results"]) == ["init", "init_freeze_d2", "scratch"]
    for row in report["results"].values():
        assert 0 <= row["target_share"] <= 1 and row["frechet"] > 0
        assert sum(row["class_histogram"]) == pytest.approx(1.0, abs=1e-3)


def test_quality_benchmark_judges_recipes_and_the_textbook_baseline(capsys, monkeypatch):
    import quality

    monkeypatch.setattr(quality, "FEWSHOT_SETUPS", {"plain": [], "ada": quality.FEWSHOT_SETUPS["ada"]})
    report = quality.main(["--steps", "2", "--mixture-steps", "2", "--samples", "64", "--small",
                           "--fewshot", "40", "--fewshot-steps", "2", "--mixtures", "mixtures_grid",
                           "--mixture-seeds", "0", "--refine-steps", "3"])
    assert json.loads(capsys.readouterr().out) == report
    mnist = report["mnist"]
    assert set(mnist["results"]) == {"textbook_dcgan", "dcgan_mnist"}
    assert mnist["results"]["textbook_dcgan"]["frechet_vs_textbook"] == 1.0
    for row in [*mnist["results"].values(), *mnist["fewshot"]["results"].values(), mnist["real_vs_real"]]:
        assert 0 <= row["classes_covered"] <= 10 and row["kl_uniform"] >= 0 and row["frechet"] >= 0
        assert sum(row["class_histogram"]) == pytest.approx(1.0, abs=1e-3)
        assert 0 <= row["precision"] <= 1 and 0 <= row["recall"] <= 1
    assert mnist["real_vs_real"]["classes_covered"] == 10
    assert "final_augment_p" in mnist["fewshot"]["results"]["ada"]
    grid = report["mixtures"]["mixtures_grid"]
    assert grid["of_modes"] == 25 and grid["refine_steps"] == 3 and len(grid["runs"]) == 1
    for key in ("modes", "refined_modes"):
        assert 0 <= grid["runs"][0][key] <= 25 and grid["mean"][key] == grid["runs"][0][key]
    assert 0 <= grid["min"]["high_quality"] <= 1 and 0 <= grid["min"]["refined_high_quality"] <= 1
    with pytest.raises(SystemExit):
        quality.main(["--only", "cifar"])


def test_quality_benchmark_kl_and_textbook_model():
    import quality

    assert quality._kl([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2))
    model = quality.TextbookDCGAN(latent_dim=4, width=2)
    assert model.generator.output_shape == (None, 28, 28, 1)
    assert model.discriminator.output_shape == (None, 1)


def test_domain_adaptation_benchmark_trains_both_ways(capsys):
    import domain_adaptation

    report = domain_adaptation.main(["--steps", "2", "--batch-size", "16", "--num-source", "64",
                                     "--num-test", "32"])
    assert json.loads(capsys.readouterr().out) == report
    assert set(report["results"]) == {"source_only", "dann"}
    for row in report["results"].values():
        assert 0 <= row["target_accuracy"] <= 1 and 0 <= row["source_accuracy"] <= 1
    assert report["target_gain"] == pytest.approx(
        report["results"]["dann"]["target_accuracy"]
        - report["results"]["source_only"]["target_accuracy"], abs=1e-4)


def test_representation_benchmark_probes_encoders(capsys):
    import representation

    report = representation.main(["--steps", "2", "--small"])
    assert json.loads(capsys.readouterr().out) == report
    assert report["pixels_linear_probe"] > 0.85  # the probe itself works on MNIST pixels
    assert set(report["results"]) == {"bigan_mnist", "vae_mnist"}
    for row in report["results"].values():
        assert 0 <= row["linear_probe"] <= 1 and row["reconstruction_mse"] > 0
    assert report["results"]["vae_mnist"]["test_elbo"] < 0


def test_linear_probe_matches_a_separable_toy():
    import numpy as np

    import representation

    rng = np.random.default_rng(0)
    centers = rng.normal(0, 5, (3, 4))
    labels = rng.integers(0, 3, 300)
    points = centers[labels] + rng.normal(0, 0.3, (300, 4))
    assert representation.linear_probe(points[:200], labels[:200], points[200:], labels[200:],
                                       classes=3) == 1.0
    noise = rng.normal(size=(300, 4))  # no signal: chance level
    assert representation.linear_probe(noise[:200], labels[:200], noise[200:], labels[200:],
                                       classes=3) < 0.6


def test_field_benchmark_judges_each_kind_of_model(capsys):
    import field

    report = field.main(["--recipes", "vaegan_mnist,cogan_mnist,simgan_mnist", "--steps", "2",
                         "--samples", "64", "--small"])
    assert json.loads(capsys.readouterr().out) == report
    results = report["results"]
    assert list(results) == ["vaegan_mnist", "cogan_mnist", "simgan_mnist"]
    for row in (results["vaegan_mnist"], results["cogan_mnist"]["domain_a"],
                results["cogan_mnist"]["domain_b_negated"]):
        assert 0 <= row["classes_covered"] <= 10 and row["frechet"] >= 0
        assert sum(row["class_histogram"]) == pytest.approx(1.0, abs=1e-3)
    assert 0 <= results["cogan_mnist"]["pair_agreement"] <= 1
    simgan = results["simgan_mnist"]
    assert simgan["images"] == 128 and simgan["mean_abs_change"] > 0
    # The unrefined "rendered" digits are still digits to the judge.
    assert simgan["judge_accuracy_synthetic"] > 0.8
    for key in ("judge_accuracy_refined", "downstream_accuracy_synthetic",
                "downstream_accuracy_refined"):
        assert 0 <= simgan[key] <= 1
    with pytest.raises(SystemExit):
        field.main(["--recipes", "stylegan_ffhq"])


def test_threads_benchmark_runs_each_setting_in_its_own_process(capsys):
    import threads

    report = threads.main(["--settings", "default,1x1", "--models", "mlp28", "--steps", "2",
                           "--repeats", "1", "--base-filters", "4", "--jit-modes", "off"])
    assert json.loads(capsys.readouterr().out) == report
    rows = {(r["setting"], r["loss"]): r for r in report["results"]}
    assert set(rows) == {(s, loss) for s in ("default", "1x1")
                         for loss in ("non_saturating", "wasserstein_gp")}
    # The pools really were set in the child process (0 = TensorFlow's choice).
    assert rows["1x1", "non_saturating"]["intra_op"] == 1
    assert rows["1x1", "non_saturating"]["inter_op"] == 1
    assert rows["default", "non_saturating"]["intra_op"] == 0
    for row in report["results"]:
        assert row["engine_steps_per_s"] > 0
        if row["setting"] == "default":
            assert row["engine_vs_default"] == 1.0
    with pytest.raises(SystemExit):
        threads.main(["--settings", "1x1"])  # no default to compare with


def test_diagnostics_benchmark_times_the_step_with_and_without_gradient_norms(capsys):
    import diagnostics
    import train_step

    report = diagnostics.main(["--models", "mlp28", "--steps", "2", "--repeats", "1",
                               "--base-filters", "4", "--jit-modes", "off"])
    assert json.loads(capsys.readouterr().out) == report
    assert [(r["loss"], r["jit"]) for r in report["results"]] == [
        ("non_saturating", False), ("wasserstein_gp", False)]
    assert all(r["ratio"] > 0 for r in report["results"])
    # The stripped engine really skips the norm: it logs none, the shipped one does.
    dataset = train_step._dataset(8, "mlp28")
    logs = {norms: diagnostics.build("non_saturating", False, 4, "mlp28", norms).fit(
        dataset, steps_per_epoch=1, verbose=0).history["d_grad_norm"][0]
        for norms in (True, False)}
    assert logs[True] > 0 and logs[False] == 0
