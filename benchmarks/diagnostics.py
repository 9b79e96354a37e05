"""Where the engine's step spends its time beyond the networks' own math.

- Gradient norms: every phase update logs `{phase}_grad_norm`, the global
  norm of its gradients (one squared sum per variable, added up). The
  engine's step as it ships is timed against the same step with that norm
  removed (`Engine._apply` without it), interleaved in one process, XLA off
  and on. A ratio near 1 means the diagnostics are free.
- The traced step: the number of graph operations of the engine's
  `train_step` and of the keras-io `train_step` on the same networks, by op
  type where they differ (what the engine adds: trackers, stateless random
  streams, norms, replica scaling), and the ops of the networks' own math
  (MatMul, Conv2D and their gradients) that both share.

On the networks of `train_step.py` (the project's DCGAN-28 builder, the
keras-io example networks, a tutorial MLP). Prints one JSON document.

    python benchmarks/diagnostics.py
    python benchmarks/diagnostics.py --steps 2 --repeats 1 --base-filters 4 --models mlp28  # smoke
"""

import argparse
import json
import os
import statistics
import sys
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import collections  # noqa: E402

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from train_step import MODELS, _build, _dataset, _steps_per_second  # noqa: E402

#: Op types of the networks' own math (and its gradients).
MATH_OPS = ("MatMul", "BatchMatMulV2", "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter",
            "BiasAdd", "BiasAddGrad")


def graph_ops(model, batch_size, model_name):
    """Op types of `model.train_step` traced on one batch (nested function
    bodies included), as a Counter."""
    resolution, channels = MODELS[model_name]
    spec = tf.TensorSpec((batch_size, resolution, resolution, channels), tf.float32)
    graph = tf.function(model.train_step).get_concrete_function(spec).graph
    counts = collections.Counter(op.type for op in graph.get_operations())
    for function in graph._functions.values():
        counts.update(node.op for node in function.definition.node_def)
    return counts


def op_summary(variant, base_filters, model_name, batch_size):
    counts = {side: graph_ops(_build(side, variant, False, base_filters, model_name),
                              batch_size, model_name) for side in ("engine", "baseline")}
    added = {op: counts["engine"][op] - counts["baseline"][op]
             for op in set(counts["engine"]) | set(counts["baseline"])
             if counts["engine"][op] != counts["baseline"][op]}
    return {"engine_ops": sum(counts["engine"].values()),
            "baseline_ops": sum(counts["baseline"].values()),
            "engine_math_ops": sum(counts["engine"][op] for op in MATH_OPS),
            "baseline_math_ops": sum(counts["baseline"][op] for op in MATH_OPS),
            "difference_by_type": dict(sorted(added.items(), key=lambda kv: -abs(kv[1]))[:25])}


def _apply_without_norm(self, optimizer, tape, scaled_loss, variables, norm_name):
    optimizer.apply(tape.gradient(scaled_loss, variables), variables)


def build(variant, jit, base_filters, model, norms):
    keras.utils.set_random_seed(0)
    engine = _build("engine", variant, jit, base_filters, model)
    if not norms:
        engine._apply = types.MethodType(_apply_without_norm, engine)
    return engine


def run(models=("dcgan28", "keras_io", "mlp28"), variants=("non_saturating", "wasserstein_gp"),
        jit_modes=(False, True), steps=30, warmup=3, repeats=3, batch_size=64, base_filters=64):
    rows = []
    for model in models:
        dataset = _dataset(batch_size, model)
        for variant in variants:
            timed = steps if variant == "non_saturating" else max(1, steps // 4)
            for jit in jit_modes:
                built = {norms: build(variant, jit, base_filters, model, norms)
                         for norms in (True, False)}
                timings = {True: [], False: []}
                for _ in range(repeats):
                    for norms in (False, True):  # interleaved
                        timings[norms].append(
                            _steps_per_second(built[norms], dataset, timed, warmup))
                shipped = statistics.median(timings[True])
                bare = statistics.median(timings[False])
                rows.append({"model": model, "loss": variant, "jit": jit,
                             **(op_summary(variant, base_filters, model, batch_size)
                                if not jit else {}),
                             "steps_per_s": round(shipped, 3),
                             "without_grad_norms_steps_per_s": round(bare, 3),
                             "ratio": round(shipped / bare, 3),
                             "runs": [round(t, 3) for t in timings[True]],
                             "runs_without": [round(t, 3) for t in timings[False]]})
    return {"benchmark": "diagnostics", "batch_size": batch_size, "base_filters": base_filters,
            "repeats": repeats, "results": rows,
            "min_ratio": min(r["ratio"] for r in rows)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="dcgan28,keras_io,mlp28")
    parser.add_argument("--steps", type=int, default=30, help="timed steps (WGAN-GP: a quarter)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--jit-modes", default="off,on")
    args = parser.parse_args(argv)
    modes = {"off": False, "on": True}
    jit = tuple(modes[m.strip()] for m in args.jit_modes.split(","))
    report = run(models=tuple(m.strip() for m in args.models.split(",")), jit_modes=jit,
                 steps=args.steps, repeats=args.repeats, base_filters=args.base_filters)
    json.dump(report, sys.stdout, indent=2)
    print()
    return report


if __name__ == "__main__":
    main()
