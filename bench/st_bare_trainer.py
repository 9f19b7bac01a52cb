"""The bare peer of the python runner in `npm run bench` (section train-runners): the same model
folder, the same (anchor, positive) pairs, MNR, the same batch size and number of steps, with
SentenceTransformerTrainer and nothing of ours around it. Prints one JSON line: the wall-clock
time at the end of each step, in seconds from the start of training.

    python bench/st_bare_trainer.py <model dir> <pairs.jsonl> <batch> <steps> <max_seq_length>
"""
import json
import shutil
import sys
import tempfile
import time


def main() -> None:
    model_dir, data_file, batch, steps, max_len = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer, SentenceTransformerTrainingArguments
    from sentence_transformers.losses import MultipleNegativesRankingLoss
    from transformers import TrainerCallback
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    rows = [json.loads(line) for line in open(data_file, encoding="utf-8") if line.strip()]
    data = Dataset.from_dict({"anchor": [r["text1"] for r in rows], "positive": [r["text2"] for r in rows]})
    model = SentenceTransformer(model_dir, device="cpu")
    model.max_seq_length = max_len
    ends = []
    out_dir = tempfile.mkdtemp(prefix="embedlab-bare-")

    class StepTimes(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            ends.append(time.time() - start)

    args = SentenceTransformerTrainingArguments(
        output_dir=out_dir,
        max_steps=steps,
        per_device_train_batch_size=batch,
        learning_rate=2e-5,
        save_strategy="no",
        eval_strategy="no",
        logging_strategy="no",
        report_to="none",
        disable_tqdm=True,
        use_cpu=True,
    )
    trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=data, loss=MultipleNegativesRankingLoss(model), callbacks=[StepTimes()])
    start = time.time()
    try:
        trainer.train()
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    print(json.dumps({"stepEnds": ends}))


if __name__ == "__main__":
    main()
