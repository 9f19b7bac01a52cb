import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { REPO, readFolder, startFakeHub, tempCache } from './fake-hub';

const FIX = path.join(__dirname, '../../fixtures/models');

interface Reference {
  texts: string[];
  mean_normalized: number[][];
}

test('a Hub id resolves to a working ONNX encoder whose vectors match sentence-transformers', async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'tiny-bert-reference.json'), 'utf8')) as Reference;
  const hub = await startFakeHub(readFolder(path.join(FIX, 'tiny-bert-st6')));
  const prev = process.env.HF_ENDPOINT;
  process.env.HF_ENDPOINT = hub.endpoint;
  try {
    const cacheDir = tempCache();
    const enc = await resolveEncoder(`hf:${REPO}`, { cacheDir });
    try {
      // model.safetensors is not downloaded
      assert.ok(!hub.requests.some((r) => r.url.includes('safetensors')));
      const texts = ref.texts.slice(0, 4);
      const m = await enc.encode(texts);
      assert.equal(m.cols, ref.mean_normalized[0].length);
      let worst = 0;
      texts.forEach((_, r) => ref.mean_normalized[r].forEach((v, c) => (worst = Math.max(worst, Math.abs(m.data[r * m.cols + c] - v)))));
      assert.ok(worst < 1e-4, `max abs diff ${worst}`);
    } finally {
      await enc.dispose();
    }
  } finally {
    if (prev === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = prev;
    await hub.close();
  }
});
