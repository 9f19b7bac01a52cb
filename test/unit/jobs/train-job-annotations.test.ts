// Issue 9 item 7: Fine-tune on annotations says how many scored pairs it leaves out because their
// records are in no dataset (a dataset removed or re-imported), instead of dropping them unseen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProject } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { appendAnnotation } from '../../../src/engine/project/annotations';
import { trainJob } from '../../../src/engine/jobs/train-job';
import type { Progress } from '../../../src/engine/util/job';
import { toyContext } from '../train/helpers';


test('a fine-tune on annotations reports the scored pairs whose records are in no dataset', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-train-job-'));
  await createProject(dir);
  const file = path.join(dir, 'in.jsonl');
  fs.writeFileSync(file, Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `r${i}`, text: `t${i % 3}w1 noise${i} words ${i}` })).join('\n') + '\n');
  await importDataset(dir, file, { name: 'd', template: '{text}', idField: 'id' });
  const log = path.join(dir, 'annotations.jsonl');
  for (let i = 0; i < 10; i += 2) await appendAnnotation(log, { id1: `r${i}`, id2: `r${i + 1}`, score: (i % 4) / 4, annotator: 'a' });
  await appendAnnotation(log, { id1: 'gone1', id2: 'r3', score: 1, annotator: 'a' });
  await appendAnnotation(log, { id1: 'r4', id2: 'gone2', score: 0, annotator: 'a' });
  const seen: Progress[] = [];
  const result = await trainJob(
    { projectDir: dir, data: 'annotations', loss: 'cosine', mode: 'head', epochs: 1, batchSize: 2, encoder: 'toy:8', seed: 1, evalFraction: 0 },
    { secrets: {}, onProgress: (p) => seen.push(p), encoderProviders: toyContext.providers },
  );
  assert.equal(result.status, 'completed');
  const warning = seen.find((p) => p.stage === 'warning');
  assert.ok(warning, 'a warning was reported');
  assert.match(warning.message ?? '', /2 of 7 scored pairs name a record that is in no dataset and are left out \(first: "gone1" ~ "r3"\)/);
});
