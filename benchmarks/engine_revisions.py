"""Training steps per second of this tree's engine against another revision's, in one process.

Checks a refactor of the training step for slowdowns: the package of git
revision `--against` is extracted to a temporary folder under the name
`keras_gan_previous`, both engines train the same networks (same seed, same
in-memory `tf.data` pipeline, batch 64) and are timed in interleaved repeats;
each row reports both medians and their ratio (> 1: this tree is faster). The
networks are the project's DCGAN-28 builders and, as a network the project did
not write, the keras-io DCGAN example's (no BatchNorm). Prints one JSON document.

    python benchmarks/engine_revisions.py --against eb4ebb1
    python benchmarks/engine_revisions.py --against HEAD --steps 2 --repeats 1 --base-filters 8
"""

import argparse
import importlib
import io
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tarfile
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

import keras_gan  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import train_step  # noqa: E402

PREVIOUS = "keras_gan_previous"
ROOT = pathlib.Path(__file__).resolve().parents[1]


def previous_package(revision, folder):
    """Imports the `keras_gan` package of `revision` as `keras_gan_previous`."""
    try:
        archive = subprocess.run(["git", "archive", revision, "keras_gan"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"git archive {revision} failed: {error.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    source = pathlib.Path(folder) / "keras_gan"
    target = pathlib.Path(folder) / PREVIOUS
    source.rename(target)
    for path in target.rglob("*.py"):  # import itself (and register) under the new name
        path.write_text(path.read_text().replace("keras_gan", PREVIOUS))
    sys.path.insert(0, str(folder))
    return importlib.import_module(PREVIOUS)


def _build(package, networks, variant, jit, base_filters):
    if networks == "keras_io":
        generator, discriminator = train_step.keras_io_networks()
    else:
        generator, discriminator = train_step._networks("dcgan28", variant, base_filters)
    cls = package.GAN if variant == "non_saturating" else package.WGANGP
    model = cls(generator, discriminator, train_step.LATENT_DIM, seed=0)
    model.compile(d_optimizer=keras.optimizers.Adam(2e-4, 0.5),
                  g_optimizer=keras.optimizers.Adam(2e-4, 0.5), jit_compile=jit)
    return model


def run(against, steps=30, warmup=3, repeats=5, batch_size=64, base_filters=64,
        jit_modes=(False, True), networks=("dcgan28", "keras_io")):
    with tempfile.TemporaryDirectory() as folder:
        previous = previous_package(against, folder)
        dataset = train_step._dataset(batch_size)
        results = []
        for name in networks:
            for variant in ("non_saturating", "wasserstein_gp"):
                for jit in jit_modes:
                    keras.utils.set_random_seed(0)
                    built = {side: _build(package, name, variant, jit, base_filters)
                             for side, package in (("current", keras_gan),
                                                   ("previous", previous))}
                    # WGAN-GP steps make 5 critic updates: a quarter as many.
                    timed = steps if variant == "non_saturating" else max(1, steps // 4)
                    timings = {"current": [], "previous": []}
                    for _ in range(repeats):
                        for side in ("previous", "current"):  # interleaved
                            timings[side].append(train_step._steps_per_second(
                                built[side], dataset, timed, warmup))
                    current = statistics.median(timings["current"])
                    before = statistics.median(timings["previous"])
                    results.append({
                        "networks": name, "loss": variant, "jit": jit,
                        "d_steps": built["current"].d_steps, "steps_timed": timed,
                        "current_steps_per_s": round(current, 3),
                        "previous_steps_per_s": round(before, 3),
                        "ratio": round(current / before, 3),
                        "current_runs": [round(t, 3) for t in timings["current"]],
                        "previous_runs": [round(t, 3) for t in timings["previous"]],
                    })
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)  # progress
    return {"benchmark": "engine_revisions", "against": against, "batch_size": batch_size,
            "repeats": repeats, "results": results,
            "min_ratio": min(r["ratio"] for r in results)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="git revision of the other engine")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--jit-modes", default="off,on")
    parser.add_argument("--networks", default="dcgan28,keras_io")
    args = parser.parse_args(argv)
    if args.warmup < 1 or args.steps < 1 or args.repeats < 1:
        parser.error("--steps, --warmup and --repeats must be >= 1")
    report = run(args.against, args.steps, args.warmup, args.repeats,
                 base_filters=args.base_filters,
                 jit_modes=train_step._jit_modes(parser, args.jit_modes),
                 networks=tuple(args.networks.split(",")))
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
