"""What the runner checks before it starts: the packages and the devices."""
import importlib
import json
import sys


def describe_environment() -> None:
    """Prints {python, packages, devices, missing} as one JSON line."""
    info = {"python": sys.version.split()[0], "packages": {}, "missing": [], "devices": ["cpu"]}
    for name in ("torch", "sentence_transformers", "transformers", "accelerate", "datasets", "onnxruntime", "onnx"):
        try:
            info["packages"][name] = importlib.import_module(name).__version__
        except Exception as e:  # noqa: BLE001 - any import failure means "missing"
            info["missing"].append(f"{name} ({type(e).__name__}: {e})")
    if "torch" in info["packages"]:
        import torch

        if torch.cuda.is_available():
            info["devices"].insert(0, "cuda")
            info["cudaName"] = torch.cuda.get_device_name(0)
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            info["devices"].insert(0, "mps")
    print(json.dumps(info), flush=True)


def pick_device(requested: str) -> str:
    import torch

    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise SystemExit("error: --device cuda, but torch sees no CUDA device (is the CUDA build of torch installed?)")
    if requested == "mps" and not (getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()):
        raise SystemExit("error: --device mps, but torch sees no MPS device")
    return requested
