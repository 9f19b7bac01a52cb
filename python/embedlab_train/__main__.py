"""python -m embedlab_train <job folder> --out <run folder> [--resume]"""
import argparse
import os
import sys

# Progress bars would flood the log the runner streams; the metrics lines are the progress.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def main(argv=None) -> int:
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
