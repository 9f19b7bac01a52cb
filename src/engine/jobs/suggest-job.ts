/**
 * The `suggestPairs` job: pairs to annotate from a project dataset, by strategy, leaving
 * out pairs the annotator already scored or skipped. Embeddings come from the project's
 * embedding cache; "cluster-border" uses the dataset's saved clustering (the clusters
 * the map shows) when it matches the data, else clusters with k-means first. With
 * `candidates` (a selection on the map) both records of every pair come from it.
 */
import type { JobContext } from './job-context';
import { suggestPairs, type SuggestStrategy } from '../annotate/suggest-pairs';
import { disagreementQueue } from '../annotate/disagreements';
import type { Project } from '../project/store';
import type { DatasetEntry } from '../project/schema';
import type { DatasetRecord } from '../project/dataset-file';
import { ANNOTATE_DEFAULTS } from '../defaults';
import { openProject, findDataset, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { readAnnotations, currentAnnotations, pairKey } from '../project/annotations';
import { prescoresPath, readPrescores, standingPrescores } from '../project/prescores';
import type { SuggestedPair } from '../annotate/suggest-pairs';
import { getCachedEmbeddings } from '../project/embedding-cache';
import { clusteringFile, loadClustering, recordsHash } from '../project/cluster-cache';
import { resolveEncoder } from '../encoders/resolve';
import { compileTemplate } from '../data/template';
import { normalizeRows } from '../util/matrix';
import { kmeans } from '../cluster/kmeans';

/** The embedding strategies, and the disagreement queue (pairs from the annotation log). */
export type PairQueueStrategy = SuggestStrategy | 'disagreement';

export interface SuggestJobParams {
  projectDir: string;
  dataset: string;
  encoder: string;
  strategy: PairQueueStrategy;
  /** The disagreement queue: pairs whose scores differ by more than this (default ANNOTATE_DEFAULTS). */
  disagreementThreshold?: number;
  count: number;
  annotator?: string;
  seed?: number;
  cacheDir?: string;
  /** Record ids of the dataset to draw pairs from (a selection on the map); default: all. */
  candidates?: string[];
  /**
   * Serve pairs a language model pre-scored (prescores.jsonl) and this annotator has not seen
   * first, so pre-scores meet human scores (default true).
   */
  withPrescored?: boolean;
  /** Include each pre-scored pair's model score and reason (shown as a hint only when the user asks). */
  prescoreHints?: boolean;
  /**
   * A second encoder (the active loop's latest run, "run:<id>"): "uncertain" then prefers the
   * pairs it and `encoder` disagree on most, and those it is least sure of.
   */
  secondEncoder?: string;
}

export interface SuggestedRecordPair {
  id1: string;
  id2: string;
  /** Cosine similarity under the encoder (absent in the disagreement queue, which embeds nothing). */
  similarity?: number;
  /** Cosine similarity under `secondEncoder`, when given. */
  similarity2?: number;
  strategy: PairQueueStrategy;
  /** The disagreement queue: every annotator's standing score, their mean and spread. */
  agreement?: { scores: Array<{ annotator: string; score: number }>; mean: number; spread: number };
  /** The disagreement queue: this annotator's standing score. */
  previous?: number;
  /** The records' fields to show (template fields first, then the text). */
  left: { name: string; value: string }[];
  right: { name: string; value: string }[];
  /** The records' labels and other fields, shown on request next to the texts. */
  leftDetails: RecordDetails;
  rightDetails: RecordDetails;
  /** A language model pre-scored this pair; its score and reason only with `prescoreHints`. */
  prescored?: boolean;
  prescore?: PrescoreHint;
}

/** A language model's pre-score of a pair, as a hint for the annotator. */
export interface PrescoreHint {
  score: number;
  reason?: string;
  model: string;
}

export interface RecordDetails {
  label?: string;
  metadata: { name: string; value: string }[];
}

const MAX_METADATA_FIELDS = 40;
const MAX_METADATA_CHARS = 500;

/** The label and the fields the template does not show, as short strings. */
export function detailsOf(record: { label?: string; fields: Record<string, unknown> }, templateFields: readonly string[]): RecordDetails {
  const shown = new Set(templateFields);
  const metadata: { name: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(record.fields)) {
    if (shown.has(name) || raw === undefined || raw === null || metadata.length >= MAX_METADATA_FIELDS) continue;
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (value.trim() === '') continue;
    metadata.push({ name, value: value.length > MAX_METADATA_CHARS ? `${value.slice(0, MAX_METADATA_CHARS)}…` : value });
  }
  return { ...(record.label !== undefined ? { label: record.label } : {}), metadata };
}

function fieldsOf(record: { text: string; fields: Record<string, unknown> }, templateFields: string[]): { name: string; value: string }[] {
  const out = templateFields
    .filter((f) => record.fields[f] !== undefined && record.fields[f] !== null && String(record.fields[f]).trim() !== '')
    .map((f) => ({ name: f, value: String(record.fields[f]) }));
  return out.length ? out : [{ name: 'text', value: record.text }];
}

/** What `suggestRecordPairs` found: the pairs, plus what the CLI prints beside them. */
export interface SuggestOutcome {
  /** The encoder's id (the spec resolved: "builtin" → its model id). */
  encoderId: string;
  /** Distinct texts found in the embedding cache, and embedded now. */
  cached: { hits: number; embedded: number };
  pairs: SuggestedRecordPair[];
  /** The full text of every record a pair names, by id. */
  texts: Record<string, string>;
}

/** The `suggestPairs` job: the pairs only. */
export async function suggestJob(params: SuggestJobParams, options: JobContext): Promise<SuggestedRecordPair[]> {
  return (await suggestRecordPairs(params, options)).pairs;
}

/** Suggests pairs (see the file comment); the CLI's `annotations suggest` calls this. */
export async function suggestRecordPairs(params: SuggestJobParams, options: JobContext): Promise<SuggestOutcome> {
  const project = await openProject(params.projectDir);
  const dataset = findDataset(project, params.dataset);
  const records = await readDatasetFile(datasetPath(project, dataset), options);
  if (params.strategy === 'disagreement') return disagreementRecordPairs(params, project, dataset, records);
  const strategy: SuggestStrategy = params.strategy;
  const texts = records.map((r) => r.text);
  const embed = async (spec: string) => {
    const encoder = await resolveEncoder(spec, {
      corpus: texts,
      projectDir: params.projectDir,
      cacheDir: params.cacheDir,
      seed: params.seed,
      hfToken: options.secrets.hfToken,
      apiKey: options.secrets.apiKey,
      providers: options.encoderProviders,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    try {
      const out = await getCachedEmbeddings(params.projectDir, encoder, texts, { signal: options.signal, onProgress: options.onProgress });
      return { id: encoder.id, matrix: normalizeRows(out.matrix), cached: { hits: out.hits, embedded: out.embedded } };
    } finally {
      await encoder.dispose();
    }
  };
  const base = await embed(params.encoder);
  const encoderId = base.id;
  const embeddings = base.matrix;
  const cached: SuggestOutcome['cached'] = base.cached;
  const second = params.secondEncoder ? (await embed(params.secondEncoder)).matrix : undefined;
  const log = await readAnnotations(project.paths.annotations);
  const exclude = currentAnnotations(log.entries, { annotator: params.annotator }).seen;
  let clusters: Int32Array | undefined;
  if (strategy === 'cluster-border') {
    const saved = (await loadClustering(clusteringFile(params.projectDir, params.dataset, params.encoder))).clustering;
    if (saved && saved.header.recordsHash === recordsHash(records)) clusters = saved.labels;
  }
  if (strategy === 'cluster-border' && !clusters) {
    const k = Math.max(2, Math.min(20, Math.round(Math.sqrt(records.length / 2))));
    clusters = (await kmeans(embeddings, { k, seed: params.seed, signal: options.signal })).labels;
  }
  const ids = records.map((r) => r.id);
  const first = params.withPrescored === false ? [] : await prescoredPairs(project.dir, ids, embeddings, exclude, params, strategy, params.count);
  for (const p of first) exclude.add(pairKey(p.id1, p.id2));
  const rest = first.length >= params.count ? [] : await suggestPairs({
    embeddings,
    ids,
    strategy,
    count: params.count - first.length,
    seed: params.seed,
    exclude,
    clusters,
    ...(second ? { second } : {}),
    ...(params.candidates ? { candidates: params.candidates } : {}),
    signal: options.signal,
  });
  const pairs: Array<SuggestedPair & { prescore?: PrescoreHint }> = [...first, ...rest];
  const templateFields = templateFieldsOf(dataset);
  const pairTexts: Record<string, string> = {};
  for (const p of pairs) {
    pairTexts[p.id1] = records[p.i].text;
    pairTexts[p.id2] = records[p.j].text;
  }
  const suggested = pairs.map((p) => ({
    id1: p.id1,
    id2: p.id2,
    similarity: p.similarity,
    ...(p.similarity2 !== undefined ? { similarity2: p.similarity2 } : {}),
    strategy: p.strategy,
    left: fieldsOf(records[p.i], templateFields),
    right: fieldsOf(records[p.j], templateFields),
    leftDetails: detailsOf(records[p.i], templateFields),
    rightDetails: detailsOf(records[p.j], templateFields),
    ...(p.prescore ? { prescored: true, ...(params.prescoreHints ? { prescore: p.prescore } : {}) } : {}),
  }));
  return { encoderId, cached, pairs: suggested, texts: pairTexts };
}

function templateFieldsOf(dataset: DatasetEntry): string[] {
  try {
    return compileTemplate(dataset.template).fields;
  } catch {
    return []; // fall back to the text
  }
}

/**
 * The disagreement queue of the annotation log (`annotate/disagreements.ts`), both records in
 * the dataset (and in `candidates`, when given), widest disagreement first; nothing is embedded.
 */
async function disagreementRecordPairs(params: SuggestJobParams, project: Project, dataset: DatasetEntry, records: DatasetRecord[]): Promise<SuggestOutcome> {
  const index = new Map(records.map((r, i) => [r.id, i]));
  const ids = new Set(params.candidates ?? index.keys());
  const log = await readAnnotations(project.paths.annotations);
  const queue = disagreementQueue(log.entries, {
    annotator: params.annotator ?? '',
    threshold: params.disagreementThreshold ?? ANNOTATE_DEFAULTS.disagreementThreshold,
    ids,
  }).slice(0, params.count);
  const templateFields = templateFieldsOf(dataset);
  const texts: Record<string, string> = {};
  const pairs = queue.map((q): SuggestedRecordPair => {
    const a = records[index.get(q.id1)!];
    const b = records[index.get(q.id2)!];
    texts[q.id1] = a.text;
    texts[q.id2] = b.text;
    return {
      id1: q.id1,
      id2: q.id2,
      strategy: 'disagreement',
      agreement: { scores: q.scores, mean: q.mean, spread: q.spread },
      ...(q.mine !== undefined ? { previous: q.mine } : {}),
      left: fieldsOf(a, templateFields),
      right: fieldsOf(b, templateFields),
      leftDetails: detailsOf(a, templateFields),
      rightDetails: detailsOf(b, templateFields),
    };
  });
  return { encoderId: '', cached: { hits: 0, embedded: 0 }, pairs, texts };
}

/**
 * The pairs of this dataset that a language model pre-scored and the annotator has not seen (nor
 * excluded otherwise), in log order, at most `count`; inside the selection when there is one.
 */
async function prescoredPairs(
  projectDir: string,
  ids: readonly string[],
  embeddings: { data: Float32Array; cols: number },
  exclude: ReadonlySet<string>,
  params: SuggestJobParams,
  strategy: SuggestStrategy,
  count: number,
): Promise<Array<SuggestedPair & { prescore: PrescoreHint }>> {
  const standing = standingPrescores((await readPrescores(prescoresPath(projectDir))).entries);
  if (standing.size === 0) return [];
  const index = new Map(ids.map((id, i) => [id, i]));
  const allowed = params.candidates ? new Set(params.candidates) : undefined;
  const out: Array<SuggestedPair & { prescore: PrescoreHint }> = [];
  for (const [key, e] of standing) {
    if (out.length >= count) break;
    const i = index.get(e.id1);
    const j = index.get(e.id2);
    if (i === undefined || j === undefined || exclude.has(key) || e.score === null) continue;
    if (allowed && !(allowed.has(e.id1) && allowed.has(e.id2))) continue;
    let dot = 0;
    const d = embeddings.cols;
    for (let c = 0; c < d; c++) dot += embeddings.data[i * d + c] * embeddings.data[j * d + c];
    out.push({
      id1: e.id1,
      id2: e.id2,
      i,
      j,
      similarity: dot,
      strategy,
      prescore: { score: e.score, ...(e.reason ? { reason: e.reason } : {}), model: e.model },
    });
  }
  return out;
}
