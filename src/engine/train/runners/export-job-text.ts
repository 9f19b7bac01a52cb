/** The README and the Slurm script of an exported job (export-job.ts). */

/** What a Ray job installs beside the cluster's own torch and Ray (python/requirements.txt without torch). */
export const RAY_PIP_PACKAGES = ['sentence-transformers[train]==6.0.1', 'transformers==5.18.0', 'onnxruntime==1.30.0', 'onnx==1.23.1'];

export interface JobFacts {
  runId: string;
  totalSteps: number;
  loss: string;
  batch: number;
  pip: readonly string[];
}

export function slurmScript(f: JobFacts): string {
  return `#!/bin/bash
# Embedding Lab job ${f.runId}: sbatch slurm.sbatch (from this folder). Adjust the resources to your cluster.
#SBATCH --job-name=embedlab-${f.runId}
#SBATCH --nodes=1
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=8
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%j.log
set -euo pipefail
cd "\${SLURM_SUBMIT_DIR:-$(dirname "$0")}"
# A Python with requirements.txt installed (for a GPU: torch for your CUDA first, then the rest).
PYTHON="\${PYTHON:-python3}"
# scancel sends SIGTERM: the script stops after its step, with a checkpoint; --resume continues it.
RESUME=""
if [ -d run/checkpoint ]; then RESUME="--resume"; fi
srun "$PYTHON" -m embedlab_train job --out run $RESUME
`;
}

export function exportedJobReadme(f: JobFacts): string {
  const runtimeEnv = JSON.stringify({ pip: f.pip });
  return `# Embedding Lab training job \`${f.runId}\`

A fine-tune exported by \`embedlab train … --export-job\`: ${f.totalSteps} steps of the \`${f.loss}\` loss, batches of ${f.batch},
on sentence-transformers' \`SentenceTransformerTrainer\`. Everything it needs is here:

- \`job/\`: \`job.json\` (the resolved settings and every step's batch), \`train.jsonl\` and \`eval.jsonl\` (the rows
  Embedding Lab's loader accepted; skipped rows were reported when exporting), \`model/\` (the base model);
- \`embedlab_train/\`: the training script (\`python -m embedlab_train --help\`);
- \`requirements.txt\` (and \`requirements-ray.txt\` for Ray);
- \`run-config.json\`: the run record that \`embedlab runs import\` restores.

The job writes its run into \`run/\`: \`metrics.jsonl\` (one line per step, and per evaluation), \`summary.json\`,
checkpoints, and \`model/\` in the sentence-transformers layout with \`onnx/model.onnx\` (checked against PyTorch).
Stop it with SIGINT or SIGTERM: it ends the step it is in and checkpoints. Add \`--resume\` to continue.

## Set up

    python3 -m venv .venv && . .venv/bin/activate
    pip install -r requirements.txt     # for a GPU: install torch for your CUDA first, then the rest

## 1. One machine, one process (CPU, or one GPU)

    python -m embedlab_train job --out run

## 2. One machine, several GPUs: \`accelerate launch\`

    accelerate launch --multi_gpu --num_processes 4 -m embedlab_train job --out run

Each process trains on its part of every planned batch (MNR's negatives are gathered across them); rank 0 writes \`run/\`.

## 3. Slurm

    sbatch slurm.sbatch

Edit its \`#SBATCH\` lines for your cluster; it resumes from \`run/checkpoint\` when there is one.

## 4. Ray: \`ray job submit\`

On a cluster with the Jobs server (\`ray[default]\` on the head), from this folder:

    ray job submit --address http://<head>:8265 --working-dir . \\
      --runtime-env-json '${runtimeEnv}' \\
      -- python -m embedlab_train job --out run --ray-address auto --ray-workers 2

Add \`--use-gpu\` for one GPU per worker. \`ray job stop <id>\` stops it after the current step. The run is written on
the node of the rank-0 worker, in the job's working directory: give \`--out\` a folder on storage every node mounts
(and that you can read afterwards) to keep it.

## Back into Embedding Lab

    embedlab runs import <this folder> --project <your project>

brings \`run/\` back as a run (curves, metrics, the model for \`--encoder run:${f.runId}\`).
`;
}
