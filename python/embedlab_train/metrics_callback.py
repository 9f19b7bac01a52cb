"""A TrainerCallback that writes Embedding Lab's metrics.jsonl as training goes (one line per
step: step, epoch, loss, lr, texts, ms; one per evaluation: step, epoch, eval), keeps the
summary's heartbeat, keeps the best model, stops early after `patience` evaluations without
improvement (as src/engine/train/loop.ts), stops within one step when cancelled, and spaces the
checkpoints of the step cadence by at least the job's `checkpointMinSeconds` of training."""
import os
import time

from transformers import TrainerCallback

from .run_files import say, write_json_atomic

STATE_FILE = "embedlab-state.json"


class RunProgress:
    """What the callback and the script share: cancel flag, evaluation, best model."""

    def __init__(self, folder, summary, job, evaluate, save_best, dist=None, cancel_check=None):
        from .distributed import Distributed

        self.dist = dist or Distributed()
        # Polled on rank 0 each step besides the signals (a Ray job's stop flag); None: signals only.
        self.cancel_check = cancel_check
        self.folder = folder
        self.summary = summary
        self.job = job
        self.evaluate = evaluate
        self.save_best = save_best
        self.cancel_requested = False
        self.last_loss = None
        self.last_lr = None
        self.texts = 0
        self.last_eval_step = 0
        self.evals_since_best = 0
        self.stop_early = False
        self.started_at = summary.data["startedAt"]
        self.t_train = time.time()
        # The clock of the checkpoint spacing (a test sets its own).
        self.clock = time.monotonic
        self.last_checkpoint_at = self.clock()
        starts = []
        at = 0
        for epoch in job["plan"]:
            starts.append(at)
            at += len(epoch)
        self.epoch_start = starts

    def epoch_of(self, step: int) -> int:
        e = 0
        while e + 1 < len(self.epoch_start) and self.epoch_start[e + 1] <= step:
            e += 1
        return e

    def agree_on_cancel(self) -> bool:
        """Every rank calls this once a step: all stop at the same step when one was asked to."""
        flag = self.cancel_requested
        if not flag and self.cancel_check is not None and self.dist.is_main:
            try:
                flag = bool(self.cancel_check())
            except Exception as e:  # noqa: BLE001 - a lost flag must not stop training
                say(f"warning: could not read the cancel flag ({e})", error=True)
        self.cancel_requested = self.dist.any(flag)
        return self.cancel_requested

    def run_eval(self, step: int) -> None:
        if not self.dist.is_main:
            return
        m = self.evaluate()
        self.last_eval_step = step
        if not m:
            return
        s = self.summary.data
        s["last"] = m
        epoch = self.epoch_of(max(0, step - 1))
        self.folder.append_metric({"step": step, "epoch": epoch, "eval": m})
        from .metrics import primary_metric

        key = primary_metric(m)
        if key and m[key] > s.get("best", {}).get("value", float("-inf")):
            s["best"] = {"step": step, "epoch": epoch + 1, "metric": key, "value": m[key]}
            s["after"] = m
            self.evals_since_best = 0
            self.save_best()
        else:
            self.evals_since_best += 1
            patience = int(self.job.get("patience", 0))
            if patience > 0 and self.evals_since_best >= patience and step < self.job["totalSteps"]:
                self.stop_early = True
                s["stoppedEarly"] = {"step": step, "epochs": epoch + 1, "patience": patience}
        self.summary.write(force=True)

    def must_checkpoint(self, step: int) -> bool:
        """A cancel, an early stop and the last step always end with a checkpoint."""
        return self.cancel_requested or self.stop_early or step >= self.job["totalSteps"]

    def checkpoint_due(self) -> bool:
        """A checkpoint of the step cadence (every `checkpointEvery` steps) is saved only when at least
        `checkpointMinSeconds` of training went by since the last one (0: always). A checkpoint holds
        the model and the optimizer state (three times the model's size): on a GPU, or with short
        epochs, saving one every epoch would take a large share of the run. The job sets 0 when the
        user asked for a cadence."""
        return self.clock() - self.last_checkpoint_at >= float(self.job.get("checkpointMinSeconds", 0))

    def state(self, step: int) -> dict:
        s = self.summary.data
        out = {
            "step": step,
            "epoch": self.epoch_of(step),
            "startedAt": self.started_at,
            "elapsedMs": self.summary.elapsed_ms(),
            "before": s.get("before", {}),
            "evalsSinceBest": self.evals_since_best,
        }
        for key, name in (("best", "best"), ("after", "bestMetrics"), ("last", "last")):
            if key in s:
                out[name] = s[key]
        return out


class MetricsCallback(TrainerCallback):
    def __init__(self, progress: RunProgress):
        self.p = progress

    def on_step_end(self, args, state, control, **kwargs):
        p = self.p
        # Set by the trainer's own callback (it runs first) at the steps of the cadence, the same on every rank.
        cadence_save = control.should_save
        p.agree_on_cancel()
        step = state.global_step
        epoch = p.epoch_of(step - 1)
        entry = {"step": step, "epoch": epoch, "loss": p.last_loss, "lr": p.last_lr, "texts": p.texts, "ms": int((time.time() - p.t_train) * 1000)}
        p.folder.append_metric(entry)
        s = p.summary.data
        s["step"] = step
        s["lastLoss"] = p.last_loss
        total = p.job["totalSteps"]
        if p.dist.is_main:
            say(f"step {step}/{total} epoch {epoch + 1} loss {p.last_loss:.4f}")
        if step % p.job["evalEvery"] == 0 or step == total:
            p.run_eval(step)
            # Only rank 0 evaluates: every rank takes its early-stop decision (an all-reduce at the
            # same steps on every rank), so none waits alone in the next step's collectives.
            p.stop_early = p.dist.any(p.stop_early)
        p.summary.write()
        if p.stop_early:
            control.should_training_stop = True
            control.should_save = True
        if p.cancel_requested and step < total:
            control.should_training_stop = True
            control.should_save = True
        if cadence_save:
            # Every rank asks (an all-reduce), so all save or skip together.
            due = p.dist.any(p.checkpoint_due())
            if not due and not p.must_checkpoint(step):
                control.should_save = False
        return control

    def on_save(self, args, state, control, **kwargs):
        self.p.last_checkpoint_at = self.p.clock()
        ckpt = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
        if os.path.isdir(ckpt) and self.p.dist.is_main:
            write_json_atomic(os.path.join(ckpt, STATE_FILE), self.p.state(state.global_step))
            say(f"checkpoint at step {state.global_step}")
        return control
