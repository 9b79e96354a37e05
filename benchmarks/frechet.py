"""Fréchet distance: the eigenvalue form against the scipy.linalg.sqrtm reference.

Both computed on the same 2048-d statistics in one process (the size of
Inception pool features); prints JSON with both values, their relative
difference and the speed-up.

    python benchmarks/frechet.py [--dim 2048] [--samples 4096] [--repeats 3]
"""

import argparse
import json
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.linalg

from keras_gan.metrics import FeatureStatistics, frechet_distance


def _scipy_reference(mu1, s1, mu2, s2):
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(covmean.real))


def _timed(fn, repeats):
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return value, statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=2048)
    parser.add_argument("--samples", type=int, default=4096)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    mix = rng.normal(scale=1.0 / np.sqrt(args.dim), size=(args.dim, args.dim))
    a = np.maximum(rng.normal(size=(args.samples, args.dim)) @ mix, 0.0)  # ReLU-like features
    b = np.maximum(rng.normal(loc=0.1, size=(args.samples, args.dim)) @ mix, 0.0)
    sa, sb = FeatureStatistics().update(a), FeatureStatistics().update(b)
    stats = (sa.mean, sa.covariance, sb.mean, sb.covariance)
    ours, ours_s = _timed(lambda: frechet_distance(*stats), args.repeats)
    ref, ref_s = _timed(lambda: _scipy_reference(*stats), args.repeats)
    report = {
        "benchmark": "frechet_distance",
        "dim": args.dim,
        "samples": args.samples,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "symmetric_eigen_fid": ours,
        "sqrtm_fid": ref,
        "relative_difference": abs(ours - ref) / abs(ref),
        "symmetric_eigen_seconds": round(ours_s, 4),
        "sqrtm_seconds": round(ref_s, 4),
        "speedup": round(ref_s / ours_s, 2),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
