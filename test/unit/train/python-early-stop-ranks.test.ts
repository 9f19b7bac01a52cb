/**
 * Early stopping with several training processes (Ray Train workers, `accelerate launch`): only
 * rank 0 evaluates, so its decision to stop must reach every rank, or rank 0 leaves the training
 * loop while the others wait in the next step's all-reduce. Two real torch.distributed (gloo)
 * processes run the real callback step by step; the evaluation worsens after step 4, patience 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from './helpers';
import { testPython } from './python-helpers';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pythonPackageRoot } from '../../../src/engine/train/runners/python-env';

const SCRIPT = `
import datetime, json, os, socket, sys
sys.path.insert(0, sys.argv[1])
import torch.distributed as dist
import torch.multiprocessing as mp

def rank_main(rank, out, port, results):
    from transformers import TrainerControl, TrainerState
    from embedlab_train.distributed import Distributed
    from embedlab_train.run_files import RunFolder, Summary, new_summary
    from embedlab_train.metrics_callback import RunProgress, MetricsCallback
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2, timeout=datetime.timedelta(seconds=20))
    os.makedirs(os.path.join(out, f"rank{rank}"), exist_ok=True)
    folder = RunFolder(os.path.join(out, f"rank{rank}"))
    summary = Summary(folder, new_summary("py-es", "cosine", "2026-01-01T00:00:00Z", "cpu", None))
    job = {"plan": [[[0]] * 20], "totalSteps": 20, "evalEvery": 2, "checkpointEvery": 1000, "checkpointMinSeconds": 0, "patience": 1}
    scores = {2: 0.5, 4: 0.6, 6: 0.55}
    state = TrainerState()
    progress = RunProgress(folder, summary, job, lambda: {"spearman": scores.get(state.global_step, 0.1)}, lambda: None, dist=Distributed(rank, 2))
    progress.last_loss, progress.last_lr = 0.1, 0.001
    callback = MetricsCallback(progress)
    stopped = None
    try:
        for step in range(1, 21):
            state.global_step = step
            control = callback.on_step_end(None, state, TrainerControl())
            if control.should_training_stop:
                stopped = step
                break
        if stopped is None:
            stopped = 20
        results[rank] = stopped
    except Exception as e:
        results[rank] = f"{type(e).__name__}: {e}"
    finally:
        dist.destroy_process_group()

if __name__ == "__main__":
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    with mp.Manager() as m:
        results = m.dict()
        mp.spawn(rank_main, args=(sys.argv[2], port, results), nprocs=2, join=True)
        print(json.dumps({"stopped": [results.get(0), results.get(1)]}))
`;

test('python runner, two ranks: an early stop decided on rank 0 (the only one evaluating) stops every rank at the same step', async () => {
  const python = await testPython();
  const dir = tempDir();
  const script = path.join(dir, 'early_stop_ranks.py');
  writeFileSync(script, SCRIPT);
  // A file, not -c: torch.multiprocessing re-imports the main module in each rank.
  const run = spawnSync(python, [script, pythonPackageRoot(), dir], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `the two-rank script failed: ${run.stderr.slice(-2000)}`);
  const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { stopped: Array<number | string | null> };
  assert.deepEqual(r.stopped, [6, 6], 'both ranks stop at step 6 (the first evaluation without a new best, patience 1)');
});
