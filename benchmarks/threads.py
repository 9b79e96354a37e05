"""Thread pools and oneDNN on this machine: the engine's step under each setting.

TensorFlow sizes its intra-op pool (threads inside one op: a convolution, a
matmul) and its inter-op pool (ops run side by side) from the core count, and
uses oneDNN kernels on x86 unless `TF_ENABLE_ONEDNN_OPTS=0`. Both are fixed
when TensorFlow starts, so each setting runs `train_step.py` in a process of
its own (engine and keras-io step, XLA off and on, the networks the project
did not write plus DCGAN-28). Reported per setting and row: steps/s of the
engine, and their ratio to the default setting's row. Prints one JSON document.

    python benchmarks/threads.py
    python benchmarks/threads.py --settings default,1x1 --steps 2 --repeats 1 --base-filters 4  # smoke
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# name: (intra-op threads, inter-op threads, TF_ENABLE_ONEDNN_OPTS or None)
SETTINGS = {
    "default": (0, 0, None),
    "2x1": (2, 1, None),
    "1x1": (1, 1, None),
    "1x2": (1, 2, None),
    "default_no_onednn": (0, 0, "0"),
}


def measure(setting, models, steps, repeats, base_filters, jit_modes):
    intra, inter, onednn = SETTINGS[setting]
    env = dict(os.environ)
    if onednn is not None:
        env["TF_ENABLE_ONEDNN_OPTS"] = onednn
    command = [sys.executable, os.path.join(HERE, "train_step.py"), "--models", models,
               "--steps", str(steps), "--repeats", str(repeats), "--base-filters",
               str(base_filters), "--jit-modes", jit_modes, "--precisions", "float32",
               "--threads", f"{intra},{inter}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--models", default="keras_io,mlp28,dcgan28")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--jit-modes", default="off,on")
    args = parser.parse_args(argv)
    settings = [s.strip() for s in args.settings.split(",")]
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown or "default" not in settings:
        parser.error(f"--settings takes {', '.join(SETTINGS)} and must include default; "
                     f"received {args.settings!r}")
    reports = {s: measure(s, args.models, args.steps, args.repeats, args.base_filters,
                          args.jit_modes) for s in settings}

    def key(row):
        return row["model"], row["loss"], row["jit"]

    default = {key(r): r for r in reports["default"]["results"]}
    rows = []
    for setting, report in reports.items():
        for row in report["results"]:
            base = default[key(row)]
            rows.append({"setting": setting, **report["threads"], "model": row["model"],
                         "loss": row["loss"], "jit": row["jit"],
                         "engine_steps_per_s": row["engine_steps_per_s"],
                         "baseline_steps_per_s": row["baseline_steps_per_s"],
                         "engine_vs_default": round(row["engine_steps_per_s"]
                                                    / base["engine_steps_per_s"], 3),
                         "baseline_vs_default": round(row["baseline_steps_per_s"]
                                                      / base["baseline_steps_per_s"], 3)})
    result = {"benchmark": "threads", "cpu_count": os.cpu_count(),
              "matmul_peak_gflops": {s: r["matmul_peak_gflops"] for s, r in reports.items()},
              "results": rows}
    json.dump(result, sys.stdout, indent=2)
    print()
    return result


if __name__ == "__main__":
    main()
