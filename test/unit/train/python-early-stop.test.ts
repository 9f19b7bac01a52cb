/**
 * The python runner stops early as the builtin loop does (issue 12 item 1): its callback
 * (python/embedlab_train/metrics_callback.py) counts the evaluations without improvement, asks the
 * trainer to stop after `patience` of them, keeps the best model, and records the best epoch and
 * `stoppedEarly` in summary.json. Driven here step by step with the evaluation sequence of
 * loop.test.ts's early-stopping test, in the test Python, through the real callback, run folder
 * and summary classes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers';
import { runPythonJson, testPython } from './python-helpers';
import { pythonPackageRoot } from '../../../src/engine/train/runners/python-env';

const SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
from transformers import TrainerControl, TrainerState
from embedlab_train.run_files import RunFolder, Summary, new_summary
from embedlab_train.metrics_callback import RunProgress, MetricsCallback

out, patience = sys.argv[2], int(sys.argv[3])
folder = RunFolder(out)
summary = Summary(folder, new_summary("py-stop", "cosine", "2026-01-01T00:00:00Z", "cpu", None))
# Six epochs of five steps, an evaluation at the end of each.
job = {"plan": [[[0]] * 5 for _ in range(6)], "totalSteps": 30, "evalEvery": 5, "patience": patience}
values = iter([0.5, 0.7, 0.6, 0.65, 0.9, 0.95])
saved = []
progress = RunProgress(folder, summary, job, lambda: {"spearman": next(values)}, lambda: saved.append(state.global_step))
progress.last_loss, progress.last_lr = 0.1, 0.001
callback = MetricsCallback(progress)
state = TrainerState()
steps = 0
for step in range(1, 31):
    state.global_step = step
    control = callback.on_step_end(None, state, TrainerControl())
    steps = step
    if control.should_training_stop:
        break
summary.write(force=True)
print(json.dumps({"steps": steps, "saved": saved, "state": progress.state(steps)}))
`;

interface Result {
  steps: number;
  saved: number[];
  state: { evalsSinceBest: number; best: { step: number; epoch: number } };
}

test('python runner: the callback stops after `patience` evaluations without improvement, keeping the best model (as the builtin loop)', async () => {
  const python = await testPython();
  const dir = tempDir();
  const r = runPythonJson<Result>(python, SCRIPT, [pythonPackageRoot(), dir, '2']);
  assert.equal(r.steps, 20, 'stopped after the fourth epoch');
  assert.deepEqual(r.saved, [5, 10], 'the best model is saved at each improvement only');
  assert.equal(r.state.evalsSinceBest, 2, 'a checkpoint carries the count on to a resume');
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  assert.deepEqual(summary.best, { step: 10, epoch: 2, metric: 'spearman', value: 0.7 });
  assert.deepEqual(summary.stoppedEarly, { step: 20, epochs: 4, patience: 2 });

  const never = tempDir();
  const r0 = runPythonJson<Result>(python, SCRIPT, [pythonPackageRoot(), never, '0']);
  assert.equal(r0.steps, 30, 'patience 0 never stops early');
  assert.equal(JSON.parse(readFileSync(path.join(never, 'summary.json'), 'utf8')).stoppedEarly, undefined);
});
