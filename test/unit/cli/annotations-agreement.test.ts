// Several annotators from the CLI: `annotations agreement` prints Krippendorff's alpha and the
// number of pairs with two annotators or more; `annotations suggest --strategy disagreement`
// serves the pairs whose annotators differ most, widest first, and leaves out a pair once this
// annotator has scored it again (a new entry, appended).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { krippendorffIntervalAlpha } from '../../../src/engine/annotate/agreement';
import { newsRecords, onlyJson, runCli, tempDir } from './helpers';

const dir = tempDir('embedlab-agreement-');
const news = path.join(dir, 'news.jsonl');
fs.writeFileSync(news, newsRecords(12).map((r) => JSON.stringify(r)).join('\n') + '\n');
const project = path.join(dir, 'project');

test('annotations agreement and the disagreement queue', async () => {
  assert.equal((await runCli('init', project)).code, 0);
  assert.equal((await runCli('import', news, '--project', project, '--name', 'news', '--text', '{title}. {description}')).code, 0);
  const ids = fs.readFileSync(path.join(project, 'data', 'news.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
  const add = async (a: number, b: number, score: string, annotator: string) =>
    assert.equal((await runCli('annotations', 'add', ids[a], ids[b], score, '--project', project, '--annotator', annotator)).code, 0);
  assert.match((await runCli('annotations', 'agreement', '--project', project)).stdout, /no pair has two annotators yet/);
  await add(0, 1, '0', 'ana');
  await add(0, 1, '1', 'ben'); // spread 1
  await add(2, 3, '0.25', 'ana');
  await add(2, 3, '0.75', 'ben'); // spread .5
  await add(4, 5, '0.5', 'ana');
  await add(4, 5, '0.5', 'ben');
  await add(6, 7, '1', 'ana'); // one annotator
  const r = await runCli('annotations', 'agreement', '--project', project);
  assert.equal(r.code, 0, r.stderr);
  const alpha = krippendorffIntervalAlpha([[0, 1], [0.25, 0.75], [0.5, 0.5]])!;
  assert.match(r.stdout, new RegExp(`Krippendorff's alpha \\(interval, 0–1 scale\\): ${alpha.toFixed(3).replace('.', '\\.')}`));
  assert.match(r.stdout, /pairs with two annotators or more: 3; annotators: ana, ben/);
  const json = onlyJson(await runCli('annotations', 'agreement', '--project', project, '--json')) as { pairs: number; alpha: number };
  assert.equal(json.pairs, 3);
  assert.ok(Math.abs(json.alpha - alpha) < 1e-12);

  const queue = async (annotator: string) =>
    (onlyJson(await runCli('annotations', 'suggest', '--strategy', 'disagreement', '--project', project, '--dataset', 'news', '--annotator', annotator, '--json')) as { pairs: { id1: string; id2: string; spread: number }[] }).pairs;
  const cleo = await queue('cleo');
  assert.deepEqual(cleo.map((p) => [p.id1, p.id2, p.spread]), [[ids[0], ids[1], 1], [ids[2], ids[3], 0.5]]);
  // ana scored first; ben disagreed after: ana sees both; once she scores again, the pair leaves her queue
  assert.equal((await queue('ana')).length, 2);
  await add(0, 1, '0.25', 'ana');
  assert.deepEqual((await queue('ana')).map((p) => p.id1), [ids[2]]);
  // a higher threshold
  const high = onlyJson(await runCli('annotations', 'suggest', '--strategy', 'disagreement', '--threshold', '0.5', '--project', project, '--dataset', 'news', '--annotator', 'cleo', '--json')) as { pairs: unknown[] };
  assert.equal(high.pairs.length, 1);

  // export: the latest score per pair and annotator, with the texts
  const out = path.join(dir, 'pairs.jsonl');
  const e = await runCli('annotations', 'export', '--project', project, '--out', out);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /wrote 4 pairs \(3 with two annotators or more\)/);
  const rows = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id1: string; id2: string; text1: string; score: number; annotators: Record<string, number> });
  const first = rows.find((x) => x.id1 === ids[0])!;
  assert.deepEqual(first.annotators, { ana: 0.25, ben: 1 }, 'ana\'s correction (appended) wins over her first score');
  assert.equal(first.score, 0.625);
  assert.ok(first.text1.length > 0);
  const csv = path.join(dir, 'pairs.csv');
  assert.equal((await runCli('annotations', 'export', '--project', project, '--out', csv)).code, 0);
  assert.equal(fs.readFileSync(csv, 'utf8').split('\n')[0], 'id1,id2,text1,text2,score,score:ana,score:ben,time');
  const bad = await runCli('annotations', 'export', '--project', project, '--out', path.join(dir, 'pairs.txt'));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /pairs\.txt.*must end in \.jsonl or \.csv/);
});
