import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTrainingSet } from '../../../src/engine/train/training-data';

test('pair texts reach the encoder as written (spaces at the ends, tabs, no-break spaces); blank ones are skipped', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pairs-ws-')), 'pairs.jsonl');
  const rows = [
    { text1: '  leading', text2: 'trailing\t\n' },
    { text1: 'no\u00a0break', text2: 'doubled  spaces' },
    { text1: ' \t', text2: 'blank anchor' },
    { text1: 'a', text2: 'b' },
  ];
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const set = await loadTrainingSet(file, 'pairs', {});
  assert.equal(set.kind, 'pairs');
  if (set.kind !== 'pairs') return;
  assert.deepEqual(set.anchors, ['  leading', 'no\u00a0break', 'a']);
  assert.deepEqual(set.positives, ['trailing\t\n', 'doubled  spaces', 'b']);
});
