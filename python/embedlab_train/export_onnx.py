"""onnx/model.onnx for a saved sentence-transformers folder, in the layout Embedding Lab's ONNX
encoder reads (src/engine/encoders/onnx): int64 inputs input_ids, attention_mask (and
token_type_ids when the model takes them), output last_hidden_state; pooling and
normalisation stay in the folder's modules. Then a check against the PyTorch model."""
import os

import numpy as np
import torch

CHECK_TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Le gouvernement annonce une réforme de l'école.",
    "a short note about a rocket",
    "x",
]


class _TokenEmbeddings(torch.nn.Module):
    def __init__(self, auto_model, with_token_types: bool):
        super().__init__()
        self.auto_model = auto_model
        self.with_token_types = with_token_types

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if self.with_token_types:
            kwargs["token_type_ids"] = token_type_ids
        return self.auto_model(**kwargs, return_dict=True).last_hidden_state


def _takes_token_types(model) -> bool:
    tok = model.tokenizer
    return "token_type_ids" in getattr(tok, "model_input_names", []) and getattr(model[0].auto_model.config, "type_vocab_size", 0) > 0


def export_onnx(model, folder: str) -> str:
    """Writes <folder>/onnx/model.onnx from `model` (a SentenceTransformer on any device)."""
    auto_model = model[0].auto_model
    was_training = auto_model.training
    device = next(auto_model.parameters()).device
    auto_model.eval()
    auto_model.to("cpu")
    with_types = _takes_token_types(model)
    enc = model.tokenizer(CHECK_TEXTS[:2], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
    args = tuple(enc[n] if n in enc else torch.zeros_like(enc["input_ids"]) for n in names)
    out = os.path.join(folder, "onnx", "model.onnx")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
    try:
        with torch.no_grad():
            torch.onnx.export(
                _TokenEmbeddings(auto_model, with_types),
                args,
                out,
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
    finally:
        auto_model.to(device)
        auto_model.train(was_training)
    return out


def check_onnx(model, onnx_file: str, texts=CHECK_TEXTS) -> dict:
    """Max |sentence embedding by onnxruntime + the folder's pooling − model.encode| over `texts`."""
    import onnxruntime as ort

    session = ort.InferenceSession(onnx_file, providers=["CPUExecutionProvider"])
    inputs = [i.name for i in session.get_inputs()]
    model.eval()
    with torch.no_grad():
        reference = model.encode(list(texts), convert_to_numpy=True, batch_size=len(texts))
        features = model.tokenize(list(texts))
        feeds = {n: features[n].cpu().numpy().astype(np.int64) if n in features else np.zeros_like(features["input_ids"].cpu().numpy(), dtype=np.int64) for n in inputs}
        tokens = session.run(["last_hidden_state"], feeds)[0]
        device = next(model.parameters()).device
        f = {"token_embeddings": torch.from_numpy(tokens).to(device), "attention_mask": features["attention_mask"].to(device)}
        for module in list(model)[1:]:
            f = module(f)
        ours = f["sentence_embedding"].float().cpu().numpy()
    diff = float(np.abs(ours - reference).max())
    return {"texts": len(texts), "maxAbsDiff": diff, "tolerance": 1e-4, "ok": diff <= 1e-4}
