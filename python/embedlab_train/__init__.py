"""Embedding Lab's training script for the python runner: a job folder written by
`embedlab train --runner python` in, a run folder (metrics.jsonl, summary.json, model/ in the
sentence-transformers layout with onnx/model.onnx) out. Built on SentenceTransformerTrainer."""

JOB_SCHEMA_VERSION = 1
