/**
 * Test support for training: a small deterministic bag-of-words encoder "toy:<dim>" (given to
 * the code under test through `toyContext`, ahead of the registry's providers), and synthetic data files whose similarity depends on "topic" words while
 * "noise" words blur the raw cosine, so a trained head has something to learn.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encoderProviders } from '../../../src/engine/encoders/registry';
import type { EncoderContext, EncoderProvider } from '../../../src/engine/encoders/provider';
import type { Encoder } from '../../../src/engine/encoders/encoder';
import { createRng, type Rng } from '../../../src/engine/util/random';

function hashWord(w: string): number {
  let h = 2166136261;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function toyEncoder(dim: number): Encoder {
  return {
    id: `toy:${dim}`,
    dimension: dim,
    normalized: false,
    async encode(texts) {
      const data = new Float32Array(texts.length * dim);
      texts.forEach((t, i) => {
        for (const w of t.toLowerCase().split(/\W+/).filter(Boolean)) {
          const h = hashWord(w);
          data[i * dim + (h % dim)] += h & 0x80000000 ? -1 : 1;
        }
      });
      return { rows: texts.length, cols: dim, data };
    },
    dispose: async () => undefined,
  };
}

export const toyProvider: EncoderProvider = {
  kind: 'toy',
  describe: 'toy:<dim> (tests)',
  matches: (s) => /^toy:\d+$/.test(s),
  create: async (s) => toyEncoder(Number(s.slice(4))),
};

/** An encoder context that knows "toy:<dim>" besides every registered encoder. */
export const toyContext: EncoderContext = { providers: [toyProvider, ...encoderProviders] };

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'embedlab-train-'));
}

const TOPICS = 6;
function topicText(rng: Rng, topic: number, topicWords: number): string {
  const words: string[] = [];
  for (let k = 0; k < topicWords; k++) words.push(`t${topic}w${Math.floor(rng() * 3)}`);
  for (let k = 0; k < 5; k++) words.push(`noise${Math.floor(rng() * 12)}`);
  return words.join(' ');
}

/** Scored pairs: score = 1 for the same topic, else 0, with noise words shared at random. */
export function writeScoredPairs(file: string, n: number, seed: number): void {
  const rng = createRng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rng() * TOPICS);
    const same = rng() < 0.5;
    const b = same ? a : (a + 1 + Math.floor(rng() * (TOPICS - 1))) % TOPICS;
    const score = same ? 0.75 + 0.25 * rng() : 0.25 * rng();
    lines.push(JSON.stringify({ text1: topicText(rng, a, 2) + ` id${i}`, text2: topicText(rng, b, 2) + ` jd${i}`, score: Math.round(score * 100) / 100 }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** Labelled records: label = topic. */
export function writeLabelled(file: string, n: number, seed: number): void {
  const rng = createRng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rng() * TOPICS);
    lines.push(JSON.stringify({ id: `r${i}`, text: topicText(rng, t, 1) + ` u${i}`, label: `topic${t}` }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** (anchor, positive) pairs from the same topic. */
export function writePairs(file: string, n: number, seed: number): void {
  const rng = createRng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rng() * TOPICS);
    lines.push(JSON.stringify({ title: topicText(rng, t, 2) + ` a${i}`, summary: topicText(rng, t, 2) + ` b${i}` }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}
