"""The ray runner's driver: `python -m embedlab_train <job> --out <run> --ray-address <address>
[--ray-workers N] [--use-gpu] [--resume]`. It connects to the cluster (ray.init), and runs the
same training (train.run_job) in each worker of a Ray Train TorchTrainer: data-parallel, rank 0
writing the run folder (metrics.jsonl as training goes, checkpoints, summary.json, model/ with
ONNX). SIGINT/SIGTERM on the driver (the editor's cancel, `ray job stop`) set a flag actor that
rank 0 reads each step, so every worker stops after the step it is in, with a checkpoint.

The job and run folders are read and written by path from the workers: on a one-machine
cluster that is always true; on several machines the folders must be on storage every node
mounts at the same path (as Ray Train's own checkpoints need).

With `log_metrics` (a run submitted through the Ray Jobs API, whose only channel back is the
driver's log), every metrics.jsonl line rank 0 writes also reaches the driver through the flag
actor and is printed as `EMBEDLAB_METRIC <json>`, in order; so are the Ray job record
(`EMBEDLAB_RAY <json>`) at the start and the run's summary (`EMBEDLAB_SUMMARY <json>`) at the end."""
import json
import os
import signal
import sys
import threading
import time

from .run_files import RunFolder, now_iso, read_json, say, write_json_atomic

RAY_FILE = "ray.json"
STOP_FILE = "stop-requested"
# The prefixes of the lines a Ray Jobs run prints for the runner that tails its log (ray-job-log.ts).
METRIC_MARKER = "EMBEDLAB_METRIC "
RAY_MARKER = "EMBEDLAB_RAY "
SUMMARY_MARKER = "EMBEDLAB_SUMMARY "


_PRINT_LOCK = threading.Lock()


def _print_marked(marker: str, value) -> None:
    """One marked line in one write: print() writes the text and its newline separately, and Ray's
    log monitor thread prints worker lines into the same stdout, which could land between them
    and glue a worker line onto the JSON (the runner then reads it as text and loses the metric).
    The leading newline ends any partial line another writer left."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    with _PRINT_LOCK:
        sys.stdout.write("\n" + marker + text + "\n")
        sys.stdout.flush()


def _worker_loop(config: dict) -> None:
    """One Ray Train worker: run_job with its rank, the stop flag, and the device Ray gave it."""
    import ray
    import ray.train

    from .distributed import Distributed
    from .train import run_job

    ctx = ray.train.get_context()
    dist = Distributed(ctx.get_world_rank(), ctx.get_world_size())
    flag = config["flag"]
    # Calls to one actor from one caller run in order: the driver gets the lines as written.
    sink = (lambda line: flag.add_metric.remote(line)) if config.get("relayMetrics") else None
    device = "cpu"
    if config["useGpu"]:
        import ray.train.torch

        device = str(ray.train.torch.get_device())
    code = run_job(
        config["job"],
        config["out"],
        resume=config["resume"],
        dist=dist,
        cancel_check=lambda: os.path.exists(config["stopFile"]) or ray.get(flag.is_set.remote(), timeout=30),
        device_override=device,
        runner="ray",
        metric_sink=sink,
    )
    if dist.is_main:
        # The driver may be on another node than rank 0's run folder: the summary goes back by the actor too.
        try:
            ray.get(flag.set_summary.remote(read_json(os.path.join(config["out"], "summary.json"))), timeout=60)
        except Exception as e:  # noqa: BLE001 - the driver then reads its own copy, if any
            say(f"warning: could not hand the summary to the driver ({e})", error=True)
    if code not in (0, 130):
        raise RuntimeError(f"the training script ended with exit code {code} on rank {dist.rank} (see the run's summary.json)")


def run_on_ray(job_dir: str, out: str, address: str, workers: int, use_gpu: bool, resume: bool, log_metrics: bool = False) -> int:
    job_dir = os.path.abspath(job_dir)
    out = os.path.abspath(out)
    folder = RunFolder(out)
    os.makedirs(out, exist_ok=True)
    stop = threading.Event()
    finished = threading.Event()
    # The stop request, also as a file in the run folder: rank 0 sees it at its next step end
    # with a stat, sooner than through the flag actor (which serves workers off shared storage).
    stop_file = os.path.join(out, STOP_FILE)
    try:
        os.remove(stop_file)
    except FileNotFoundError:
        pass

    def request_stop():
        if not stop.is_set():
            with open(stop_file, "w", encoding="utf-8") as f:
                f.write(now_iso() + "\n")
        stop.set()
    # SIGINT/SIGTERM go to a thread waiting for them, not to a Python handler: the main thread
    # sits in trainer.fit() (in Ray's C++ for seconds at a time), where a handler would run late.
    # Blocked first, before importing Ray (which starts threads), so that every thread inherits
    # the mask: a thread without it would take SIGTERM's default action and end the driver.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})

        def wait_for_signals():
            while True:
                signum = signal.sigwait({signal.SIGINT, signal.SIGTERM})
                if not stop.is_set():
                    say(f"cancel requested ({signal.Signals(signum).name}): the workers stop after this step")
                request_stop()

        threading.Thread(target=wait_for_signals, daemon=True, name="embedlab-ray-signals").start()
    else:  # Windows: a handler, run when the main thread next runs Python code

        def on_signal(signum, _frame):
            request_stop()
            say(f"cancel requested ({signal.Signals(signum).name}): the workers stop after this step")

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

    import ray
    from ray.train import RunConfig, ScalingConfig
    from ray.train.torch import TorchTrainer

    package = os.path.dirname(os.path.abspath(__file__))
    quiet = {"TQDM_DISABLE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "PYTHONUNBUFFERED": "1"}
    ray.init(address=address, runtime_env={"py_modules": [package], "env_vars": quiet}, logging_level="WARNING", log_to_driver=True)

    @ray.remote(num_cpus=0)
    class StopFlag:
        def __init__(self):
            self.value = False
            self.metrics = []
            self.summary = None

        def set_summary(self, summary):
            self.summary = summary

        def get_summary(self):
            return self.summary

        def add_metric(self, line):
            self.metrics.append(line)

        def take_metrics(self):
            out, self.metrics = self.metrics, []
            return out

        def set(self):
            self.value = True

        def is_set(self):
            return self.value

    flag = StopFlag.remote()
    parent = os.getppid()
    relay_lock = threading.Lock()

    def relay_metrics():
        if not log_metrics:
            return
        with relay_lock:
            for line in ray.get(flag.take_metrics.remote(), timeout=60):
                _print_marked(METRIC_MARKER, line)

    def relay():
        # Outside the signal handler: a Ray call there could deadlock. The parent check: the
        # editor's engine process killed after its cancel grace period counts as a cancel.
        watch_parent = os.environ.get("EMBEDLAB_WATCH_PARENT") == "1" and parent > 1
        ticks = 0
        while not stop.wait(0.25):
            if finished.is_set():
                return
            ticks += 1
            if ticks % 2 == 0:
                try:
                    relay_metrics()
                except Exception as e:  # noqa: BLE001 - the final relay after fit() catches up
                    say(f"warning: could not relay the metrics ({e})", error=True)
            if watch_parent and os.getppid() != parent:
                say("the parent process is gone: the workers stop after this step")
                request_stop()
        ray.get(flag.set.remote())
        # Stopping: the metrics still relayed until the workers end.
        while not finished.wait(0.5):
            try:
                relay_metrics()
            except Exception:  # noqa: BLE001
                pass

    relay_thread = threading.Thread(target=relay, daemon=True, name="embedlab-ray-stop")
    relay_thread.start()

    context = ray.get_runtime_context()
    record = {
        "schemaVersion": 1,
        "address": address,
        "jobId": context.get_job_id(),
        "submissionId": os.environ.get("RAY_JOB_SUBMISSION_ID"),
        "driverPid": os.getpid(),
        "driverHost": __import__("socket").gethostname(),
        "workers": workers,
        "useGpu": use_gpu,
        "startedAt": now_iso(),
    }
    write_json_atomic(os.path.join(out, RAY_FILE), record)
    if log_metrics:
        _print_marked(RAY_MARKER, record)
    say(f"ray runner: {address}, job {record['jobId']}, {workers} worker(s){' with a GPU each' if use_gpu else ' on CPU'}")

    trainer = TorchTrainer(
        _worker_loop,
        train_loop_config={"job": job_dir, "out": out, "resume": resume, "flag": flag, "useGpu": use_gpu, "stopFile": stop_file, "relayMetrics": log_metrics},
        scaling_config=ScalingConfig(num_workers=workers, use_gpu=use_gpu),
        # A name per launch: a resume is our own (run/checkpoint), not a restore of the earlier Ray Train run.
        run_config=RunConfig(name=f"embedlab-{os.path.basename(out)}-{int(time.time())}", storage_path=os.path.join(out, "ray-train")),
    )
    error = None
    try:
        trainer.fit()
    except Exception as e:  # noqa: BLE001 - recorded in the summary
        error = f"{type(e).__name__}: {e}"
    finally:
        finished.set()
    relay_thread.join(timeout=5)
    try:
        relay_metrics()
    except Exception as e:  # noqa: BLE001
        say(f"warning: could not relay the last metrics ({e})", error=True)
    summary = read_json(folder.summary_file)
    if summary is None:
        try:
            summary = ray.get(flag.get_summary.remote(), timeout=30)
        except Exception:  # noqa: BLE001
            summary = None
    summary = summary or {}
    if summary.get("status") in (None, "running"):
        # Rank 0 did not end the run (it died, or was never started).
        summary["status"] = "cancelled" if stop.is_set() and error is None else "failed"
        if summary["status"] == "failed":
            summary["error"] = (error or "the Ray workers ended without finishing the run").splitlines()[0][:2000]
        summary["runner"] = "ray"
        summary["finishedAt"] = now_iso()
        write_json_atomic(folder.summary_file, summary)
    record["finishedAt"] = now_iso()
    record["status"] = summary["status"]
    write_json_atomic(os.path.join(out, RAY_FILE), record)
    if log_metrics:
        _print_marked(SUMMARY_MARKER, summary)
    try:
        ray.shutdown()
    except Exception:  # noqa: BLE001
        pass
    status = summary["status"]
    say(f"run {status}: {out}")
    return 0 if status == "completed" else 130 if status == "cancelled" else 1
