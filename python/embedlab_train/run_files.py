"""The run folder, written in the same format as Embedding Lab's builtin trainer
(src/engine/train/runs.ts): metrics.jsonl lines appended and flushed one by one,
summary.json and other files replaced atomically (temp file + rename)."""
import json
import os
import socket
import time
from datetime import datetime, timezone


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_counter = [0]


def temp_path_for(path: str) -> str:
    """The temp-file name Embedding Lab uses (src/engine/util/temp-files.ts), so its cleanup knows it."""
    _counter[0] += 1
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.{int(time.time() * 1000)}.{_counter[0]}.tmp")


def write_json_atomic(path: str, value) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = temp_path_for(path)
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None


class RunFolder:
    """The run folder; `writable` False on the ranks > 0 of a data-parallel run (rank 0 writes)."""

    def __init__(self, out: str, writable: bool = True):
        self.dir = os.path.abspath(out)
        self.writable = writable
        self.metrics = os.path.join(self.dir, "metrics.jsonl")
        self.summary_file = os.path.join(self.dir, "summary.json")
        self.model = os.path.join(self.dir, "model")
        self.checkpoints = os.path.join(self.dir, "checkpoint", "hf")
        self.best_model = os.path.join(self.dir, "checkpoint", "best-model")
        self.log = os.path.join(self.dir, "train.log")
        # Called with each metrics line written (a Ray Jobs run relays them to its log).
        self.on_metric = None

    def append_metric(self, entry: dict) -> None:
        """One O_APPEND write per line; a line cut off by a crash is ended first."""
        if not self.writable:
            return
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        fd = os.open(self.metrics, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size > 0:
                with open(self.metrics, "rb") as r:
                    r.seek(size - 1)
                    if r.read(1) != b"\n":
                        line = "\n" + line
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if self.on_metric is not None:
            self.on_metric(line.strip())

    def read_metrics(self) -> list:
        out = []
        try:
            with open(self.metrics, encoding="utf-8") as f:
                for line in f:
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass  # a torn line
        except FileNotFoundError:
            pass
        return out

    def truncate_metrics(self, step: int) -> None:
        if not self.writable:
            return
        kept = [m for m in self.read_metrics() if isinstance(m.get("step"), (int, float)) and m["step"] <= step]
        tmp = temp_path_for(self.metrics)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("".join(json.dumps(m, separators=(",", ":")) + "\n" for m in kept))
        os.replace(tmp, self.metrics)


class Summary:
    """summary.json (RunSummary in runs.ts) with runner and device, and a heartbeat."""

    def __init__(self, folder: RunFolder, base: dict):
        self.folder = folder
        self.data = base
        self.t0 = time.time()
        self.elapsed_before = base.get("durationMs", 0)
        self.last_write = 0.0

    def write(self, force: bool = False) -> None:
        now = time.time()
        if not self.folder.writable or (not force and now - self.last_write < 2.0):
            return
        self.last_write = now
        self.data["updatedAt"] = now_iso()
        self.data["durationMs"] = int(self.elapsed_before + (now - self.t0) * 1000)
        write_json_atomic(self.folder.summary_file, self.data)

    def elapsed_ms(self) -> int:
        return int(self.elapsed_before + (time.time() - self.t0) * 1000)


def new_summary(run_id: str, loss: str, started_at: str, device: str, state: dict | None, runner: str = "python") -> dict:
    state = state or {}
    return {
        "schemaVersion": 1,
        "id": run_id,
        "status": "running",
        "mode": "full",
        "loss": loss,
        "runner": runner,
        "device": device,
        "startedAt": started_at,
        "updatedAt": now_iso(),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "step": state.get("step", 0),
        "totalSteps": 0,
        "durationMs": state.get("elapsedMs", 0),
        **{k: state[k] for k in ("before", "best", "last") if k in state},
        **({"after": state["bestMetrics"]} if "bestMetrics" in state else {}),
    }


def say(message: str, error: bool = False) -> None:
    """A line for the runner's log; a closed pipe (the runner is gone) is not an error."""
    import sys

    try:
        print(message, file=sys.stderr if error else sys.stdout, flush=True)
    except (OSError, ValueError):
        pass
