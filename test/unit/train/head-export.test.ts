import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers';
import { train } from '../../../src/engine/train/trainer';
import { runFiles } from '../../../src/engine/train/runs';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { exportModelJob } from '../../../src/engine/jobs/export-jobs';

const MARKER = 'Zorblax-Quintessa 7741 Marmalade';
const WORDS = ['sport', 'match', 'team', 'market', 'price', 'stock', 'film', 'actor', 'scene', 'rain', 'storm', 'cloud'];

/** Pairs on three topics; every text carries the marker sentence. */
function writeMarkedPairs(file: string): string[] {
  const texts: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < 24; i++) {
    const t = i % 3;
    const words = (k: number) => [WORDS[4 * t + (k % 4)], WORDS[4 * t + ((k + 1) % 4)], WORDS[4 * t + ((k + 2) % 4)]].join(' ');
    const a = `${words(i)} story ${i}. ${MARKER}, said the record.`;
    const b = `${MARKER} again: ${words(i + 1)} note ${i}`;
    texts.push(a, b);
    lines.push(JSON.stringify({ text1: a, text2: b }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return texts;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function assertNoTrainingText(exportDir: string, texts: readonly string[]): void {
  const files = filesUnder(exportDir);
  assert.ok(files.some((f) => f.endsWith('base-encoder.bin')), 'the built-in fit is exported');
  for (const f of files) {
    const bytes = readFileSync(f);
    assert.equal(bytes.indexOf(Buffer.from(MARKER, 'utf8')), -1, `${path.relative(exportDir, f)} holds the marker`);
    for (const t of texts) assert.equal(bytes.indexOf(Buffer.from(t, 'utf8')), -1, `${path.relative(exportDir, f)} holds a training text`);
  }
}

async function embed(spec: string, texts: string[], projectDir?: string): Promise<Float32Array> {
  const enc = await resolveEncoder(spec, { projectDir });
  try {
    return (await enc.encode(texts)).data;
  } finally {
    await enc.dispose();
  }
}

test('an exported head run on the built-in encoder holds no training text and encodes new texts as the run did', async () => {
  const dir = tempDir();
  const texts = writeMarkedPairs(path.join(dir, 'pairs.jsonl'));
  const corpus = [...new Set(texts)];
  const r = await train({
    root: dir,
    mode: 'head',
    encoder: 'builtin',
    encoderContext: { corpus, seed: 3 },
    train: { file: path.join(dir, 'pairs.jsonl') },
    loss: 'mnr',
    batchSize: 8,
    epochs: 1,
    lr: 1e-2,
    backend: 'wasm',
  });
  assert.equal(r.status, 'completed');
  const probe = ['a storm over the market', 'the team film scene', `${MARKER} itself`];
  const viaRun = await embed(`run:${r.id}`, probe, dir);

  const out = await exportModelJob({ projectDir: dir, runId: r.id, target: path.join(dir, 'export') }, { secrets: {} });
  assertNoTrainingText(out.dir, texts);
  assert.deepEqual(Array.from(await embed(out.dir, probe)), Array.from(viaRun));
  const readme = readFileSync(path.join(out.dir, 'README.md'), 'utf8');
  assert.match(readme, /No record of the training data/);

  // A run of an earlier version kept the corpus (base-corpus.json) instead of the fit: it still
  // serves as an encoder, and its export carries the fit, not the corpus.
  const model = runFiles(r.run).model;
  rmSync(path.join(model, 'base-encoder.bin'));
  writeFileSync(path.join(model, 'base-corpus.json'), JSON.stringify({ seed: 3, texts: corpus }));
  assert.deepEqual(Array.from(await embed(`run:${r.id}`, probe, dir)), Array.from(viaRun));
  const legacy = await exportModelJob({ projectDir: dir, runId: r.id, target: path.join(dir, 'export-legacy') }, { secrets: {} });
  assert.ok(!existsSync(path.join(legacy.dir, 'model', 'base-corpus.json')));
  assertNoTrainingText(legacy.dir, texts);
  assert.deepEqual(Array.from(await embed(legacy.dir, probe)), Array.from(viaRun));
});
