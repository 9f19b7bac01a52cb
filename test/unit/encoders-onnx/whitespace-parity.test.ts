/**
 * Parity with sentence-transformers on texts whose whitespace matters to the tokenizer: no-break
 * spaces (U+00A0, U+202F), tabs, newlines, doubled and leading/trailing spaces, for WordPiece,
 * byte-level BPE and Unigram. References from make-whitespace-fixtures.py.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextTokenizer } from '../../../src/engine/encoders/tokenizer/text-tokenizer';
import { createOnnxEncoder } from '../../../src/engine/encoders/onnx/onnx-encoder';
import { bertConfigFromHf } from '../../../src/engine/onnx/bert-config';
import { bertWeightsFromTensors } from '../../../src/engine/onnx/bert-weights';
import { writeBertOnnx } from '../../../src/engine/onnx/bert-graph';
import { readSafetensors } from '../../../src/engine/onnx/safetensors';
import { parseArgs } from '../../../src/cli/args';
import { embedCommand } from '../../../src/cli/commands/embed';
import { readNpy } from '../../../src/engine/encoders/vector-file';
import { FIX, maxAbsDiff, tempDir } from './helpers';

interface WhitespaceReference {
  texts: string[];
  token_ids: Record<string, number[][]>;
  records: Record<string, string>[];
  templates: string[];
  models: Record<string, { tokenizer: string; texts: number[][]; rendered: Record<string, number[][]> }>;
}

const REF = JSON.parse(fs.readFileSync(path.join(FIX, 'whitespace-reference.json'), 'utf8')) as WhitespaceReference;

/** A runnable folder: the tiny model's files, the genuine Hub tokenizer, and onnx/model.onnx from our graph writer. */
function modelFolder(name: string): string {
  const { tokenizer } = REF.models[name];
  const dir = tempDir(`ws-${name}-`);
  fs.cpSync(path.join(FIX, name), dir, { recursive: true });
  for (const f of ['tokenizer.json', 'special_tokens_map.json']) fs.copyFileSync(path.join(FIX, 'hub', tokenizer, f), path.join(dir, f));
  if (!fs.existsSync(path.join(dir, 'onnx', 'model.onnx'))) {
    const config = bertConfigFromHf(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
    const file = path.join(dir, 'model.safetensors');
    writeBertOnnx(config, bertWeightsFromTensors(config, readSafetensors(file), file), path.join(dir, 'onnx', 'model.onnx'), {
      tokenTypeIds: config.modelType === 'bert',
    });
  }
  return dir;
}

test('the texts cover every whitespace case', () => {
  const all = REF.texts.join('|');
  for (const ch of ['\u00a0', '\u202f', '\t', '\n', '  ']) assert.ok(all.includes(ch), JSON.stringify(ch));
  assert.ok(REF.texts.some((t) => t.startsWith(' ') && t.endsWith(' ')));
});

for (const name of ['all-MiniLM-L6-v2', 'all-distilroberta-v1', 'sentence-camembert-base']) {
  test(`${name}: token ids of whitespace-rich texts as sentence-transformers' tokenizer (Rust tokenizers under transformers 5) gives them`, () => {
    const tok = TextTokenizer.fromFolder(path.join(FIX, 'hub', name));
    REF.texts.forEach((text, i) => assert.deepEqual(tok.encode(text), REF.token_ids[name][i], `text ${i}: ${JSON.stringify(text)}`));
  });
}

for (const name of ['tiny-bert-st6', 'tiny-bpe', 'tiny-unigram']) {
  test(`${name} (${REF.models[name].tokenizer}): whitespace-rich texts embed as SentenceTransformer.encode within 1e-5`, async () => {
    const enc = await createOnnxEncoder(modelFolder(name));
    try {
      const y = await enc.encode(REF.texts);
      REF.texts.forEach((text, i) => {
        const d = maxAbsDiff(y.data.subarray(i * y.cols, (i + 1) * y.cols), REF.models[name].texts[i]);
        assert.ok(d < 1e-5, `text ${i} ${JSON.stringify(text)}: max diff ${d}`);
      });
    } finally {
      await enc.dispose();
    }
  });
}

test('a JSONL record goes through the template and the embed command to the vector sentence-transformers gives the same values', async () => {
  const dir = tempDir('ws-embed-');
  const input = path.join(dir, 'records.jsonl');
  fs.writeFileSync(input, REF.records.map((r, i) => JSON.stringify({ id: `r${i}`, ...r })).join('\n') + '\n');
  for (const name of ['tiny-bert-st6', 'tiny-bpe', 'tiny-unigram']) {
    const folder = modelFolder(name);
    for (const template of REF.templates) {
      const out = path.join(dir, `${name}-${REF.templates.indexOf(template)}.npy`);
      const code = await embedCommand.run({
        args: parseArgs([input, '--text', template, '--encoder', folder, '--out', out], embedCommand.options),
        log: () => undefined,
        stdout: () => undefined,
        signal: new AbortController().signal,
      });
      assert.equal(code, 0);
      const m = readNpy(out);
      const expected = REF.models[name].rendered[template];
      assert.equal(m.rows, expected.length);
      const d = maxAbsDiff(m.data, expected.flat());
      assert.ok(d < 1e-5, `${name}, template ${template}: max diff ${d}`);
    }
  }
});
