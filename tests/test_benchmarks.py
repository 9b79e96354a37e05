"""The benchmark scripts run end to end (tiny sizes)."""

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

pytestmark = pytest.mark.slow


def test_train_step_benchmark_reports_ratios(capsys):
    import train_step

    report = train_step.main(["--steps", "2", "--warmup", "1", "--repeats", "1",
                              "--base-filters", "4", "--no-jit"])
    printed = json.loads(capsys.readouterr().out)
    assert printed == report
    assert {r["loss"] for r in report["results"]} == {"non_saturating", "wasserstein_gp"}
    for row in report["results"]:
        assert row["engine_steps_per_s"] > 0 and row["baseline_steps_per_s"] > 0
        assert row["ratio"] == pytest.approx(row["engine_steps_per_s"] / row["baseline_steps_per_s"], rel=1e-2)


def test_frechet_benchmark_agrees_with_scipy(capsys):
    import frechet

    report = frechet.main(["--dim", "64", "--samples", "256", "--repeats", "1"])
    assert json.loads(capsys.readouterr().out) == report
    assert report["relative_difference"] < 1e-6
    assert report["symmetric_eigen_seconds"] > 0 and report["sqrtm_seconds"] > 0
