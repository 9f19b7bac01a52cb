"""Embedding Lab's loss names mapped to sentence-transformers' own classes, with the same
hyper-parameters as src/engine/train/losses/*."""
from sentence_transformers import losses as st_losses
from sentence_transformers.sentence_transformer.losses.batch_hard_triplet import BatchHardTripletLossDistanceFunction

# The columns each data kind gives the loss (the label column, when any, last).
COLUMNS = {
    "scored": ["sentence1", "sentence2", "score"],
    "pairs": ["anchor", "positive"],
    "labelled": ["text", "label"],
}


def build_loss(model, name: str, options: dict, mini_batch: int | None, gather_across_devices: bool = False):
    """`gather_across_devices`: in a data-parallel run, MNR's in-batch negatives come from the
    whole batch (every rank's shard), as in a one-process run."""
    scale = options.get("scale", 20.0)
    if name == "mnr":
        directions = ("query_to_doc", "doc_to_query") if options.get("symmetric") else ("query_to_doc",)
        partition = "per_direction" if options.get("symmetric") else "joint"
        if mini_batch:
            return st_losses.CachedMultipleNegativesRankingLoss(
                model, scale=scale, mini_batch_size=mini_batch, directions=directions, partition_mode=partition, gather_across_devices=gather_across_devices
            )
        return st_losses.MultipleNegativesRankingLoss(model, scale=scale, directions=directions, partition_mode=partition, gather_across_devices=gather_across_devices)
    if name == "cosent":
        return st_losses.CoSENTLoss(model, scale=scale)
    if name == "cosine":
        return st_losses.CosineSimilarityLoss(model)
    if name == "triplet":
        cosine = options.get("distance") == "cosine"
        metric = BatchHardTripletLossDistanceFunction.cosine_distance if cosine else BatchHardTripletLossDistanceFunction.euclidean_distance
        return st_losses.BatchHardTripletLoss(model, distance_metric=metric, margin=options.get("margin", 5.0))
    if name == "megabatch":
        # The plain (not mini-batched) form: one forward pass, the loss value ours computes.
        return st_losses.MegaBatchMarginLoss(
            model,
            positive_margin=options.get("positiveMargin", 0.8),
            negative_margin=options.get("negativeMargin", 0.3),
            use_mini_batched_version=False,
        )
    raise SystemExit(f'error: the loss "{name}" does not train on the python runner (dec trains in head mode, on the builtin runner)')
