"""python -m embedlab_train <job folder> --out <run folder> [--resume]
[--ray-address <address> [--ray-workers N] [--use-gpu] [--log-metrics]]: on a Ray cluster,
data-parallel (--log-metrics: the metrics lines also in the log, for a Ray Jobs submission)."""
import argparse
import os
import sys

# Progress bars would flood the log the runner streams; the metrics lines are the progress.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class _QuietOnClosedPipe:
    """stdout/stderr that stop writing, instead of raising, once the runner that reads them is
    gone (it was killed): the run then ends as cancelled, with its checkpoint, not as failed."""

    def __init__(self, stream):
        self._stream = stream
        self._closed = False

    def write(self, text):
        if not self._closed:
            try:
                return self._stream.write(text)
            except (OSError, ValueError):
                self._closed = True
        return len(text)

    def flush(self):
        if not self._closed:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._closed = True

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv=None) -> int:
    sys.stdout = _QuietOnClosedPipe(sys.stdout)
    sys.stderr = _QuietOnClosedPipe(sys.stderr)
    parser = argparse.ArgumentParser(prog="embedlab_train", description="Train a sentence-transformers model from an Embedding Lab job folder.")
    parser.add_argument("job", nargs="?", help="the job folder (job.json, train.jsonl, eval.jsonl)")
    parser.add_argument("--out", help="the run folder to write (default: <job>/run)")
    parser.add_argument("--resume", action="store_true", help="resume from the run's last checkpoint")
    parser.add_argument("--check", action="store_true", help="only check the environment and print it as JSON")
    parser.add_argument("--ray-address", help="train on this Ray cluster (ray.init address: auto, <host>:6379, ray://<host>:10001)")
    parser.add_argument("--ray-workers", type=int, default=1, help="Ray Train workers (data-parallel processes; default 1)")
    parser.add_argument("--use-gpu", action="store_true", help="one GPU per Ray worker")
    parser.add_argument("--log-metrics", action="store_true", help="on Ray: also print each metrics line (EMBEDLAB_METRIC <json>) for a runner that reads the job's log")
    args = parser.parse_args(argv)
    if args.check:
        from .environment import describe_environment

        describe_environment()
        return 0
    if not args.job:
        parser.error("the job folder is required")
    out = args.out or os.path.join(args.job, "run")
    if args.ray_address:
        if args.ray_workers < 1:
            parser.error("--ray-workers must be at least 1")
        from .ray_driver import run_on_ray

        return run_on_ray(args.job, out, args.ray_address, args.ray_workers, args.use_gpu, args.resume, args.log_metrics)
    from .train import run_job

    return run_job(args.job, out, resume=args.resume)


if __name__ == "__main__":
    sys.exit(main())
