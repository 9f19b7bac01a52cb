/**
 * The python runner's checkpoint spacing (python/embedlab_train/metrics_callback.py): the trainer
 * asks for a checkpoint at every `checkpointEvery` steps; the callback keeps one only when
 * `checkpointMinSeconds` of training went by since the last one, and always keeps the checkpoint of
 * a cancel and of the last step. A checkpoint (model + optimizer state) cost about as much as a
 * step of the MiniLM-L6-shaped bench model on the CPU, and far more than a step on a GPU: one per
 * epoch of a small data set was a large share of the run. Driven here step by step, with a clock
 * of our own, through the real callback, run folder and summary classes, in the test Python.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from './helpers';
import { runPythonJson, testPython } from './python-helpers';
import { pythonPackageRoot } from '../../../src/engine/train/runners/python-env';

const SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
from transformers import TrainerControl, TrainerState
from embedlab_train.run_files import RunFolder, Summary, new_summary
from embedlab_train.metrics_callback import RunProgress, MetricsCallback

out, min_seconds, cancel_at = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
folder = RunFolder(out)
summary = Summary(folder, new_summary("py-ckpt", "mnr", "2026-01-01T00:00:00Z", "cpu", None))
# 20 steps of 10 s each; the trainer's cadence asks for a checkpoint every 2 steps and at the end.
job = {"plan": [[[0]] * 20], "totalSteps": 20, "evalEvery": 1000, "checkpointEvery": 2, "checkpointMinSeconds": min_seconds}
now = [0.0]
progress = RunProgress(folder, summary, job, lambda: {}, lambda: None)
progress.clock = lambda: now[0]
progress.last_checkpoint_at = 0.0
progress.last_loss, progress.last_lr = 0.1, 0.001
callback = MetricsCallback(progress)
state = TrainerState()
saved = []
class Args:
    output_dir = out
for step in range(1, 21):
    now[0] = 10.0 * step
    state.global_step = step
    if step == cancel_at:
        progress.cancel_requested = True
    control = TrainerControl()
    control.should_save = step % job["checkpointEvery"] == 0 or step == job["totalSteps"]
    control = callback.on_step_end(Args, state, control)
    if control.should_save:
        saved.append(step)
        callback.on_save(Args, state, control)
    if control.should_training_stop:
        break
print(json.dumps({"saved": saved}))
`;

function saves(python: string, minSeconds: number, cancelAt = 0): number[] {
  return runPythonJson<{ saved: number[] }>(python, SCRIPT, [pythonPackageRoot(), tempDir(), String(minSeconds), String(cancelAt)]).saved;
}

test('python runner: checkpoints of the step cadence at least checkpointMinSeconds apart; cancel and the last step always save', async () => {
  const python = await testPython();
  assert.deepEqual(saves(python, 0), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20], 'no spacing: every step of the cadence');
  assert.deepEqual(saves(python, 55), [6, 12, 18, 20], 'one every 60 s of training, and the last step');
  assert.deepEqual(saves(python, 1000), [20], 'a short run: the last step only');
  assert.deepEqual(saves(python, 1000, 7), [7], 'a cancel saves at once, whatever the spacing');
});
