"""Multi-worker helpers: which process is the chief, and local clusters for
trying `MultiWorkerMirroredStrategy` on one machine."""

import json
import os
import socket
import subprocess
import sys


def is_chief():
    """True unless this process is a non-chief worker of a `TF_CONFIG` cluster.

    The chief is the task of type "chief" where the cluster has one, else
    worker 0; a process without `TF_CONFIG` is its own chief. Only the chief
    writes run directories, checkpoints, logs and per-resolution models.
    """
    cluster = json.loads(os.environ.get("TF_CONFIG", "{}") or "{}")
    task = cluster.get("task", {})
    if "chief" in cluster.get("cluster", {}):
        return task.get("type") == "chief"
    return task.get("type", "worker") == "worker" and int(task.get("index", 0)) == 0


def free_ports(count):
    """`count` TCP ports on 127.0.0.1 that were free a moment ago."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def tf_configs(num_workers, ports=None):
    """The `TF_CONFIG` value of each worker of a local cluster (worker 0 is
    the chief)."""
    ports = ports or free_ports(num_workers)
    workers = [f"127.0.0.1:{port}" for port in ports]
    return [json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": i}})
            for i in range(num_workers)]


def launch_local_workers(num_workers, cli_args, timeout=None, env=None):
    """Runs `keras-gan CLI_ARGS --strategy multi_worker` in `num_workers`
    local processes, one `TF_CONFIG` each, and waits for them.

    Returns the list of `(returncode, stdout+stderr)` per worker. Each worker
    sees one CPU (or the GPUs `CUDA_VISIBLE_DEVICES` gives it).

    Example:

    ```python
    launch_local_workers(2, ["train", "mixtures_ring", "--steps", "100", "--out", "runs/mw"])
    ```
    """
    processes = []
    for config in tf_configs(num_workers):
        worker_env = {**os.environ, **(env or {}), "TF_CONFIG": config}
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "keras_gan.cli", *cli_args, "--strategy", "multi_worker"],
            env=worker_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    results = []
    try:
        for process in processes:
            output, _ = process.communicate(timeout=timeout)
            results.append((process.returncode, output))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return results
