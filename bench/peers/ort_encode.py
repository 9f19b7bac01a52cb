"""Peer of bench/onnx-encode-child.ts: onnxruntime from Python on the same model folder and texts.

Tokenizes every text with Hugging Face `tokenizers` (the folder's tokenizer.json), sorts by token
count (longest first, ties in text order, as ours) and cuts batches of <batch size>, or runs the batches
of a plan file (JSON: a list of lists of text indices) when one is given; runs them through onnxruntime
with the given intra-op threads (the same number as ours), mean-pools and normalises with numpy. Timed
like ours: after loading and one warm-up batch of the first texts.
Usage: python ort_encode.py <model dir> <texts.json> <batch size> <max tokens> <intra-op threads> [plan.json]
Prints {"seconds", "cpuSeconds", "maxRssMb", "rows", "paddedTokens", "planSha"} as its last line; planSha
is a digest of the text indices in batch order, computed as bench/onnx-encode-child.ts does.
"""
import hashlib
import json
import os
import resource
import sys
import time

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def main() -> None:
    model_dir, texts_file, batch_arg, max_tokens_arg, threads_arg = sys.argv[1:6]
    batch, max_tokens, threads = int(batch_arg), int(max_tokens_arg), int(threads_arg)
    plan = None
    if len(sys.argv) > 6:
        with open(sys.argv[6], encoding="utf-8") as f:
            plan = json.load(f)
    with open(texts_file, encoding="utf-8") as f:
        texts = json.load(f)
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_tokens)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    session = ort.InferenceSession(os.path.join(model_dir, "onnx", "model.onnx"), opts, providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}

    def batches_of(ids, use_plan):
        if use_plan:
            return plan
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        return [order[start:start + batch] for start in range(0, len(order), batch)]

    def encode(items, use_plan):
        ids = [e.ids for e in tok.encode_batch(items)]
        parts = batches_of(ids, use_plan)
        order = [i for part in parts for i in part]
        out = np.zeros((len(ids), 0), dtype=np.float32)
        padded = 0
        for part in parts:
            width = max(len(ids[i]) for i in part)
            padded += width * len(part)
            input_ids = np.zeros((len(part), width), dtype=np.int64)
            mask = np.zeros((len(part), width), dtype=np.int64)
            for row, i in enumerate(part):
                input_ids[row, :len(ids[i])] = ids[i]
                mask[row, :len(ids[i])] = 1
            feeds = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in names:
                feeds["token_type_ids"] = np.zeros_like(input_ids)
            hidden = session.run(["last_hidden_state"], feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            if out.shape[1] == 0:
                out = np.zeros((len(ids), pooled.shape[1]), dtype=np.float32)
            out[part] = pooled
        return out, padded, order

    encode(texts[:batch], False)  # warm-up
    cpu = time.process_time()
    t = time.perf_counter()
    vectors, padded, order = encode(texts, plan is not None)
    seconds = time.perf_counter() - t
    cpu_seconds = time.process_time() - cpu
    plan_sha = hashlib.sha256(json.dumps(order, separators=(",", ":")).encode()).hexdigest()[:16]
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "planSha": plan_sha, "maxRssMb": max_rss_mb, "rows": int(vectors.shape[0]), "paddedTokens": padded}))


if __name__ == "__main__":
    main()
