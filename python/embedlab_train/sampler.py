"""The batches Embedding Lab planned (src/engine/train/plan.ts), replayed as they are: every
epoch's batches one after the other, so that both runners see the same batches and a resume
(which skips the steps already done) lands on the right one."""
from torch.utils.data import BatchSampler


def shard(batch: list, shards: int) -> list:
    """`batch` cut into `shards` contiguous parts of one size (the gathers of a data-parallel
    loss need equal parts): the last len(batch) mod shards rows of the batch are left out."""
    size = len(batch) // shards
    return [batch[i * size : (i + 1) * size] for i in range(shards)]


def rows_left_out(batches: list, shards: int) -> int:
    """How many planned rows `shard` leaves out over all `batches`."""
    return sum(len(b) % shards for b in batches) if shards > 1 else 0


class PlannedBatchSampler(BatchSampler):
    """In a data-parallel run of `shards` processes, each planned batch is yielded as `shards`
    consecutive parts: accelerate hands batch i to the process i mod shards, so process r
    trains on part r of every planned batch, and one step is still one planned batch."""

    def __init__(self, batches: list, shards: int = 1):
        # BatchSampler's own fields are not used; __iter__ and __len__ are ours.
        self.batches = [list(map(int, b)) for b in batches]
        self.shards = shards
        if shards > 1:
            smallest = min(len(b) for b in self.batches)
            if smallest < shards:
                raise ValueError(f"a planned batch has {smallest} rows, fewer than the {shards} workers: lower --ray-workers or raise --batch-size")
            self.batches = [part for b in self.batches for part in shard(b, shards)]
        # None: parts of varying sizes (accelerate then keeps every one of them).
        self.batch_size = max(len(b) for b in self.batches) if shards == 1 else None
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

    def __init__(self, batches: list, shards: int = 1):
        self.batches = batches
        self.shards = shards

    def __call__(self, dataset, **_kwargs) -> PlannedBatchSampler:
        return PlannedBatchSampler(self.batches, self.shards)
