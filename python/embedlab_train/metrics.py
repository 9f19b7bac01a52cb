"""Evaluation metrics, as Embedding Lab's evaluator computes them (src/engine/train/evaluate.ts):
scored pairs -> spearman, pearson of the cosines; (anchor, positive) pairs -> recall1, mrr10;
labelled texts -> top{k} same-label rates (k in 1, 10, 25, 1000 when k < n)."""
import numpy as np


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n > 0, n, 1)


def average_ranks(v: np.ndarray) -> np.ndarray:
    order = np.argsort(v, kind="mergesort")
    ranks = np.empty(len(v), dtype=np.float64)
    sv = v[order]
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and sv[j + 1] == sv[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(a, b) -> float:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    da = a - a.mean()
    db = b - b.mean()
    den = np.sqrt((da * da).sum() * (db * db).sum())
    return float((da * db).sum() / den) if den > 0 else 0.0


def spearman(a, b) -> float:
    return pearson(average_ranks(np.asarray(a, dtype=np.float64)), average_ranks(np.asarray(b, dtype=np.float64)))


def eval_scored_pairs(a: np.ndarray, b: np.ndarray, scores) -> dict:
    ua, ub = _unit(a), _unit(b)
    cos = (ua.astype(np.float64) * ub.astype(np.float64)).sum(axis=1)
    return {"spearman": spearman(cos, scores), "pearson": pearson(cos, scores)}


def eval_pairs(a: np.ndarray, b: np.ndarray) -> dict:
    ua, ub = _unit(a), _unit(b)
    sims = ua @ ub.T
    own = np.diag(sims)
    n = len(ua)
    hits = 0
    mrr = 0.0
    for i in range(n):
        row = sims[i].copy()
        row[i] = -np.inf
        rank = 1 + int((row > own[i]).sum())
        if rank == 1:
            hits += 1
        if rank <= 10:
            mrr += 1 / rank
    return {"recall1": hits / n, "mrr10": mrr / n}


def eval_label_groups(x: np.ndarray, labels, sample: int = 1000, seed: int = 42) -> dict:
    """Top-k same-label rates over every record (ours samples `sample` seeded queries when n > sample)."""
    u = _unit(x)
    labels = np.asarray(labels)
    n = len(u)
    queries = np.arange(n)
    if n > sample:
        queries = np.random.default_rng(seed).choice(n, size=sample, replace=False)
    sims = u[queries] @ u.T
    sims[np.arange(len(queries)), queries] = -np.inf
    order = np.argsort(-sims, axis=1, kind="stable")
    out = {}
    for k in (1, 10, 25, 1000):
        if k < n:
            kk = min(k, n - 1)
            same = labels[order[:, :kk]] == labels[queries][:, None]
            out[f"top{k}"] = float(same.mean())
    return out


def primary_metric(m: dict):
    for name in ("spearman", "top25", "top10", "top1", "mrr10", "nmi"):
        if name in m:
            return name
    return None
