import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createOnnxEncoder } from '../../../src/engine/encoders/onnx/onnx-encoder';
import type { PoolingMode } from '../../../src/engine/encoders/onnx/model-folder';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { isCancelledError, type Progress } from '../../../src/engine/util/job';
import { classicTinyFolder, copyTiny, maxAbsDiff, tempDir, TINY, tinyReference } from './helpers';

const REF = tinyReference();

test('sentence-transformers 6 folder: embeddings equal sentence-transformers within 1e-5 (mean + Normalize)', async () => {
  const enc = await createOnnxEncoder(TINY, { batchSize: 4 });
  try {
    assert.equal(enc.dimension, 16);
    assert.equal(enc.normalized, true);
    assert.match(enc.id, /^onnx:tiny-bert-st6@[0-9a-f]{12}\./);
    const m = await enc.encode(REF.texts);
    assert.equal(m.rows, REF.texts.length);
    const diff = maxAbsDiff(m.data, REF.mean_normalized.flat());
    assert.ok(diff < 1e-5, `max diff ${diff}`);
  } finally {
    await enc.dispose();
  }
});

test('classic Hub layout with genuine MiniLM quirks gives the same embeddings', async () => {
  const enc = await createOnnxEncoder(classicTinyFolder(), { batchSize: 3 });
  try {
    assert.equal(enc.folder.layout, 'classic');
    assert.equal(enc.normalized, true, 'modules.json names 2_Normalize, which does not exist');
    const diff = maxAbsDiff((await enc.encode(REF.texts)).data, REF.mean_normalized.flat());
    assert.ok(diff < 1e-5, `max diff ${diff}`);
  } finally {
    await enc.dispose();
  }
});

for (const mode of ['mean', 'cls', 'max', 'lasttoken'] as const) {
  test(`pooling "${mode}" equals sentence-transformers' Pooling`, async () => {
    const enc = await createOnnxEncoder(TINY, { batchSize: 3, normalize: false, pooling: { modes: [mode], includePrompt: true } });
    try {
      const diff = maxAbsDiff((await enc.encode(REF.texts)).data, REF[mode].flat());
      assert.ok(diff < 1e-5, `max diff ${diff}`);
    } finally {
      await enc.dispose();
    }
  });
}

test('query prompts (e5 style), with and without include_prompt, as sentence-transformers', async () => {
  for (const [key, includePrompt] of [
    ['mean_with_prompt_query', true],
    ['mean_no_prompt_query', false],
  ] as const) {
    const enc = await createOnnxEncoder(TINY, {
      normalize: false,
      pooling: { modes: ['mean'], includePrompt },
      prompts: { query: 'query: ' },
    });
    try {
      const m = await enc.encode(REF.texts.slice(0, 6), { role: 'query' });
      const diff = maxAbsDiff(m.data, REF[key].flat());
      assert.ok(diff < 1e-5, `${key}: max diff ${diff}`);
      assert.equal(enc.promptFor('passage'), '');
    } finally {
      await enc.dispose();
    }
  }
});

test('pooling by hand: mean, max, cls, last token over a known hidden state', async () => {
  const { poolInto } = await import('../../../src/engine/encoders/onnx/pooling');
  // batch 2, sequence 3, hidden 2; text 0 has 3 tokens, text 1 has 2 (+1 padding)
  const data = Float32Array.from([1, 2, 3, -4, 5, 0, /**/ 7, 8, -1, 2, 99, 99]);
  const t = { data, batch: 2, sequence: 3, hidden: 2 };
  const modes: PoolingMode[] = ['cls', 'max', 'mean', 'lasttoken'];
  const out = new Float32Array(2 * 8);
  poolInto(t, [3, 2], [0, 0], modes, out, [1, 0], 8);
  assert.deepEqual([...out.subarray(8, 16)], [1, 2, 5, 2, 3, -2 / 3, 5, 0].map((v) => Math.fround(v)));
  assert.deepEqual([...out.subarray(0, 8)], [7, 8, 7, 8, 3, 5, -1, 2]);
});

test("padding invariance: a text's embedding does not depend on its batch (within 1e-5)", async () => {
  const enc = await createOnnxEncoder(TINY, { batchSize: 64, maxBatchTokens: Infinity, smartBatching: false });
  try {
    assert.equal(enc.planBatches(REF.texts).length, 1);
    const together = await enc.encode(REF.texts);
    for (let i = 0; i < REF.texts.length; i++) {
      const alone = await enc.encode([REF.texts[i]]);
      const diff = maxAbsDiff(alone.data, together.data.subarray(i * 16, (i + 1) * 16));
      assert.ok(diff < 1e-5, `text ${i}: ${diff}`);
    }
    const sorted = await createOnnxEncoder(TINY, { batchSize: 2 });
    const diff = maxAbsDiff((await sorted.encode(REF.texts)).data, together.data);
    await sorted.dispose();
    assert.ok(diff < 1e-5, `smart batching order: ${diff}`);
    // Batches cut by padded tokens: at most twice the longest text's tokens, so the long texts pair up
    // and the short ones fill bigger batches.
    const longest = Math.max(...enc.tokenize(REF.texts).map((t) => t.length));
    const bounded = await createOnnxEncoder(TINY, { batchSize: 64, maxBatchTokens: 2 * longest });
    const sizes = bounded.planBatches(REF.texts).map((b) => b.indices.length);
    assert.ok(sizes[0] === 2 && Math.max(...sizes) > 2, `token-bounded batch sizes ${sizes}`);
    const boundedDiff = maxAbsDiff((await bounded.encode(REF.texts)).data, together.data);
    await bounded.dispose();
    assert.ok(boundedDiff < 1e-5, `token-bounded batches: ${boundedDiff}`);
  } finally {
    await enc.dispose();
  }
});

test('progress is reported and cancellation stops between batches', async () => {
  const enc = await createOnnxEncoder(TINY, { batchSize: 2 });
  try {
    const seen: Progress[] = [];
    await enc.encode(REF.texts, { onProgress: (p) => seen.push(p) });
    const last = seen.filter((p) => p.stage === 'encode').pop();
    assert.deepEqual(last && [last.done, last.total], [REF.texts.length, REF.texts.length]);

    const ac = new AbortController();
    await assert.rejects(
      enc.encode(REF.texts, {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.stage === 'encode') ac.abort(); // once tokenized, before the first batch runs
        },
      }),
      (e: unknown) => isCancelledError(e),
    );
  } finally {
    await enc.dispose();
  }
});

test('resolveEncoder takes a local folder, <folder>#<variant> and an .onnx path', async () => {
  const dir = copyTiny();
  fs.copyFileSync(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
  for (const [spec, file] of [
    [dir, 'model.onnx'],
    [`${dir}#quantized`, 'model_quantized.onnx'],
    [path.join(dir, 'onnx', 'model_quantized.onnx'), 'model_quantized.onnx'],
  ]) {
    const enc = await resolveEncoder(spec);
    try {
      assert.equal(path.basename((enc as { folder?: { onnxFile: string } }).folder!.onnxFile), file);
      assert.equal(enc.dimension, 16);
    } finally {
      await enc.dispose();
    }
  }
});

test('a folder with model.safetensors but no ONNX runs through our generated graph (cached), matching sentence-transformers', async () => {
  const dir = copyTiny();
  fs.rmSync(path.join(dir, 'onnx'), { recursive: true });
  await assert.rejects(createOnnxEncoder(dir), /missing file/);
  const cache = tempDir('conv-');
  const enc = await createOnnxEncoder(dir, { conversionCacheDir: cache });
  try {
    assert.ok(enc.folder.onnxFile.startsWith(cache));
    const diff = maxAbsDiff((await enc.encode(REF.texts)).data, REF.mean_normalized.flat());
    assert.ok(diff < 1e-5, `max diff ${diff}`);
  } finally {
    await enc.dispose();
  }
});

test('intra-op threads: one per logical core, EMBEDLAB_ORT_THREADS overrides', async () => {
  const { defaultThreads } = await import('../../../src/engine/encoders/onnx/ort-session');
  const os = await import('node:os');
  const prev = process.env.EMBEDLAB_ORT_THREADS;
  try {
    delete process.env.EMBEDLAB_ORT_THREADS;
    assert.equal(defaultThreads(), os.availableParallelism());
    process.env.EMBEDLAB_ORT_THREADS = '3';
    assert.equal(defaultThreads(), 3);
    process.env.EMBEDLAB_ORT_THREADS = 'many';
    assert.equal(defaultThreads(), os.availableParallelism());
  } finally {
    if (prev === undefined) delete process.env.EMBEDLAB_ORT_THREADS;
    else process.env.EMBEDLAB_ORT_THREADS = prev;
  }
});

test('smart batching orders texts by token count, not by character length', async () => {
  const enc = await createOnnxEncoder(TINY, { batchSize: 1 });
  try {
    // A known word repeated is many characters but few tokens; single letters are a token each.
    const texts = ['hello hello hello hello', 'a b c d e f g', 'information'];
    const tokens = enc.tokenize(texts).map((t) => t.length);
    const byChars = [...texts.keys()].sort((a, b) => texts[b].length - texts[a].length);
    const byTokens = [...texts.keys()].sort((a, b) => tokens[b] - tokens[a] || a - b);
    assert.notDeepEqual(byChars, byTokens, `the fixture must separate the two orders (tokens ${tokens})`);
    assert.deepEqual(enc.planBatches(texts).map((b) => b.indices[0]), byTokens);
  } finally {
    await enc.dispose();
  }
});
