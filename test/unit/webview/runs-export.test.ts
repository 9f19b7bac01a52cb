import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunsTable, differingConfigKeys, formatDuration, toCsv, toMarkdown } from '../../../webview/runs/table';
import { colourGroups, curvePath, curvesExtent, normalisePoints, scalesDiffer, smoothPoints } from '../../../webview/runs/curves';
import type { RunSummary } from '../../../src/protocol/runs';

const runs: RunSummary[] = [
  { id: 'a', name: 'mnr, base', defaultName: 'd', named: true, tags: ['x', 'y'], notes: '', status: 'completed', createdAt: '', durationMs: 65_000, config: { loss: 'mnr', epochs: 6, seed: 42 }, metrics: { spearman: 0.7123456, nmi: 0.5 }, curves: [] },
  { id: 'b', name: 'say "hi" | pipe', defaultName: 'd', named: true, tags: [], notes: 'deux\nlignes', status: 'failed', createdAt: '', durationMs: 4_500, config: { loss: 'cosent', epochs: 6, seed: 42, note: 'x' }, metrics: { spearman: 0.75 }, curves: [] },
];

test('differingConfigKeys finds changed and missing keys only', () => {
  assert.deepEqual(differingConfigKeys(runs), ['loss', 'note']);
});

test('formatDuration', () => {
  assert.equal(formatDuration(4_500), '4.5 s');
  assert.equal(formatDuration(65_000), '1 min 05 s');
  assert.equal(formatDuration(3_725_000), '1 h 02 min');
  assert.equal(formatDuration(undefined), '');
});

test('CSV export quotes commas and quotes, uses CRLF, keeps metric order', () => {
  const csv = toCsv(buildRunsTable(runs));
  assert.equal(csv,
    'name,id,tags,notes,status,duration,Spearman correlation,Normalised mutual information,Loss,Note,Epochs,Seed\r\n' +
    '"mnr, base",a,"x, y",,completed,1 min 05 s,0.712346,0.5,mnr,,6,42\r\n' +
    '"say ""hi"" | pipe",b,,"deux\nlignes",failed,4.5 s,0.75,,cosent,x,6,42\r\n');
});

test('Markdown export escapes pipes and right-aligns numeric columns', () => {
  const md = toMarkdown(buildRunsTable(runs));
  assert.equal(md,
    '| name | id | tags | notes | status | duration | Spearman correlation | Normalised mutual information | Loss | Note | Epochs | Seed |\n' +
    '| --- | --- | --- | --- | --- | --- | ---: | ---: | --- | --- | ---: | ---: |\n' +
    '| mnr, base | a | x, y |  | completed | 1 min 05 s | 0.712346 | 0.5 | mnr |  | 6 | 42 |\n' +
    '| say "hi" \\| pipe | b |  | deux lignes | failed | 4.5 s | 0.75 |  | cosent | x | 6 | 42 |\n');
});

test('curve paths map the extent onto the box, y up', () => {
  const c = { name: 'loss', points: [{ step: 0, value: 2 }, { step: 10, value: 1 }, { step: 20, value: NaN }, { step: 30, value: 0 }] };
  const e = curvesExtent([c]);
  assert.deepEqual(e, { minX: 0, maxX: 30, minY: 0, maxY: 2 });
  assert.equal(curvePath(c, e, { width: 70, height: 50, pad: 5 }), 'M5.0 5.0 L25.0 25.0 M65.0 45.0');
});

test('before-training values: a delta per metric and a "before" column in the export', async () => {
  const { formatDelta, buildRunsTable, metricsWithBefore } = await import('../../../webview/runs/table');
  assert.equal(formatDelta(0.29, 0.25), '+0.040');
  assert.equal(formatDelta(0.25, 0.2901), '−0.040');
  assert.equal(formatDelta(0.5, 0.5), '±0.000');
  assert.equal(formatDelta(0.5, undefined), '');
  const run = (id: string, before?: number) => ({
    id, name: id, defaultName: id, named: false, tags: [], notes: '', status: 'completed' as const, createdAt: '', config: {}, metrics: { top10: 0.3 }, curves: [],
    ...(before !== undefined ? { before: { top10: before } } : {}),
  });
  assert.deepEqual(metricsWithBefore([run('a'), run('b', 0.2)]), ['top10']);
  const t = buildRunsTable([run('a'), run('b', 0.2)]);
  assert.deepEqual(t.headers, ['name', 'id', 'tags', 'notes', 'status', 'duration', 'Same label, nearest 10', 'Same label, nearest 10 before']);
  assert.deepEqual(t.rows.map((r) => r.slice(6)), [[0.3, undefined], [0.3, 0.2]]);
  assert.deepEqual(buildRunsTable([run('a')]).headers.slice(6), ['Same label, nearest 10'], 'no before column when no run has one');
});

test('config diff rows: readable labels and values, only the differing ones unless show all', async () => {
  const { configDiffRows } = await import('../../../webview/runs/table');
  const two: RunSummary[] = [
    { ...runs[0], config: { loss: 'mnr', lr: 0.001, 'head.kind': 'skip-linear', seed: 42 } },
    { ...runs[1], config: { loss: 'cosent', lr: 0.00002, 'head.kind': 'skip-linear', seed: 42 } },
  ];
  assert.deepEqual(configDiffRows(two, false).map((r) => [r.label, ...r.values]), [['Loss', 'MNR', 'CoSENT'], ['Learning rate', '1e-3', '2e-5']]);
  assert.deepEqual(configDiffRows(two, true).map((r) => r.label), ['Loss', 'Learning rate', 'Head › kind', 'Seed']);
});

test('smoothing: a debiased EMA (0 keeps the values), normalisation per run, scale check, colour groups', () => {
  const pts = [{ step: 0, value: 1 }, { step: 1, value: 3 }, { step: 2, value: NaN }, { step: 3, value: 1 }];
  assert.deepEqual(smoothPoints(pts, 0).map((p) => p.value), [1, 3, NaN, 1]);
  const s = smoothPoints(pts, 0.5).map((p) => p.value);
  assert.equal(s[0], 1, 'debiased: the first point is the first value');
  assert.ok(Math.abs(s[1] - (0.5 * 0.5 + 0.5 * 3) / 0.75) < 1e-12);
  assert.ok(Number.isNaN(s[2]));
  assert.ok(s[3] > 1 && s[3] < 3);
  assert.deepEqual(normalisePoints(pts).map((p) => p.value), [0, 1, NaN, 0]);
  assert.deepEqual(normalisePoints([{ step: 0, value: 2 }, { step: 1, value: 2 }]).map((p) => p.value), [0.5, 0.5]);
  const c = (scale: number) => ({ name: 'loss', points: [{ step: 0, value: scale }, { step: 1, value: 0 }] });
  assert.equal(scalesDiffer([c(1), c(40)]), true);
  assert.equal(scalesDiffer([c(1), c(2)]), false);
  assert.deepEqual(colourGroups(['mnr', 'cosent', 'mnr', undefined]), { index: [0, 1, 0, 2], labels: ['mnr', 'cosent', '—'] });
});
