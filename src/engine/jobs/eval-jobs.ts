/**
 * The evaluation jobs on data files: `evalSts` (`embedlab eval-sts`: Spearman and Pearson of
 * the cosine similarity of text pairs against their 0–1 scores) and `evalTopk` (`embedlab
 * eval-topk`: the share of each record's k nearest neighbours that carry its label).
 */
import { readRecords } from '../data/read-records';
import { resolveEncoder } from '../encoders/resolve';
import { InputError } from '../util/errors';
import { scoredPairCorrelations, topkSameLabel, undefinedCorrelationReason } from '../metrics';
import { fieldNumber } from '../data/field-values';
import { DEFAULT_ENCODER, EVAL_TOPK_DEFAULTS } from '../defaults';
import type { JobContext } from './job-context';
import { encoderContextOf, loadFileTexts, withEmbeddedTexts, type EncoderParams, type FileTextsParams } from './file-texts';

export interface EvalStsParams extends EncoderParams {
  /** Records with text1, text2 and score (0–1). */
  file: string;
}

export interface EvalStsResult {
  spearman: number;
  pearson: number;
  n: number;
  encoder: string;
  seconds: number;
}

interface ScoredPair {
  text1: string;
  text2: string;
  score: number;
}

/** Reads `text1`, `text2`, `score` (0–1) records; any bad pair is an error naming its line. */
async function readPairs(file: string, signal: AbortSignal | undefined): Promise<ScoredPair[]> {
  const pairs: ScoredPair[] = [];
  for await (const rec of readRecords(file, {
    signal,
    onSkip: (s) => {
      throw new InputError(s.reason, { file, line: s.line });
    },
  })) {
    for (const field of ['text1', 'text2'] as const) {
      const v = rec.fields[field];
      if (typeof v !== 'string' || v.trim() === '') throw new InputError('missing or empty text', { file, line: rec.line, field });
    }
    const score = fieldNumber(rec.fields.score, { file, line: rec.line, field: 'score' });
    if (score < 0 || score > 1) throw new InputError(`score ${score} is outside 0–1`, { file, line: rec.line, field: 'score' });
    pairs.push({ text1: String(rec.fields.text1), text2: String(rec.fields.text2), score });
  }
  if (pairs.length < 2) throw new InputError(`needs at least 2 scored pairs, found ${pairs.length}`, { file });
  return pairs;
}

function cosine(a: { cols: number; data: Float32Array }, b: { cols: number; data: Float32Array }, i: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.cols; j++) {
    const x = a.data[i * a.cols + j];
    const y = b.data[i * b.cols + j];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

export async function evalStsJob(params: EvalStsParams, ctx: JobContext): Promise<EvalStsResult> {
  const { file } = params;
  const started = performance.now();
  const pairs = await readPairs(file, ctx.signal);
  const texts1 = pairs.map((p) => p.text1);
  const texts2 = pairs.map((p) => p.text2);
  const encoder = await resolveEncoder(params.encoder ?? DEFAULT_ENCODER, encoderContextOf(params, ctx, [...texts1, ...texts2]));
  try {
    const a = await encoder.encode(texts1, { signal: ctx.signal, onProgress: ctx.onProgress });
    const b = await encoder.encode(texts2, { signal: ctx.signal, onProgress: ctx.onProgress });
    const sims = new Float64Array(pairs.length);
    for (let i = 0; i < pairs.length; i++) sims[i] = cosine(a, b, i);
    const gold = pairs.map((p) => p.score);
    const why = undefinedCorrelationReason(sims, gold);
    if (why) throw new InputError(`Spearman and Pearson are undefined: ${why}`, { file });
    const { spearman, pearson } = scoredPairCorrelations(sims, gold);
    return {
      spearman: Number(spearman.toFixed(6)),
      pearson: Number(pearson.toFixed(6)),
      n: pairs.length,
      encoder: encoder.id,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    };
  } finally {
    await encoder.dispose();
  }
}

export interface EvalTopkParams extends FileTextsParams, EncoderParams {
  label: string;
  /** Neighbours per record (default 25; at most n − 1 are used). */
  k?: number;
  /** Score this many random records (default: all). */
  sample?: number;
}

export interface EvalTopkResult {
  topk: number;
  k: number;
  n: number;
  sampled: number;
  encoder: string;
  skipped: number;
  seconds: number;
}

export async function evalTopkJob(params: EvalTopkParams, ctx: JobContext): Promise<EvalTopkResult> {
  const k = params.k ?? EVAL_TOPK_DEFAULTS.k;
  if (!Number.isInteger(k) || k < 1) throw new InputError(`k must be a positive integer, got ${k}`, { field: 'k' });
  const { sample } = params;
  if (sample !== undefined && (!Number.isInteger(sample) || sample < 1)) throw new InputError('the sample must be a positive integer', { field: 'sample' });
  const started = performance.now();
  const loaded = await loadFileTexts(params, ctx, { purpose: 'evaluation', label: params.label });
  if (loaded.texts.length < 2) throw new InputError(`needs at least 2 records, found ${loaded.texts.length}`, { file: params.file });
  return withEmbeddedTexts(params, ctx, loaded.texts, {}, (x, encoder) => {
    const effectiveK = Math.min(k, loaded.texts.length - 1);
    const topk = topkSameLabel(x, loaded.labels!, { k: effectiveK, sample, seed: params.seed });
    return {
      topk: Number(topk.toFixed(6)),
      k: effectiveK,
      n: loaded.texts.length,
      sampled: sample !== undefined ? Math.min(sample, loaded.texts.length) : loaded.texts.length,
      encoder: encoder.id,
      skipped: loaded.skipped.length,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    };
  });
}
