import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getCachedEmbeddings, decodeEmbeddingCache, textHash } from '../../../src/engine/project/embedding-cache';
import { createProject } from '../../../src/engine/project/store';
import { createMatrix, type Matrix } from '../../../src/engine/util/matrix';
import type { Encoder, EncodeOptions } from '../../../src/engine/encoders/encoder';

/** A tiny deterministic encoder that counts the texts it is asked to embed. */
class CountingEncoder implements Encoder {
  readonly dimension = 3;
  readonly normalized = false;
  calls: string[][] = [];
  constructor(readonly id = 'test:counting') {}
  get embedded(): number {
    return this.calls.reduce((s, c) => s + c.length, 0);
  }
  async encode(texts: readonly string[], _options?: EncodeOptions): Promise<Matrix> {
    this.calls.push([...texts]);
    const m = createMatrix(texts.length, 3);
    texts.forEach((t, i) => m.data.set([t.length, t.charCodeAt(0) || 0, this.id.length], i * 3));
    return m;
  }
  async dispose(): Promise<void> {}
}
const expected = (t: string, id = 'test:counting') => [t.length, t.charCodeAt(0) || 0, id.length];
const rows = (m: Matrix) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

test('the second call embeds 0 texts; new texts only are embedded; duplicates once', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-cache-'));
  await createProject(dir);
  const enc = new CountingEncoder();
  const texts = ['Bonjour', 'Hello', 'Bonjour', 'Ça va ?'];
  const first = await getCachedEmbeddings(dir, enc, texts);
  assert.equal(first.embedded, 3);
  assert.equal(first.hits, 0);
  assert.deepEqual(rows(first.matrix), texts.map((t) => expected(t)));
  const second = await getCachedEmbeddings(dir, enc, texts);
  assert.equal(second.embedded, 0);
  assert.equal(second.hits, 3);
  assert.equal(enc.embedded, 3);
  assert.deepEqual(rows(second.matrix), rows(first.matrix));
  const third = await getCachedEmbeddings(dir, enc, ['Hello', 'Nouveau texte']);
  assert.equal(third.embedded, 1);
  assert.deepEqual(enc.calls[1], ['Nouveau texte']);
  assert.deepEqual(rows(third.matrix), [expected('Hello'), expected('Nouveau texte')]);
  // the file: magic, JSON header with encoder id, dim, count and per-row hashes
  const files = readdirSync(path.join(dir, '.cache', 'embeddings'));
  assert.equal(files.length, 1);
  const bytes = readFileSync(path.join(dir, '.cache', 'embeddings', files[0]));
  assert.equal(bytes.toString('latin1', 0, 4), 'ELEC');
  const cache = decodeEmbeddingCache(bytes);
  assert.equal(cache.header.encoder, 'test:counting');
  assert.equal(cache.header.dim, 3);
  assert.equal(cache.header.count, 4);
  assert.deepEqual(cache.header.hashes, ['Bonjour', 'Hello', 'Ça va ?', 'Nouveau texte'].map(textHash));
});

test('caches are keyed by encoder id and role', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-cache-'));
  const a = new CountingEncoder('enc:a');
  const b = new CountingEncoder('enc:b');
  await getCachedEmbeddings(dir, a, ['x', 'y']);
  const rb = await getCachedEmbeddings(dir, b, ['x', 'y']);
  assert.equal(rb.embedded, 2);
  assert.deepEqual(rows(rb.matrix), [expected('x', 'enc:b'), expected('y', 'enc:b')]);
  assert.equal((await getCachedEmbeddings(dir, a, ['x'], { role: 'query' })).embedded, 1);
  assert.equal((await getCachedEmbeddings(dir, a, ['x', 'y'])).embedded, 0);
});

test('a damaged cache file is reported and rebuilt', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-cache-'));
  const enc = new CountingEncoder();
  const r = await getCachedEmbeddings(dir, enc, ['un', 'deux']);
  writeFileSync(r.file, readFileSync(r.file).subarray(0, 30));
  const again = await getCachedEmbeddings(dir, enc, ['un', 'deux']);
  assert.equal(again.embedded, 2);
  assert.match(again.problem ?? '', /rebuilt/);
  assert.deepEqual(rows(again.matrix), [expected('un'), expected('deux')]);
  assert.equal((await getCachedEmbeddings(dir, enc, ['un', 'deux'])).embedded, 0);
});
