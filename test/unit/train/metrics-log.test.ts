import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appendMetric, readMetrics, runFiles } from '../../../src/engine/train/runs';

const dir = mkdtempSync(path.join(tmpdir(), 'el-metrics-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('metrics.jsonl: a line cut off by a crash does not swallow the next metric', async () => {
  appendMetric(dir, { step: 1, loss: 0.5 });
  appendFileSync(runFiles(dir).metrics, '{"step":2,"lo'); // the process died mid-write
  appendMetric(dir, { step: 2, loss: 0.25 }); // the resumed run goes on
  assert.deepEqual(await readMetrics(dir), [{ step: 1, loss: 0.5 }, { step: 2, loss: 0.25 }]);
  assert.equal(readFileSync(runFiles(dir).metrics, 'utf8'), '{"step":1,"loss":0.5}\n{"step":2,"lo\n{"step":2,"loss":0.25}\n');
});
