"""Data-parallel training (Ray Train's TorchTrainer workers, or `accelerate launch`): which
process this is, and what the processes agree on each step. Rank 0 alone writes the run folder
(metrics.jsonl, summary.json, checkpoints' state, model/); every rank stops at the same step."""
import os


class Distributed:
    """The process's rank among `world_size` training processes (0 of 1 when not distributed)."""

    def __init__(self, rank: int = 0, world_size: int = 1):
        self.rank = rank
        self.world_size = world_size

    @classmethod
    def from_env(cls) -> "Distributed":
        """RANK and WORLD_SIZE as torchrun, accelerate launch and Ray Train's torch backend set them."""
        try:
            return cls(int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1")))
        except ValueError:
            return cls()

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        if self.world_size <= 1:
            return False
        import torch.distributed as dist

        return dist.is_available() and dist.is_initialized()

    def any(self, flag: bool) -> bool:
        """True on every rank when it is true on one (the cancel flag, so all stop at one step)."""
        if not self.active:
            return flag
        import torch
        import torch.distributed as dist

        t = torch.tensor([1.0 if flag else 0.0])
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        return bool(t.item() > 0)

    def step_loss(self, loss: float, texts: int) -> tuple:
        """The step's loss as the mean over the ranks' shards of the batch, and the texts of all."""
        if not self.active:
            return loss, texts
        import torch
        import torch.distributed as dist

        t = torch.tensor([float(loss), float(texts)], dtype=torch.float64)
        dist.all_reduce(t, op=dist.ReduceOp.SUM)
        return float(t[0].item()) / self.world_size, int(t[1].item())
