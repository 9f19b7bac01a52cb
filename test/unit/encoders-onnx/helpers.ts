import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FIX = path.join(__dirname, '../../fixtures/models');
export const TINY = path.join(FIX, 'tiny-bert-st6');

export interface TinyReference {
  texts: string[];
  max_seq_length: number;
  mean_normalized: number[][];
  mean: number[][];
  cls: number[][];
  max: number[][];
  lasttoken: number[][];
  mean_no_prompt_query: number[][];
  mean_with_prompt_query: number[][];
}

export function tinyReference(): TinyReference {
  return JSON.parse(fs.readFileSync(path.join(FIX, 'tiny-bert-reference.json'), 'utf8')) as TinyReference;
}

const madeDirs: string[] = [];

/**
 * A new temporary folder, removed when this process exits (each test file runs in a process of its
 * own): left behind, the models and runs of the test files filled the disk over a few hundred runs.
 */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (madeDirs.push(dir) === 1)
    process.on('exit', () => {
      for (const d of madeDirs)
        try {
          fs.rmSync(d, { recursive: true, force: true });
        } catch {
          // best effort: a process still writing there (a Ray head) may race the removal
        }
    });
  return dir;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * The tiny model in the classic Hub layout, with the genuine all-MiniLM-L6-v2 files and their quirks
 * (tokenizer.json truncation/padding at 128, modules.json naming a 2_Normalize folder that does not
 * exist), `model.onnx` at the root.
 */
export function classicTinyFolder(): string {
  const dir = tempDir('classic-');
  const hub = path.join(FIX, 'hub', 'all-MiniLM-L6-v2');
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'modules.json']) {
    fs.copyFileSync(path.join(hub, f), path.join(dir, f));
  }
  fs.copyFileSync(path.join(TINY, 'config.json'), path.join(dir, 'config.json'));
  fs.copyFileSync(path.join(TINY, 'onnx', 'model.onnx'), path.join(dir, 'model.onnx'));
  fs.writeFileSync(path.join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 32, do_lower_case: false }));
  fs.mkdirSync(path.join(dir, '1_Pooling'));
  const pooling = JSON.parse(fs.readFileSync(path.join(hub, '1_Pooling', 'config.json'), 'utf8'));
  pooling.word_embedding_dimension = 16;
  fs.writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify(pooling));
  return dir;
}

/** A copy of the tiny sentence-transformers-6 folder that a test may modify. */
export function copyTiny(): string {
  const dir = tempDir('tiny-');
  fs.cpSync(TINY, dir, { recursive: true });
  return dir;
}
