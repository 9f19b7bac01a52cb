// `embedlab annotations suggest` runs the same job as the extension's Annotate Pairs panel
// (engine/jobs/suggest-job.ts): every strategy works from the CLI, "cluster-border" included
// (the job clusters the dataset when no saved clustering matches it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUGGEST_STRATEGIES } from '../../../src/engine/annotate/suggest-pairs';
import { newsRecords, onlyJson, runCli, tempDir } from './helpers';

const dir = tempDir('embedlab-suggest-');
const TEMPLATE = '{title}. {description}';
const news = path.join(dir, 'news.jsonl');
fs.writeFileSync(news, newsRecords(24).map((r) => JSON.stringify(r)).join('\n') + '\n');
const project = path.join(dir, 'project');

test('annotations suggest: every strategy gives pairs of records of the dataset, leaving out pairs already seen', async () => {
  assert.equal((await runCli('init', project)).code, 0);
  assert.equal((await runCli('import', news, '--project', project, '--name', 'news', '--text', TEMPLATE, '--label', 'label')).code, 0);
  for (const strategy of SUGGEST_STRATEGIES) {
    const r = await runCli('annotations', 'suggest', '--project', project, '--dataset', 'news', '--strategy', strategy, '--count', '4', '--json');
    assert.equal(r.code, 0, `--strategy ${strategy}: ${r.stderr}`);
    const json = onlyJson(r) as { strategy: string; encoder: string; pairs: { id1: string; id2: string; similarity: number; text1?: string; text2?: string }[] };
    assert.equal(json.strategy, strategy);
    assert.match(json.encoder, /^builtin:/);
    assert.ok(json.pairs.length > 0, `--strategy ${strategy} suggests pairs`);
    for (const p of json.pairs) {
      assert.notEqual(p.id1, p.id2);
      assert.ok(typeof p.text1 === 'string' && p.text1.length > 0 && typeof p.text2 === 'string', `${strategy}: the texts are printed`);
      assert.ok(Number.isFinite(p.similarity));
    }
  }
  // A scored pair is not suggested again.
  const first = onlyJson(await runCli('annotations', 'suggest', '--project', project, '--dataset', 'news', '--strategy', 'nearest', '--count', '1', '--json')) as { pairs: { id1: string; id2: string }[] };
  const { id1, id2 } = first.pairs[0];
  assert.equal((await runCli('annotations', 'add', id1, id2, '0.5', '--project', project)).code, 0);
  const next = onlyJson(await runCli('annotations', 'suggest', '--project', project, '--dataset', 'news', '--strategy', 'nearest', '--count', '20', '--json')) as { pairs: { id1: string; id2: string }[] };
  assert.ok(!next.pairs.some((p) => (p.id1 === id1 && p.id2 === id2) || (p.id1 === id2 && p.id2 === id1)));
});
