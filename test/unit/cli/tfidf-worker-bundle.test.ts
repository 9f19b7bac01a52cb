// The bundled CLI counts TF-IDF terms on worker threads from dist/term-count-worker.js (a corpus
// past THREADS_FROM_CHARS) and finds the keywords' terms in dist/topic-terms-worker.js: the command
// works, fits the same encoder and finds the same topics as the sources in process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { THREADS_FROM_CHARS } from '../../../src/engine/encoders/builtin/term-count-threads';
import { FIXTURES, REPO_ROOT, onlyJson, runCli, spawnCli } from './helpers';

test('embedlab cluster on 2,000 AG News texts: the bundle counts terms in its worker and fits the in-process encoder', async () => {
  const file = path.join(FIXTURES, 'cluster', 'ag-news-topics-2000.jsonl');
  assert.ok(readFileSync(file, 'utf8').length > 1.5 * THREADS_FROM_CHARS, 'the corpus is counted on several threads');
  assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'term-count-worker.js')), 'the worker script is built next to dist/cli.js');
  // The keywords' terms, found on their own worker (dist/topic-terms-worker.js) while the encoder runs.
  assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'topic-terms-worker.js')), 'the topic-terms worker script is built next to dist/cli.js');
  const args = ['cluster', file, '--text', '{title}. {description}', '--label', 'label', '--algo', 'kmeans', '--k', '4', '--json'];
  const bundled = spawnCli(args);
  assert.equal(bundled.code, 0, bundled.stderr);
  const inProcess = await runCli(...args);
  assert.equal(inProcess.code, 0, inProcess.stderr);
  const a = onlyJson(bundled);
  const b = onlyJson(inProcess);
  assert.match(String(a.encoder), /^builtin:/);
  assert.equal(a.encoder, b.encoder);
  assert.deepEqual(a.topics, b.topics);
});
