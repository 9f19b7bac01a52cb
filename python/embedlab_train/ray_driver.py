"""The ray runner's driver: `python -m embedlab_train <job> --out <run> --ray-address <address>
[--ray-workers N] [--use-gpu] [--resume]`. It connects to the cluster (ray.init), and runs the
same training (train.run_job) in each worker of a Ray Train TorchTrainer: data-parallel, rank 0
writing the run folder (metrics.jsonl as training goes, checkpoints, summary.json, model/ with
ONNX). SIGINT/SIGTERM on the driver (the editor's cancel, `ray job stop`) set a flag actor that
rank 0 reads each step, so every worker stops after the step it is in, with a checkpoint.

The job and run folders are read and written by path from the workers: on a one-machine
cluster that is always true; on several machines the folders must be on storage every node
mounts at the same path (as Ray Train's own checkpoints need)."""
import os
import signal
import threading
import time

from .run_files import RunFolder, now_iso, read_json, say, write_json_atomic

RAY_FILE = "ray.json"
STOP_FILE = "stop-requested"


def _worker_loop(config: dict) -> None:
    """One Ray Train worker: run_job with its rank, the stop flag, and the device Ray gave it."""
    import ray
    import ray.train

    from .distributed import Distributed
    from .train import run_job

    ctx = ray.train.get_context()
    dist = Distributed(ctx.get_world_rank(), ctx.get_world_size())
    flag = config["flag"]
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
    )
    if code not in (0, 130):
        raise RuntimeError(f"the training script ended with exit code {code} on rank {dist.rank} (see the run's summary.json)")


def run_on_ray(job_dir: str, out: str, address: str, workers: int, use_gpu: bool, resume: bool) -> int:
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

        def set(self):
            self.value = True

        def is_set(self):
            return self.value

    flag = StopFlag.remote()
    parent = os.getppid()

    def relay():
        # Outside the signal handler: a Ray call there could deadlock. The parent check: the
        # editor's engine process killed after its cancel grace period counts as a cancel.
        watch_parent = os.environ.get("EMBEDLAB_WATCH_PARENT") == "1" and parent > 1
        while not stop.wait(0.25):
            if finished.is_set():
                return
            if watch_parent and os.getppid() != parent:
                say("the parent process is gone: the workers stop after this step")
                request_stop()
        ray.get(flag.set.remote())

    threading.Thread(target=relay, daemon=True, name="embedlab-ray-stop").start()

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
    say(f"ray runner: {address}, job {record['jobId']}, {workers} worker(s){' with a GPU each' if use_gpu else ' on CPU'}")

    trainer = TorchTrainer(
        _worker_loop,
        train_loop_config={"job": job_dir, "out": out, "resume": resume, "flag": flag, "useGpu": use_gpu, "stopFile": stop_file},
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
    summary = read_json(folder.summary_file) or {}
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
    try:
        ray.shutdown()
    except Exception:  # noqa: BLE001
        pass
    status = summary["status"]
    say(f"run {status}: {out}")
    return 0 if status == "completed" else 130 if status == "cancelled" else 1
