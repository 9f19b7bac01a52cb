import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { looksLikeHubSpec, parseHubSpec } from '../../../src/engine/encoders/hub/hub-spec';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { encoderProviders } from '../../../src/engine/encoders/registry';
import type { EncoderProvider } from '../../../src/engine/encoders/provider';
import type { Encoder } from '../../../src/engine/encoders/encoder';
import { createMatrix } from '../../../src/engine/util/matrix';
import { REPO, SHA, startFakeHub, tempCache } from './fake-hub';

test('Hub specs: ids, hf: prefix, revision and ONNX file', () => {
  assert.deepEqual(parseHubSpec('sentence-transformers/all-MiniLM-L6-v2'), { repoId: 'sentence-transformers/all-MiniLM-L6-v2', revision: 'main', onnxFile: undefined });
  assert.deepEqual(parseHubSpec('hf:intfloat/multilingual-e5-small@v1.0'), { repoId: 'intfloat/multilingual-e5-small', revision: 'v1.0', onnxFile: undefined });
  assert.deepEqual(parseHubSpec('org/name@refs/pr/3#qint8_avx512'), { repoId: 'org/name', revision: 'refs/pr/3', onnxFile: 'onnx/model_qint8_avx512.onnx' });
  assert.equal(parseHubSpec('org/name#model.onnx').onnxFile, 'model.onnx');
  assert.throws(() => parseHubSpec('a/b/c'), /not a Hugging Face model id/);
  assert.throws(() => parseHubSpec('org/name@'), /bad revision/);
});

test('Hub specs do not claim builtin, run:, URLs or existing local paths', () => {
  assert.equal(looksLikeHubSpec('org/name'), true);
  assert.equal(looksLikeHubSpec('hf:bert-base-uncased'), true);
  for (const s of ['builtin', 'run:abc', 'http://localhost:8080', 'https://x/y', './models/x', '/abs/path', 'test/unit', 'single', 'a/b/c']) {
    assert.equal(looksLikeHubSpec(s), false, s);
  }
});

test('the registry routes a Hub id to the download, then to the local ONNX folder provider', async () => {
  const hub = await startFakeHub();
  const prevEndpoint = process.env.HF_ENDPOINT;
  process.env.HF_ENDPOINT = hub.endpoint;
  const seen: string[] = [];
  const cacheDir = tempCache();
  // A stand-in for the local folder provider, which the Hub provider hands the downloaded folder to.
  const stub: EncoderProvider = {
    kind: 'onnx-folder',
    describe: 'stub',
    matches: (spec) => spec.startsWith(cacheDir),
    create: async (spec): Promise<Encoder> => {
      seen.push(spec);
      return { id: `stub:${spec}`, dimension: 2, normalized: false, encode: async (t) => createMatrix(t.length, 2), dispose: async () => undefined };
    },
  };
  const providers = [stub, ...encoderProviders];
  try {
    const enc = await resolveEncoder(`${REPO}#qint8_avx512`, { cacheDir, providers });
    assert.deepEqual(seen, [path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'snapshots', SHA, 'onnx', 'model_qint8_avx512.onnx')]);
    await enc.dispose();
  } finally {
    if (prevEndpoint === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = prevEndpoint;
    await hub.close();
  }
});
