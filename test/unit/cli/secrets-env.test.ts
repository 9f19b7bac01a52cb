// One module reads secrets from the environment (engine/env.ts): every command hands the encoder
// the same token and key, whichever of the aliases is set (train read only HF_TOKEN, and no
// EMBEDLAB_API_KEY fallback to OPENAI_API_KEY; annotations suggest no HUGGING_FACE_HUB_TOKEN).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EncoderProvider } from '../../../src/engine/encoders/provider';
import { encoderProviders } from '../../../src/engine/encoders/registry';
import { secretsFromEnv } from '../../../src/engine/env';
import { toyEncoder } from '../train/helpers';
import { newsRecords, runCli, runCliWith, tempDir } from './helpers';

test('secretsFromEnv: HF_TOKEN else HUGGING_FACE_HUB_TOKEN; EMBEDLAB_API_KEY else OPENAI_API_KEY; EMBEDLAB_LLM_API_KEY else OPENAI_API_KEY; empty values are unset', () => {
  assert.deepEqual(secretsFromEnv({ HUGGING_FACE_HUB_TOKEN: 'hf2', OPENAI_API_KEY: 'k2' }), { hfToken: 'hf2', apiKey: 'k2', llmApiKey: 'k2' });
  assert.deepEqual(secretsFromEnv({ HF_TOKEN: 'hf1', HUGGING_FACE_HUB_TOKEN: 'hf2', EMBEDLAB_API_KEY: 'k1', OPENAI_API_KEY: 'k2' }), { hfToken: 'hf1', apiKey: 'k1', llmApiKey: 'k2' });
  assert.deepEqual(secretsFromEnv({ EMBEDLAB_API_KEY: 'k1', EMBEDLAB_LLM_API_KEY: 'l1' }), { apiKey: 'k1', llmApiKey: 'l1' }, 'the embeddings key is never sent to the chat endpoint');
  assert.deepEqual(secretsFromEnv({ HF_TOKEN: '', EMBEDLAB_API_KEY: '', EMBEDLAB_LLM_API_KEY: '' }), {});
});

test('every command that resolves an encoder gets the secrets of the environment, aliases included', async () => {
  const seen: { spec: string; hfToken?: string; apiKey?: string }[] = [];
  const recording: EncoderProvider = {
    kind: 'recording',
    describe: 'rec:<dim> (tests)',
    matches: (s) => /^rec:\d+$/.test(s),
    create: async (s, context) => {
      seen.push({ spec: s, hfToken: context.hfToken, apiKey: context.apiKey });
      return toyEncoder(Number(s.slice(4)));
    },
  };
  const providers = [recording, ...encoderProviders];
  const dir = tempDir('embedlab-secrets-');
  const news = path.join(dir, 'news.jsonl');
  fs.writeFileSync(news, newsRecords(24).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const pairs = path.join(dir, 'pairs.jsonl');
  fs.writeFileSync(pairs, Array.from({ length: 40 }, (_, i) => JSON.stringify({ text1: `t${i % 6}w1 noise${i}`, text2: `t${(i + i % 2) % 6}w2 noise${i + 3}`, score: (i % 2) * 0.8 + (i % 5) / 20 })).join('\n') + '\n');
  const project = path.join(dir, 'p');
  assert.equal((await runCli('init', project)).code, 0);
  assert.equal((await runCli('import', news, '--project', project, '--name', 'news', '--text', '{title}', '--label', 'label')).code, 0);

  const saved = { HF_TOKEN: process.env.HF_TOKEN, HUGGING_FACE_HUB_TOKEN: process.env.HUGGING_FACE_HUB_TOKEN, EMBEDLAB_API_KEY: process.env.EMBEDLAB_API_KEY, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
  delete process.env.HF_TOKEN;
  delete process.env.EMBEDLAB_API_KEY;
  process.env.HUGGING_FACE_HUB_TOKEN = 'hf-from-env';
  process.env.OPENAI_API_KEY = 'key-from-env';
  try {
    const invocations: string[][] = [
      ['embed', news, '--text', '{title}', '--out', path.join(dir, 'v.npy')],
      ['cluster', news, '--text', '{title}', '--algo', 'kmeans', '--k', '2'],
      ['search', news, '--text', '{title}', '--query', 'oil', '--k', '2'],
      ['eval-sts', pairs],
      ['eval-topk', news, '--text', '{title}', '--label', 'label', '--k', '3'],
      ['annotations', 'suggest', '--project', project, '--dataset', 'news', '--count', '2'],
      ['train', '--eval-only', '--eval', pairs, '--loss', 'cosine', '--out', dir],
      ['train', '--train', pairs, '--loss', 'cosine', '--out', dir, '--batch-size', '4', '--max-steps', '1', '--backend', 'cpu'],
    ];
    for (const argv of invocations) {
      seen.length = 0;
      const r = await runCliWith({ encoderProviders: providers }, ...argv, '--encoder', 'rec:8', '--json');
      assert.equal(r.code, 0, `${argv.slice(0, 2).join(' ')}: ${r.stderr}`);
      assert.ok(seen.length > 0, `${argv[0]} resolved the encoder`);
      for (const s of seen) assert.deepEqual({ hfToken: s.hfToken, apiKey: s.apiKey }, { hfToken: 'hf-from-env', apiKey: 'key-from-env' }, argv.slice(0, 2).join(' '));
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
