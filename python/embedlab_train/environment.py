"""What the runner checks before it starts: the packages and the devices."""
import importlib.metadata
import importlib.util
import json
import sys

# (module, distribution): what training needs. Only torch is imported (for the devices); the
# others are looked up without importing them, which would take seconds.
REQUIRED = [
    ("torch", "torch"),
    ("sentence_transformers", "sentence-transformers"),
    ("transformers", "transformers"),
    ("accelerate", "accelerate"),
    ("datasets", "datasets"),
    ("onnxruntime", "onnxruntime"),
    ("onnx", "onnx"),
]

OPTIONAL = [("ray", "ray")]


def describe_environment() -> None:
    """Prints {python, packages, devices, missing} as one JSON line."""
    info = {"python": sys.version.split()[0], "packages": {}, "missing": [], "devices": ["cpu"]}
    for module, dist in REQUIRED:
        try:
            if importlib.util.find_spec(module) is None:
                raise ImportError("not installed")
            info["packages"][module] = importlib.metadata.version(dist)
        except Exception as e:  # noqa: BLE001 - any failure means "missing"
            info["missing"].append(f"{module} ({e})")
    # Optional: the ray runner's driver (python/requirements-ray.txt).
    for module, dist in OPTIONAL:
        if importlib.util.find_spec(module) is not None:
            try:
                info["packages"][module] = importlib.metadata.version(dist)
            except Exception:  # noqa: BLE001 - a broken install counts as absent
                pass
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
