/**
 * The full-mode runs behind the sentence-transformers round-trip fixture
 * (test/fixtures/train/full-roundtrip.json, made by make-full-references.py): a few
 * deterministic steps of MNR on 16 pairs, from the genuine tiny BERT and from a tiny random
 * RoBERTa, without dropout and without evaluation, so the exported model is the final one.
 * The unit test reruns them and compares its exports with what Python computed.
 */
import * as path from 'node:path';
import { train, type TrainResult } from '../../../src/engine/train/trainer';
import { TINY_BERT, writePairsFile, writeTinyModel } from './full-helpers';

export const ROUNDTRIP_SETTINGS = { loss: 'mnr', epochs: 4, batchSize: 8, lr: 5e-4, seed: 3, dropout: 0, evalFraction: 0, backend: 'wasm' } as const;

export const ROUNDTRIP_TEXTS = [
  'the story of the apple, part 0',
  'a short note about a rocket',
  'Le gouvernement annonce une réforme.',
  'I love it 😀 so much!!!',
  'Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers are seeing green again.',
];

export async function trainRoundtripRuns(root: string): Promise<{ bert: TrainResult; roberta: TrainResult }> {
  const pairs = writePairsFile(path.join(root, 'pairs.jsonl'));
  const robertaBase = path.join(root, 'tiny-roberta-base');
  writeTinyModel(robertaBase, { kind: 'roberta', hidden: 32, layers: 2, seed: 11 });
  const run = (encoder: string, runId: string) =>
    train({ ...ROUNDTRIP_SETTINGS, mode: 'full', root, runId, encoder, train: { file: pairs } });
  return { bert: await run(TINY_BERT, 'roundtrip-bert'), roberta: await run(robertaBase, 'roundtrip-roberta') };
}
