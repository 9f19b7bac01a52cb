import * as crypto from 'node:crypto';
import type { EncodeOptions, Encoder } from '../encoder';
import type { JobOptions } from '../../util/job';
import { checkpoint } from '../../util/job';
import { createMatrix, type Matrix } from '../../util/matrix';
import { defaultBuiltinOptions, type BuiltinOptions } from './options';
import { randomizedSvd } from './svd';
import { fitTfidf, transformTfidf, type TfidfModel } from './tfidf';
import type { SparseRows } from './sparse';

/** The fitted state of the built-in encoder: vocabulary, IDF and LSA projection. */
export interface BuiltinState {
  options: BuiltinOptions;
  tfidf: TfidfModel;
  /** features × rank, row-major. */
  components: Float32Array;
  singularValues: Float32Array;
  rank: number;
}

/** Hash of everything that determines the output vectors. */
export function hashBuiltinState(state: BuiltinState): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ options: state.options, wordCount: state.tfidf.wordCount, rank: state.rank }));
  h.update(state.tfidf.terms.join('\u0000'));
  const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(bytes(state.tfidf.idf));
  h.update(bytes(state.singularValues));
  h.update(bytes(state.components));
  return h.digest('hex').slice(0, 16);
}

/**
 * The built-in offline encoder: TF-IDF over word (1–2) and character (3–5) n-grams, with
 * sublinear tf, projected by a randomized truncated SVD (LSA) fitted on a corpus. New texts
 * are folded in with the same projection. Output vectors are L2-normalised.
 */
export class BuiltinEncoder implements Encoder {
  readonly id: string;
  readonly dimension: number;
  readonly normalized = true;
  private readonly scale: Float32Array;
  /** The fitting corpus' TF-IDF rows (in memory only): its texts are not tokenised again. */
  private fitted?: { rows: Map<string, number>; x: SparseRows };

  constructor(readonly state: BuiltinState) {
    this.id = `builtin:${hashBuiltinState(state)}`;
    const drop = Math.min(state.options.dropComponents, state.rank - 1);
    this.dimension = state.rank - drop;
    this.scale = new Float32Array(state.rank);
    for (let k = drop; k < state.rank; k++) {
      const s = state.singularValues[k];
      this.scale[k] = s > 0 ? Math.pow(s, -state.options.singularValuePower) : 0;
    }
  }

  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Matrix> {
    const out = createMatrix(texts.length, this.dimension);
    const batch = 2000;
    for (let start = 0; start < texts.length; start += batch) {
      const chunk = texts.slice(start, start + batch);
      const fitted = this.fitted;
      const known = fitted ? chunk.map((t) => fitted.rows.get(t)) : [];
      if (fitted && known.every((r) => r !== undefined)) this.project(pickRows(fitted.x, known as number[]), out, start);
      else this.project(transformTfidf(chunk, this.state.tfidf), out, start);
      options.onProgress?.({ stage: 'encode', done: Math.min(start + batch, texts.length), total: texts.length });
      await checkpoint(options.signal);
    }
    return out;
  }

  /** Writes the projected, scaled, L2-normalised rows of x into out from row `offset`. */
  private project(x: SparseRows, out: Matrix, offset: number): void {
    const { rank, components } = this.state;
    const drop = rank - this.dimension;
    const acc = new Float64Array(rank);
    for (let i = 0; i < x.rows; i++) {
      acc.fill(0);
      for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
        const v = x.values[p];
        const oc = x.indices[p] * rank;
        for (let k = 0; k < rank; k++) acc[k] += v * components[oc + k];
      }
      let s = 0;
      for (let k = drop; k < rank; k++) {
        acc[k] *= this.scale[k];
        s += acc[k] * acc[k];
      }
      const f = s > 0 ? 1 / Math.sqrt(s) : 0;
      const o = (offset + i) * this.dimension;
      for (let k = drop; k < rank; k++) out.data[o + k - drop] = acc[k] * f;
    }
  }

  /** Remembers the corpus' TF-IDF rows so that encoding the corpus skips tokenisation. */
  rememberCorpus(texts: readonly string[], x: SparseRows): void {
    const rows = new Map<string, number>();
    texts.forEach((t, i) => rows.set(t, i));
    this.fitted = { rows, x };
  }

  async dispose(): Promise<void> {
    this.fitted = undefined;
  }
}

/** Fits the built-in encoder on a corpus (deterministic given `seed`). */
export async function fitBuiltinEncoder(
  texts: readonly string[],
  options: Partial<BuiltinOptions> & JobOptions = {},
): Promise<BuiltinEncoder> {
  const { signal, onProgress, ...rest } = options;
  const settings: BuiltinOptions = { ...defaultBuiltinOptions, ...stripUndefined(rest) };
  if (texts.length === 0) throw new Error('the built-in encoder needs at least one text to fit on');
  const { model, x } = await fitTfidf(texts, settings, { signal, onProgress });
  if (model.terms.length === 0) throw new Error('the built-in encoder found no words in the corpus');
  const svd = await randomizedSvd(x, {
    rank: settings.dimension,
    seed: settings.seed,
    powerIterations: settings.powerIterations,
    signal,
    onProgress,
  });
  const encoder = new BuiltinEncoder({
    options: settings,
    tfidf: model,
    components: svd.components,
    singularValues: svd.singularValues,
    rank: svd.rank,
  });
  encoder.rememberCorpus(texts, x);
  return encoder;
}

/** The given rows of a sparse matrix, as a new sparse matrix. */
function pickRows(x: SparseRows, rows: readonly number[]): SparseRows {
  const indptr = new Int32Array(rows.length + 1);
  for (let k = 0; k < rows.length; k++) indptr[k + 1] = indptr[k] + x.indptr[rows[k] + 1] - x.indptr[rows[k]];
  const indices = new Int32Array(indptr[rows.length]);
  const values = new Float32Array(indptr[rows.length]);
  for (let k = 0; k < rows.length; k++) {
    indices.set(x.indices.subarray(x.indptr[rows[k]], x.indptr[rows[k] + 1]), indptr[k]);
    values.set(x.values.subarray(x.indptr[rows[k]], x.indptr[rows[k] + 1]), indptr[k]);
  }
  return { rows: rows.length, cols: x.cols, indptr, indices, values };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
