import * as crypto from 'node:crypto';
import type { EncodeOptions, Encoder } from '../encoder';
import type { JobOptions } from '../../util/job';
import { checkpoint } from '../../util/job';
import { createMatrix, type Matrix } from '../../util/matrix';
import { checkBuiltinOptions, defaultBuiltinOptions, type BuiltinOptions } from './options';
import { svdOfUsedColumns } from './used-columns-svd';
import { createLsaProjection, type LsaProjection } from './projection';
import { createHashSketch, type HashSketch } from './sketch';
import { fitTfidf, LONG_TEXT_MEDIAN_WORDS, transformTfidf, type TfidfModel, type TfidfViews } from './tfidf';
import type { SparseRows } from './sparse';

/** Version of the built-in encoder's method; part of its id, so caches of older versions never match. */
export const BUILTIN_METHOD_VERSION = 6;

/**
 * The hash seed of the lexical sketch: fixed, not the fit's seed. A sketch is a fixed random
 * projection like scikit-learn's HashingVectorizer; tying it to the seed only made the vectors,
 * and k-means on them, move with the seed (AG News NMI 0.495–0.556 across seeds 1, 2, 3, 7, 42).
 */
export const SKETCH_SEED = 42;

/** The fitted state of the built-in encoder: vocabulary, term weights and LSA projection. */
export interface BuiltinState {
  options: BuiltinOptions;
  tfidf: TfidfModel;
  /** features × rank, row-major: the LSA of the topic view. */
  components: Float32Array;
  singularValues: Float32Array;
  rank: number;
  /**
   * The method version whose fit made this state (default BUILTIN_METHOD_VERSION). A saved state
   * encodes with today's code whatever fitted it; its id keeps the version it was made with, so a
   * fine-tuned run's base encoder saved by an earlier version still loads and keeps its id.
   */
  methodVersion?: number;
}

/** Hash of everything that determines the output vectors. */
export function hashBuiltinState(state: BuiltinState): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ version: state.methodVersion ?? BUILTIN_METHOD_VERSION, options: state.options, wordCount: state.tfidf.wordCount, rank: state.rank }));
  h.update(state.tfidf.terms.join('\u0000'));
  const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(bytes(state.tfidf.lexicalWeight));
  h.update(bytes(state.tfidf.topicWeight));
  h.update(bytes(state.singularValues));
  h.update(bytes(state.components));
  return h.digest('hex').slice(0, 16);
}

/**
 * The built-in offline encoder. A text has two sparse views over word (1–2) and character
 * (3–5) n-grams (see TfidfModel): the topic view, projected by a randomized truncated SVD
 * (LSA) fitted on a corpus, and the lexical view, whose part outside the LSA subspace is
 * projected by a signed hashing sketch. The output is [√(1−w)·topic, √w·lexical], each part
 * L2-normalised (w = lexicalWeight; the lexical part is shorter when the residual is small,
 * see `lexicalFullResidual`), then the whole row: the topic part groups texts by subject (k-means), the
 * lexical part keeps the cosine close to a TF-IDF cosine (sentence similarity). New texts
 * are folded in with the same projections. Output vectors are L2-normalised.
 */
export class BuiltinEncoder implements Encoder {
  readonly id: string;
  readonly dimension: number;
  readonly normalized = true;
  /** Output coordinates of the topic part (LSA minus the dropped components). */
  readonly topicColumns: number;
  /** What the fit chose from its corpus (set by fitBuiltinEncoder; a loaded model says what it uses). */
  notes: string[];
  private readonly scale: Float32Array;
  private readonly sketch?: HashSketch;
  /** The fitting corpus' views (in memory only): its texts are not tokenised again. */
  private fitted?: { rows: Map<string, number>; views: TfidfViews };
  private projection?: LsaProjection;

  constructor(readonly state: BuiltinState) {
    const { options, rank } = state;
    checkBuiltinOptions(options);
    this.id = `builtin:${hashBuiltinState(state)}`;
    const drop = Math.min(options.dropComponents, rank - 1);
    this.topicColumns = rank - drop;
    const lexical = options.lexicalWeight > 0 ? options.lexicalDimension : 0;
    this.dimension = this.topicColumns + lexical;
    this.notes = [`built-in encoder: topic view weighted by ${options.topicWeighting}`];
    this.scale = new Float32Array(rank);
    for (let k = drop; k < rank; k++) {
      const s = state.singularValues[k];
      this.scale[k] = s > 0 ? Math.pow(s, -options.singularValuePower) : 0;
    }
    if (lexical > 0) {
      this.sketch = createHashSketch(state.tfidf.terms, lexical, options.lexicalHashes, SKETCH_SEED);
    }
  }

  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Matrix> {
    const out = createMatrix(texts.length, this.dimension);
    const batch = 2000;
    for (let start = 0; start < texts.length; start += batch) {
      const chunk = texts.slice(start, start + batch);
      const fitted = this.fitted;
      const known = fitted ? chunk.map((t) => fitted.rows.get(t)) : [];
      const views =
        fitted && known.every((r) => r !== undefined)
          ? { topic: pickRows(fitted.views.topic, known as number[]), lexical: pickRows(fitted.views.lexical, known as number[]) }
          : await transformTfidf(chunk, this.state.tfidf, { signal: options.signal });
      await this.project(views, out, start);
      options.onProgress?.({ stage: 'encode', done: Math.min(start + batch, texts.length), total: texts.length });
      await checkpoint(options.signal);
    }
    return out;
  }

  /**
   * The projection on the LSA components (features × rank, padded to a multiple of 4 columns) and the
   * sketch, made once; it makes the sketch of each LSA direction (to take the LSA subspace out).
   */
  private lsaProjection(): LsaProjection {
    if (!this.projection) {
      const { rank, components, tfidf } = this.state;
      const features = tfidf.terms.length;
      const width = Math.ceil(rank / 4) * 4;
      this.projection = createLsaProjection({ components, features, width, rank, sketch: this.sketch });
    }
    return this.projection;
  }

  /** Writes the output rows of the views into out from row `offset`. */
  private async project(views: TfidfViews, out: Matrix, offset: number): Promise<void> {
    const { rank, options } = this.state;
    const drop = rank - this.topicColumns;
    // Every row's LSA coordinates (topic view) and its lexical row's part outside the LSA
    // subspace, sketched: S(x − V Vᵀx) = Sx − (SV)(Vᵀx).
    const projected = await this.lsaProjection().project(views.topic, views.lexical);
    const { width, dimensionStride } = projected;
    const topic = new Float64Array(rank);
    const d = this.sketch?.dimension ?? 0;
    const lexical = new Float64Array(d);
    const topicShare = Math.sqrt(1 - (this.sketch ? options.lexicalWeight : 0));
    const lexicalShare = Math.sqrt(this.sketch ? options.lexicalWeight : 0);
    for (let i = 0; i < views.topic.rows; i++) {
      let st = 0;
      for (let k = drop; k < rank; k++) {
        topic[k] = projected.topic[i * width + k] * this.scale[k];
        st += topic[k] * topic[k];
      }
      let sl = 0;
      for (let j = 0; j < d; j++) {
        lexical[j] = projected.residual[i * dimensionStride + j];
        sl += lexical[j] * lexical[j];
      }
      const ft = st > 0 ? topicShare / Math.sqrt(st) : 0;
      // The lexical part's length: √w when the residual holds at least `lexicalFullResidual` of the
      // lexical row's norm, shorter in proportion below (a text the topic subspace explains well
      // is mostly its topic part; this matters on small corpora, where the LSA explains a lot).
      const len = sl > 0 ? lexicalShare * Math.min(1, Math.sqrt(sl) / options.lexicalFullResidual) : 0;
      const fl = sl > 0 ? len / Math.sqrt(sl) : 0;
      // A text with only one part non-zero still comes out unit-norm.
      const total = (st > 0 ? topicShare * topicShare : 0) + len * len;
      const f = total > 0 ? 1 / Math.sqrt(total) : 0;
      const o = (offset + i) * this.dimension;
      for (let k = drop; k < rank; k++) out.data[o + k - drop] = topic[k] * ft * f;
      for (let j = 0; j < d; j++) out.data[o + this.topicColumns + j] = lexical[j] * fl * f;
    }
  }

  /** Remembers the corpus' views so that encoding the corpus skips tokenisation. */
  rememberCorpus(texts: readonly string[], views: TfidfViews): void {
    const rows = new Map<string, number>();
    texts.forEach((t, i) => rows.set(t, i));
    this.fitted = { rows, views };
  }

  async dispose(): Promise<void> {
    this.fitted = undefined;
    await this.projection?.close();
    this.projection = undefined;
  }
}

/** Fits the built-in encoder on a corpus (deterministic given `seed`). */
export async function fitBuiltinEncoder(
  texts: readonly string[],
  options: Partial<BuiltinOptions> & JobOptions = {},
): Promise<BuiltinEncoder> {
  const { signal, onProgress, ...rest } = options;
  const settings: BuiltinOptions = { ...defaultBuiltinOptions, ...stripUndefined(rest) };
  checkBuiltinOptions(settings);
  if (texts.length === 0) throw new Error('the built-in encoder needs at least one text to fit on');
  const { model, views } = await fitTfidf(texts, settings, { signal, onProgress });
  if (model.terms.length === 0) throw new Error('the built-in encoder found no words in the corpus');
  // The state records the weighting used ('auto' resolved), as a saved model does.
  settings.topicWeighting = model.options.topicWeighting;
  const svd = await svdOfUsedColumns(views.topic, {
    rank: settings.topicRank,
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
  if (rest.topicWeighting === undefined || rest.topicWeighting === 'auto')
    encoder.notes = [
      `built-in encoder: topic view weighted by ${settings.topicWeighting} (auto: the median text has ${model.medianWords} word tokens; ` +
        `IDF alone from ${LONG_TEXT_MEDIAN_WORDS} on, log-entropy below)`,
    ];
  encoder.rememberCorpus(texts, views);
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
