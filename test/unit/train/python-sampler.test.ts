/**
 * The training script's batch sampler in a data-parallel run (python/embedlab_train/sampler.py):
 * each planned batch becomes one equal part per worker, consecutive, so that accelerate hands
 * part r of every batch to worker r (the gathers of MNR need parts of one size); the rows beyond
 * a multiple of the worker count are left out and counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonPackageRoot } from '../../../src/engine/train/runners/python-env';
import { runPythonJson, testPython } from './python-helpers';

test('planned batches split into equal consecutive parts per worker; the remainder is counted', async () => {
  const python = await testPython();
  const out = runPythonJson<{ one: number[][]; two: number[][]; three: number[][]; left2: number; left3: number; tooSmall: string; size1: number | null; size2: number | null }>(
    python,
    [
      'import sys, json',
      'sys.path.insert(0, sys.argv[1])',
      'from embedlab_train.sampler import PlannedBatchSampler, rows_left_out',
      'plan = [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10], [11, 12, 13, 14, 15]]',
      'try:',
      '    PlannedBatchSampler([[0], [1, 2]], 2)',
      '    small = ""',
      'except ValueError as e:',
      '    small = str(e)',
      'print(json.dumps({"one": list(PlannedBatchSampler(plan, 1)), "two": list(PlannedBatchSampler(plan, 2)), "three": list(PlannedBatchSampler(plan, 3)),',
      '  "left2": rows_left_out(plan, 2), "left3": rows_left_out(plan, 3), "tooSmall": small,',
      '  "size1": PlannedBatchSampler(plan, 1).batch_size, "size2": PlannedBatchSampler(plan, 2).batch_size}))',
    ].join('\n'),
    [pythonPackageRoot()],
  );
  assert.deepEqual(out.one, [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10], [11, 12, 13, 14, 15]]);
  assert.deepEqual(out.two, [[0, 1, 2, 3], [4, 5, 6, 7], [8], [9], [11, 12], [13, 14]]);
  assert.deepEqual(out.three, [[0, 1], [2, 3], [4, 5], [8], [9], [10], [11], [12], [13]]);
  assert.equal(out.left2, 0 + 1 + 1);
  assert.equal(out.left3, 2 + 0 + 2);
  assert.match(out.tooSmall, /a planned batch has 1 rows, fewer than the 2 workers/);
  assert.equal(out.size1, 8);
  assert.equal(out.size2, null, 'parts of varying sizes: accelerate keeps every one');
});
