/**
 * The fit of a corpus-fitted base encoder (the built-in one) kept in a head run's model/ folder:
 * vocabulary, term weights, SVD components and seeds, which is all that encoding new texts needs.
 * Runs of earlier versions kept the whole corpus instead (`base-corpus.json`); they still load,
 * and an export replaces that file with the fit (see exportModelJob), so an exported model holds
 * no record of the training data.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Encoder } from '../encoders/encoder';
import { BuiltinEncoder } from '../encoders/builtin/encoder';
import { loadBuiltinEncoder, saveBuiltinEncoder } from '../encoders/builtin/model-file';
import { readJson } from '../util/fs';

export const BASE_ENCODER_FILE = 'base-encoder.bin';

/** The corpus file of runs made before the fit was kept (the full texts; never exported). */
export const LEGACY_BASE_CORPUS_FILE = 'base-corpus.json';

export async function saveBaseEncoder(modelDir: string, encoder: Encoder): Promise<void> {
  if (!(encoder instanceof BuiltinEncoder)) throw new Error(`a corpus-fitted base encoder must be the built-in one, got ${encoder.id}`);
  await saveBuiltinEncoder(encoder, path.join(modelDir, BASE_ENCODER_FILE));
}

/** The base encoder kept in `modelDir`, or undefined when the run has none (a base that is not corpus-fitted, or an older run). */
export async function loadBaseEncoder(modelDir: string): Promise<Encoder | undefined> {
  const file = path.join(modelDir, BASE_ENCODER_FILE);
  return existsSync(file) ? loadBuiltinEncoder(file) : undefined;
}

/** The corpus and seed an older run kept for its built-in base encoder. */
export async function loadBaseCorpus(modelDir: string): Promise<{ seed: number; texts: string[] } | undefined> {
  return readJson<{ seed: number; texts: string[] }>(path.join(modelDir, LEGACY_BASE_CORPUS_FILE));
}
