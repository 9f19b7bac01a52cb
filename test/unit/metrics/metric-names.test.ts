// One metric vocabulary: every key the engine writes has a label, a short label, a direction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMetrics, formatMetric, headlineMetric, isBetter, METRIC_INFO, metricInfo, orderedMetricKeys } from '../../../src/protocol/metric-names';
import { evalClusters, evalLabelGroups, evalPairs, evalScoredPairs } from '../../../src/engine/train/evaluate';
import { createMatrix, normalizeRows } from '../../../src/engine/util/matrix';

test('every metric the evaluation writes is in the vocabulary', () => {
  const x = normalizeRows(createMatrix(4, 2, Float32Array.from([1, 0, 0, 1, 0.7, 0.7, 1, 0.1])));
  const y = normalizeRows(createMatrix(4, 2, Float32Array.from([0.9, 0.2, 0.3, 1, 1, 0.1, 0.2, 0.8])));
  const keys = [
    ...Object.keys(evalScoredPairs(x, y, Float32Array.from([1, 0, 0.5, 0.2]))),
    ...Object.keys(evalLabelGroups(x, Int32Array.from([0, 1, 0, 1]))),
    ...Object.keys(evalPairs(x, x)),
    ...Object.keys(evalClusters(Int32Array.from([0, 1, 0, 1]), Int32Array.from([0, 1, 0, 1]))),
  ];
  for (const k of keys) assert.ok(METRIC_INFO.some((i) => i.key === k), `${k} has no entry`);
});

test('labels, formats, order and direction', () => {
  assert.equal(metricInfo('top10').short, 'Same label@10');
  assert.equal(formatMetric('spearman', 0.81234), 'Spearman 0.812');
  assert.equal(formatMetric('loss', 0.5), 'Loss 0.5000');
  assert.deepEqual(orderedMetricKeys({ nmi: 0.4, top1: 0.2, spearman: 0.7, zzz: 1, bad: Number.NaN }), ['spearman', 'top1', 'nmi', 'zzz']);
  assert.equal(headlineMetric({ loss: 0.2, top25: 0.377 }), 'top25');
  assert.equal(describeMetrics({ top1: 0.5, top10: 0.61, top25: 0.7 }), 'Same label@1 0.500, Same label@10 0.610');
  assert.equal(isBetter('loss', 0.1, 0.2), true);
  assert.equal(isBetter('spearman', 0.1, 0.2), false);
  assert.equal(metricInfo('unknownKey').label, 'unknownKey');
});
