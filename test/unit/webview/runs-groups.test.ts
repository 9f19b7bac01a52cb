import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandPath, formatStats, groupCurve, groupRuns, statsOf } from '../../../webview/runs/groups';
import { buildRunsTable, toCsv } from '../../../webview/runs/table';
import type { RunSummary } from '../../../src/protocol/runs';

const run = (id: string, config: RunSummary['config'], metrics: RunSummary['metrics'], before?: RunSummary['metrics']): RunSummary => ({
  id, name: `run ${id}`, defaultName: id, named: false, tags: [], notes: '', status: 'completed', createdAt: '', config, metrics, before, curves: [],
});

// Three CoSENT runs (Spearman 0.70, 0.74, 0.75), one MNR run, one run without a loss.
const runs = [
  run('a', { loss: 'cosent', epochs: 4 }, { spearman: 0.7, nmi: 0.5 }, { spearman: 0.6 }),
  run('b', { loss: 'mnr', epochs: 4 }, { spearman: 0.6 }),
  run('c', { loss: 'cosent', epochs: 4 }, { spearman: 0.74 }, { spearman: 0.6 }),
  run('d', { loss: 'cosent', epochs: 8 }, { spearman: 0.75, nmi: 0.6 }, { spearman: 0.64 }),
  run('e', { epochs: 1 }, { spearman: 0.1 }),
];

test('group statistics match a hand computation (mean, sample sd with n − 1, min, max)', () => {
  const groups = groupRuns(runs, 'loss');
  assert.deepEqual(groups.map((g) => [g.id, g.label, g.members]), [
    ['"cosent"', 'Loss = CoSENT', [0, 2, 3]],
    ['"mnr"', 'Loss = MNR', [1]],
    ['—', 'Loss = —', [4]],
  ]);
  const s = groups[0].metrics.spearman;
  // mean (0.70 + 0.74 + 0.75) / 3 = 0.73; deviations −0.03, 0.01, 0.02; squares 0.0009 + 0.0001 + 0.0004 = 0.0014;
  // sd = √(0.0014 / 2) = √0.0007 = 0.0264575…
  assert.equal(s.n, 3);
  assert.ok(Math.abs(s.mean - 0.73) < 1e-12);
  assert.ok(Math.abs(s.sd! - 0.026457513) < 1e-9);
  assert.equal(s.min, 0.7);
  assert.equal(s.max, 0.75);
  // NMI only in two of the three runs: (0.5 + 0.6) / 2, sd √((0.05² + 0.05²) / 1) = 0.0707…
  assert.equal(groups[0].metrics.nmi.n, 2);
  assert.ok(Math.abs(groups[0].metrics.nmi.mean - 0.55) < 1e-12);
  assert.ok(Math.abs(groups[0].metrics.nmi.sd! - 0.070710678) < 1e-9);
  // before training: (0.6 + 0.6 + 0.64) / 3 = 0.61333…
  assert.ok(Math.abs(groups[0].before.spearman.mean - 0.6133333333) < 1e-9);
  // one run: a mean and no standard deviation
  assert.deepEqual(groups[1].metrics.spearman, { n: 1, mean: 0.6, min: 0.6, max: 0.6 });
  assert.equal(groups[1].metrics.nmi, undefined);
  assert.equal(formatStats(s, (v) => v.toFixed(3)), '0.730 ± 0.026');
  assert.equal(formatStats(groups[1].metrics.spearman, (v) => v.toFixed(3)), '0.600');
  assert.equal(statsOf([NaN]), undefined);
});

test('a numeric key groups by value', () => {
  assert.deepEqual(groupRuns(runs, 'epochs').map((g) => [g.label, g.members]), [['Epochs = 4', [0, 1, 2]], ['Epochs = 8', [3]], ['Epochs = 1', [4]]]);
});

test('group curve: mean, min and max at every logged step over the members that span it (interpolated, never extended)', () => {
  const band = groupCurve([
    { name: 'loss', points: [{ step: 0, value: 1 }, { step: 10, value: 2 }, { step: 20, value: 3 }] },
    { name: 'loss', points: [{ step: 0, value: 3 }, { step: 20, value: 5 }] }, // 4 at step 10 by interpolation
    { name: 'loss', points: [{ step: 10, value: 0 }, { step: 30, value: NaN }] }, // only step 10 counts
  ]);
  assert.deepEqual(band, [
    { step: 0, mean: 2, min: 1, max: 3, n: 2 },
    { step: 10, mean: 2, min: 0, max: 4, n: 3 },
    { step: 20, mean: 4, min: 3, max: 5, n: 2 },
  ]);
  // y = pad + (1 − v / 4) · 10: max 3 → 4.5, max 4 → 2, min 0 → 12, min 1 → 9.5
  assert.equal(bandPath(band.slice(0, 2), { minX: 0, maxX: 10, minY: 0, maxY: 4 }, { width: 20, height: 14, pad: 2 }), 'M2.0 4.5 L18.0 2.0 L18.0 12.0 L2.0 9.5 Z');
});

test('grouped export: a group row (count, mean, sd, shared settings) before its runs', () => {
  const t = buildRunsTable(runs.slice(0, 3), 'loss');
  assert.deepEqual(t.headers.slice(0, 15), ['group', 'row', 'runs', 'name', 'id', 'tags', 'notes', 'status', 'duration',
    'Spearman correlation', 'Spearman correlation sd', 'Spearman correlation before', 'Normalised mutual information', 'Normalised mutual information sd', 'Loss']);
  const csv = toCsv(t).split('\r\n');
  assert.equal(csv[1], 'CoSENT,group,2,Loss = CoSENT,,,,,,0.72,0.0282843,0.6,0.5,,cosent,4');
  assert.equal(csv[2], 'CoSENT,run,,run a,a,,,completed,,0.7,,0.6,0.5,,cosent,4');
  assert.equal(csv[3], 'CoSENT,run,,run c,c,,,completed,,0.74,,0.6,,,cosent,4');
  assert.equal(csv[4], 'MNR,group,1,Loss = MNR,,,,,,0.6,,,,,mnr,4');
  assert.equal(csv.length, 7);
  // ungrouped, the table is unchanged
  assert.equal(buildRunsTable(runs.slice(0, 3)).headers[0], 'name');
});
