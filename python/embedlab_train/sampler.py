"""The batches Embedding Lab planned (src/engine/train/plan.ts), replayed as they are: every
epoch's batches one after the other, so that both runners see the same batches and a resume
(which skips the steps already done) lands on the right one."""
from torch.utils.data import BatchSampler


class PlannedBatchSampler(BatchSampler):
    def __init__(self, batches: list):
        # BatchSampler's own fields are not used; __iter__ and __len__ are ours.
        self.batches = [list(map(int, b)) for b in batches]
        self.batch_size = max(len(b) for b in self.batches)
        self.drop_last = False

    def set_epoch(self, epoch: int) -> None:  # the plan already holds every epoch
        pass

    def __iter__(self):
        yield from (list(b) for b in self.batches)

    def __len__(self) -> int:
        return len(self.batches)


class PlannedBatches:
    """The `batch_sampler` of the training arguments: a module-level class, so the arguments
    (saved with each checkpoint) can be pickled."""

    def __init__(self, batches: list):
        self.batches = batches

    def __call__(self, dataset, **_kwargs) -> PlannedBatchSampler:
        return PlannedBatchSampler(self.batches)
