"""job.json: the resolved settings Embedding Lab wrote, checked before anything runs."""
import json
import os

from . import JOB_SCHEMA_VERSION
from .losses import COLUMNS

LOSSES = ("mnr", "cosent", "cosine", "triplet", "megabatch")


class JobError(Exception):
    pass


def _need(job: dict, key: str, kind, where: str):
    value = job.get(key)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise JobError(f'{where}: the field "{key}" is missing or of the wrong type')
    return value


def read_jsonl(path: str, columns: list) -> dict:
    data = {c: [] for c in columns}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as e:
                raise JobError(f"{path}:{n}: not JSON ({e})") from None
            for c in columns:
                if c not in row:
                    raise JobError(f'{path}:{n}: the field "{c}" is missing')
                data[c].append(row[c])
    return data


def load_job(job_dir: str) -> dict:
    where = os.path.join(job_dir, "job.json")
    try:
        with open(where, encoding="utf-8") as f:
            job = json.load(f)
    except FileNotFoundError:
        raise JobError(f"{where}: no such file (is {job_dir} a job folder?)") from None
    if job.get("schemaVersion") != JOB_SCHEMA_VERSION:
        raise JobError(f'{where}: schemaVersion {job.get("schemaVersion")} is not {JOB_SCHEMA_VERSION}; this script is from another version of Embedding Lab')
    loss = _need(job, "loss", str, where)
    if loss not in LOSSES:
        raise JobError(f'{where}: the loss "{loss}" does not train on the python runner (one of {", ".join(LOSSES)})')
    kind = _need(job, "kind", str, where)
    if kind not in COLUMNS:
        raise JobError(f'{where}: the data kind "{kind}" is not one of {", ".join(COLUMNS)}')
    for key in ("lr", "weightDecay"):
        _need(job, key, (int, float), where)
    for key in ("totalSteps", "warmupSteps", "evalEvery", "checkpointEvery", "seed"):
        _need(job, key, int, where)
    _need(job, "model", str, where)
    _need(job, "runId", str, where)
    plan = _need(job, "plan", list, where)
    if not plan or not all(isinstance(e, list) for e in plan):
        raise JobError(f'{where}: "plan" must list the batches of every epoch')
    job.setdefault("lossOptions", {})
    job.setdefault("patience", 0)
    job.setdefault("notes", [])
    job.setdefault("device", "auto")
    # Jobs written before the checkpoint spacing: a checkpoint at every step of the cadence.
    job.setdefault("checkpointMinSeconds", 0)
    if isinstance(job["checkpointMinSeconds"], bool) or not isinstance(job["checkpointMinSeconds"], (int, float)) or job["checkpointMinSeconds"] < 0:
        raise JobError(f'{where}: the field "checkpointMinSeconds" must be a number of seconds ≥ 0')
    model = job["model"]
    job["model"] = model if os.path.isabs(model) else os.path.normpath(os.path.join(job_dir, model))
    return job
