"""The README's main job and the benchmark scripts run end to end (tiny sizes)."""

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples"))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

pytestmark = pytest.mark.slow


def test_quickstart_writes_its_outputs(tmp_path):
    import quickstart

    summary = quickstart.main(["--steps", "20", "--out", str(tmp_path)])
    for name in ("samples.png", "metrics.csv", "gan.keras", "summary.json"):
        assert (tmp_path / name).stat().st_size > 0
    with open(tmp_path / "summary.json") as f:
        assert json.load(f) == summary
    assert summary["modes_total"] == 8 and 0 <= summary["modes_captured"] <= 8
    header = (tmp_path / "metrics.csv").read_text().splitlines()[0]
    assert "d_loss" in header and "g_loss" in header


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
