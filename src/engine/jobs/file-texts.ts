/**
 * What the jobs on a data file share: reading its texts by a template (skipped rows are
 * reported as a progress warning and returned), and resolving the encoder with the job's
 * secrets and providers to embed them.
 */
import { describeCutTexts, loadTexts, type LoadedTexts } from '../data/load-texts';
import { resolveEncoder } from '../encoders/resolve';
import type { Encoder, TextRole } from '../encoders/encoder';
import type { EncoderContext } from '../encoders/provider';
import type { Matrix } from '../util/matrix';
import { DEFAULT_ENCODER, DEFAULT_SEED, FILE_TEXT_DEFAULTS } from '../defaults';
import type { JobContext } from './job-context';

/** A data file and how to read texts from it. */
export interface FileTextsParams {
  file: string;
  /** The text template, e.g. "{title}. {description}". */
  template: string;
}

/** The encoder of a job: a spec for `resolveEncoder`, and where run:<id> and saved models are looked up. */
export interface EncoderParams {
  /** Default "builtin". */
  encoder?: string;
  /** The project folder for run:<id> encoders and saved built-in models. */
  projectDir?: string;
  /** Default 42. */
  seed?: number;
  cacheDir?: string;
  offline?: boolean;
}

/** What a file job does with the texts, as the note on cut texts says it: "for clustering". */
export type FileTextsPurpose = 'clustering' | 'embedding' | 'search' | 'evaluation';

/** Texts read for a job that does not keep them: `cutNote` says how many were cut, when any was. */
export interface FileTexts extends LoadedTexts {
  cutNote?: string;
}

/**
 * Reads the texts (and labels, with `label`), each field cut to FILE_TEXT_DEFAULTS.maxFieldChars
 * (these jobs only embed the texts; a cut is reported as a warning and in `cutNote`); the rows
 * it skipped are reported as a warning.
 */
export async function loadFileTexts(
  params: FileTextsParams,
  ctx: JobContext,
  options: { purpose: FileTextsPurpose; label?: string; keepEmpty?: boolean },
): Promise<FileTexts> {
  const loaded: FileTexts = await loadTexts(params.file, {
    template: params.template,
    label: options.label,
    keepEmpty: options.keepEmpty,
    maxFieldChars: FILE_TEXT_DEFAULTS.maxFieldChars,
    signal: ctx.signal,
  });
  if (loaded.skipped.length) {
    const first = loaded.skipped[0];
    ctx.onProgress?.({ stage: 'warning', done: loaded.skipped.length, total: loaded.skipped.length, message: `skipped ${loaded.skipped.length} rows (first: line ${first.line}: ${first.reason})` });
  }
  if (loaded.cutTexts) {
    loaded.cutNote = describeCutTexts(loaded.cutTexts, options.purpose);
    ctx.onProgress?.({ stage: 'warning', done: loaded.cutTexts.count, total: loaded.texts.length, message: loaded.cutNote });
  }
  return loaded;
}

/** What `resolveEncoder` gets: the corpus (for the built-in encoder), the job's secrets, providers, signal and progress. */
export function encoderContextOf(params: EncoderParams, ctx: JobContext, corpus: readonly string[]): EncoderContext {
  return {
    corpus,
    seed: params.seed ?? DEFAULT_SEED,
    projectDir: params.projectDir,
    ...(params.cacheDir !== undefined ? { cacheDir: params.cacheDir } : {}),
    ...(params.offline !== undefined ? { offline: params.offline } : {}),
    signal: ctx.signal,
    onProgress: ctx.onProgress,
    hfToken: ctx.secrets.hfToken,
    apiKey: ctx.secrets.apiKey,
    providers: ctx.encoderProviders,
  };
}

/** Resolves the encoder for these texts, embeds them, hands the vectors and the encoder to `use`, and disposes of the encoder however `use` ends. */
export async function withEmbeddedTexts<T>(
  params: EncoderParams,
  ctx: JobContext,
  texts: readonly string[],
  options: { role?: TextRole; ids?: readonly string[] },
  use: (vectors: Matrix, encoder: Encoder) => Promise<T> | T,
): Promise<T> {
  const encoder = await resolveEncoder(params.encoder ?? DEFAULT_ENCODER, encoderContextOf(params, ctx, texts));
  try {
    const vectors = await encoder.encode(texts, { role: options.role, ids: options.ids, signal: ctx.signal, onProgress: ctx.onProgress });
    return await use(vectors, encoder);
  } finally {
    await encoder.dispose();
  }
}
