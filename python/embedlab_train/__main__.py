"""python -m embedlab_train <job folder> --out <run folder> [--resume]"""
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
    args = parser.parse_args(argv)
    if args.check:
        from .environment import describe_environment

        describe_environment()
        return 0
    if not args.job:
        parser.error("the job folder is required")
    from .train import run_job

    return run_job(args.job, args.out, resume=args.resume)


if __name__ == "__main__":
    sys.exit(main())
