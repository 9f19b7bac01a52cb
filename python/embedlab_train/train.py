"""The training run: SentenceTransformerTrainer on the job's data and planned batches, our
loss names, our schedule (linear warm-up then decay, as src/engine/train/adamw.ts), our
metrics.jsonl and summary.json, cancel on SIGINT/SIGTERM within one step with a checkpoint,
resume from the last checkpoint, and at the end model/ in the sentence-transformers layout
with onnx/model.onnx checked against the PyTorch model."""
import glob
import os
import shutil
import signal
import sys
import traceback

from .job import JobError, load_job, read_jsonl
from .losses import COLUMNS
from .metrics_callback import STATE_FILE, MetricsCallback, RunProgress
from .run_files import RunFolder, Summary, new_summary, now_iso, read_json, say


def latest_checkpoint(folder: RunFolder):
    found = []
    for d in glob.glob(os.path.join(folder.checkpoints, "checkpoint-*")):
        tail = os.path.basename(d)[len("checkpoint-") :]
        if tail.isdigit() and os.path.isfile(os.path.join(d, STATE_FILE)):
            found.append((int(tail), d))
    return max(found)[1] if found else None


def linear_warmup_decay(total: int, warmup: int):
    """The lr factor of update `step` (0-based), as linearWarmupDecay in adamw.ts."""

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    return factor


def set_dropout(model, p: float) -> None:
    import torch

    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = p
        for attr in ("dropout_prob", "attention_dropout"):
            if isinstance(getattr(m, attr, None), float):
                setattr(m, attr, p)
    config = model[0].auto_model.config
    for key in ("hidden_dropout_prob", "attention_probs_dropout_prob"):
        if hasattr(config, key):
            setattr(config, key, p)


def make_trainer_class():
    import torch
    from sentence_transformers import SentenceTransformerTrainer

    class EmbedlabTrainer(SentenceTransformerTrainer):
        """Records each step's loss and lr (the loss of the step's batch, before its update)."""

        embedlab_progress = None
        embedlab_schedule = None

        def compute_loss(self, model, inputs, *args, **kwargs):
            result = super().compute_loss(model, inputs, *args, **kwargs)
            loss = result[0] if isinstance(result, tuple) else result
            p = self.embedlab_progress
            if p is not None and model.training:
                texts = sum(int(v.shape[0]) for k, v in inputs.items() if k.endswith("_input_ids"))
                # Data-parallel: the mean over the ranks' shards (every rank takes part).
                p.last_loss, p.texts = p.dist.step_loss(float(loss.detach().float().cpu()), texts)
                p.last_lr = float(self.optimizer.param_groups[0]["lr"]) if self.optimizer is not None else None
            return result

        def create_scheduler(self, num_training_steps, optimizer=None):
            if self.lr_scheduler is None:
                self.lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer or self.optimizer, self.embedlab_schedule)
                self._created_lr_scheduler = True
            return self.lr_scheduler

    return EmbedlabTrainer


def save_model_folder(model, target: str) -> dict:
    """model/ written beside the target (with ONNX and its check), then swapped in."""
    from .export_onnx import check_onnx, export_onnx

    nxt = f"{target}.next-{os.getpid()}"
    old = f"{target}.old-{os.getpid()}"
    shutil.rmtree(nxt, ignore_errors=True)
    model.save(nxt)
    onnx_file = export_onnx(model, nxt)
    check = check_onnx(model, onnx_file)
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(target):
        os.replace(target, old)
    os.replace(nxt, target)
    shutil.rmtree(old, ignore_errors=True)
    return check


def watch_parent(progress_holder: dict) -> None:
    """When the process that started us dies (the editor's engine process killed after a cancel
    grace period), stop as if cancelled: a checkpoint, then exit, instead of training on orphaned."""
    import threading
    import time

    parent = os.getppid()
    if parent <= 1 or os.environ.get("EMBEDLAB_WATCH_PARENT") != "1":
        return

    def watch():
        while True:
            time.sleep(0.25)
            if os.getppid() != parent:
                p = progress_holder.get("p")
                if p is not None and not p.cancel_requested:
                    p.cancel_requested = True
                    say("the parent process is gone: stopping after this step")
                return

    threading.Thread(target=watch, daemon=True, name="embedlab-parent-watch").start()


def run_job(job_dir: str, out: str | None, resume: bool = False, dist=None, cancel_check=None, device_override: str | None = None, runner: str = "python", metric_sink=None) -> int:
    """Trains the job into the run folder `out`. `dist`: this process's place in a data-parallel
    run (default: from RANK/WORLD_SIZE, one process when unset); rank 0 alone writes the run
    folder. `cancel_check`: polled each step on rank 0 besides SIGINT/SIGTERM (a Ray stop flag).
    `metric_sink`: called with each metrics.jsonl line rank 0 writes."""
    from .distributed import Distributed

    dist = dist or Distributed.from_env()
    try:
        job = load_job(job_dir)
    except JobError as e:
        say(f"error: {e}", error=True)
        return 2
    folder = RunFolder(out or os.path.join(job_dir, "run"), writable=dist.is_main)
    # metric_sink: gets each metrics.jsonl line as written (rank 0), e.g. to relay it to a log.
    folder.on_metric = metric_sink
    os.makedirs(folder.dir, exist_ok=True)

    progress_holder = {}

    def on_signal(signum, _frame):
        p = progress_holder.get("p")
        if p is None or p.cancel_requested:
            raise KeyboardInterrupt()
        p.cancel_requested = True
        say(f"cancel requested ({signal.Signals(signum).name}): stopping after this step")

    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
    watch_parent(progress_holder)

    from .environment import pick_device

    device = device_override or pick_device(job["device"])
    checkpoint = latest_checkpoint(folder) if resume else None
    state = read_json(os.path.join(checkpoint, STATE_FILE)) if checkpoint else None
    started_at = state["startedAt"] if state else now_iso()
    summary = Summary(folder, new_summary(job["runId"], job["loss"], started_at, device, state, runner))
    summary.data["totalSteps"] = job["totalSteps"]
    summary.data["epochs"] = len(job["plan"])
    if job.get("notes"):
        summary.data["notes"] = job["notes"]
    if state:
        folder.truncate_metrics(state["step"])
    elif dist.is_main:
        open(folder.metrics, "w").close()
        shutil.rmtree(os.path.join(folder.dir, "checkpoint"), ignore_errors=True)
    summary.write(force=True)
    if dist.is_main:
        workers = f", {dist.world_size} data-parallel workers" if dist.world_size > 1 else ""
        say(f"{summary.data['runner']} runner: device {device}{workers}, {job['totalSteps']} steps" + (f", resuming from step {state['step']}" if state else ""))

    try:
        import numpy as np
        import torch
        from datasets import Dataset
        from sentence_transformers import SentenceTransformer, SentenceTransformerTrainingArguments
        from transformers.utils import logging as hf_logging

        from .losses import build_loss
        from .metrics import eval_label_groups, eval_pairs, eval_scored_pairs
        from .sampler import PlannedBatches, rows_left_out

        hf_logging.set_verbosity_error()
        torch.manual_seed(job["seed"])
        columns = COLUMNS[job["kind"]]
        train_data = read_jsonl(os.path.join(job_dir, "train.jsonl"), columns)
        eval_file = os.path.join(job_dir, "eval.jsonl")
        eval_data = read_jsonl(eval_file, columns) if os.path.exists(eval_file) else None

        model = SentenceTransformer(job["model"], device=device)
        if job.get("maxSeqLength"):
            model.max_seq_length = int(job["maxSeqLength"])
        if job.get("dropout") is not None:
            set_dropout(model, float(job["dropout"]))

        def encode(texts):
            return model.encode(texts, convert_to_numpy=True, batch_size=64, normalize_embeddings=True).astype(np.float32)

        def evaluate():
            if not eval_data or not dist.is_main:
                return {}
            was = model.training
            try:
                if job["kind"] == "scored":
                    return eval_scored_pairs(encode(eval_data["sentence1"]), encode(eval_data["sentence2"]), eval_data["score"])
                if job["kind"] == "pairs":
                    return eval_pairs(encode(eval_data["anchor"]), encode(eval_data["positive"]))
                return eval_label_groups(encode(eval_data["text"]), eval_data["label"], seed=job["seed"])
            finally:
                model.train(was)

        def save_best():
            if dist.is_main:
                model.save(folder.best_model)

        progress = RunProgress(folder, summary, job, evaluate, save_best, dist=dist, cancel_check=cancel_check)
        if state:
            progress.last_eval_step = state.get("best", {}).get("step", 0)
            progress.evals_since_best = int(state.get("evalsSinceBest", 0))
        progress_holder["p"] = progress

        if not state and dist.is_main:
            summary.data["before"] = evaluate()
            folder.append_metric({"step": 0, "eval": summary.data["before"], "before": True})
            summary.write(force=True)

        flat = [b for epoch in job["plan"] for b in epoch]
        batch = max(len(b) for b in flat)
        left_out = rows_left_out(flat, dist.world_size)
        if left_out and dist.is_main:
            say(f"{dist.world_size} workers take equal parts of each batch: {left_out} planned rows (of batches not a multiple of {dist.world_size}) are left out")
            summary.data["rowsLeftOut"] = left_out
        args = SentenceTransformerTrainingArguments(
            output_dir=folder.checkpoints,
            max_steps=job["totalSteps"],
            per_device_train_batch_size=batch,
            learning_rate=job["lr"],
            weight_decay=job["weightDecay"],
            max_grad_norm=0.0,
            seed=job["seed"],
            save_strategy="steps",
            save_steps=job["checkpointEvery"],
            save_total_limit=1,
            eval_strategy="no",
            logging_strategy="no",
            report_to="none",
            disable_tqdm=True,
            use_cpu=device == "cpu",
            dataloader_drop_last=False,
            batch_sampler=PlannedBatches(flat, dist.world_size),
        )
        loss = build_loss(model, job["loss"], job["lossOptions"], job.get("miniBatch"), gather_across_devices=dist.world_size > 1)
        Trainer = make_trainer_class()
        Trainer.embedlab_progress = progress
        Trainer.embedlab_schedule = staticmethod(linear_warmup_decay(job["totalSteps"], job["warmupSteps"]))
        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=Dataset.from_dict({c: train_data[c] for c in columns}),
            loss=loss,
            callbacks=[MetricsCallback(progress)],
        )
        progress.t_train = __import__("time").time()
        if not progress.cancel_requested:
            trainer.train(resume_from_checkpoint=checkpoint)
        step = trainer.state.global_step if trainer.state.global_step else (state or {}).get("step", 0)
        cancelled = progress.cancel_requested and step < job["totalSteps"]
        if not dist.is_main:
            return 130 if cancelled else 0
        if not cancelled and progress.last_eval_step != step:
            progress.run_eval(step)
        final = SentenceTransformer(folder.best_model, device=device) if os.path.isdir(folder.best_model) else model
        summary.data["onnxCheck"] = save_model_folder(final, folder.model)
        summary.data["step"] = step
        summary.data["status"] = "cancelled" if cancelled else "completed"
        if not summary.data["onnxCheck"]["ok"]:
            say(f"warning: the ONNX export differs from the PyTorch model by {summary.data['onnxCheck']['maxAbsDiff']:.2e}", error=True)
    except KeyboardInterrupt:
        summary.data["status"] = "cancelled"
    except Exception as e:  # noqa: BLE001 - recorded in the summary, then reported
        summary.data["status"] = "failed"
        summary.data["error"] = f"{type(e).__name__}: {e}"
        try:
            traceback.print_exc()
        except OSError:
            pass
    summary.data["finishedAt"] = now_iso()
    summary.write(force=True)
    status = summary.data["status"]
    say(f"run {status}: {folder.dir}")
    return 0 if status == "completed" else 130 if status == "cancelled" else 1
