import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunsTable, differingConfigKeys, formatDuration, toCsv, toMarkdown } from '../../../webview/runs/table';
import { curvePath, curvesExtent } from '../../../webview/runs/curves';
import type { RunSummary } from '../../../src/protocol/runs';

const runs: RunSummary[] = [
  { id: 'a', name: 'mnr, base', status: 'completed', createdAt: '', durationMs: 65_000, config: { loss: 'mnr', epochs: 6, seed: 42 }, metrics: { spearman: 0.7123456, nmi: 0.5 }, curves: [] },
  { id: 'b', name: 'say "hi" | pipe', status: 'failed', createdAt: '', durationMs: 4_500, config: { loss: 'cosent', epochs: 6, seed: 42, note: 'x' }, metrics: { spearman: 0.75 }, curves: [] },
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
    'run,status,duration,Spearman,NMI,loss,note,epochs,seed\r\n' +
    '"mnr, base",completed,1 min 05 s,0.712346,0.5,mnr,,6,42\r\n' +
    '"say ""hi"" | pipe",failed,4.5 s,0.75,,cosent,x,6,42\r\n');
});

test('Markdown export escapes pipes and right-aligns numeric columns', () => {
  const md = toMarkdown(buildRunsTable(runs));
  assert.equal(md,
    '| run | status | duration | Spearman | NMI | loss | note | epochs | seed |\n' +
    '| --- | --- | --- | ---: | ---: | --- | --- | ---: | ---: |\n' +
    '| mnr, base | completed | 1 min 05 s | 0.712346 | 0.5 | mnr |  | 6 | 42 |\n' +
    '| say "hi" \\| pipe | failed | 4.5 s | 0.75 |  | cosent | x | 6 | 42 |\n');
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
    id, name: id, status: 'completed' as const, createdAt: '', config: {}, metrics: { topkSameLabel: 0.3 }, curves: [],
    ...(before !== undefined ? { before: { topkSameLabel: before } } : {}),
  });
  assert.deepEqual(metricsWithBefore([run('a'), run('b', 0.2)]), ['topkSameLabel']);
  const t = buildRunsTable([run('a'), run('b', 0.2)]);
  assert.deepEqual(t.headers, ['run', 'status', 'duration', 'Top-k same label', 'Top-k same label before']);
  assert.deepEqual(t.rows.map((r) => r.slice(3)), [[0.3, undefined], [0.3, 0.2]]);
  assert.deepEqual(buildRunsTable([run('a')]).headers, ['run', 'status', 'duration', 'Top-k same label'], 'no before column when no run has one');
});
