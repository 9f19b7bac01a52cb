/**
 * The `suggestPairs` job: pairs to annotate from a project dataset, by strategy, leaving
 * out pairs the annotator already scored or skipped. Embeddings come from the project's
 * embedding cache; "cluster-border" uses the dataset's saved clustering (the clusters
 * the map shows) when it matches the data, else clusters with k-means first. With
 * `candidates` (a selection on the map) both records of every pair come from it.
 */
import type { JobContext } from './job-context';
import { suggestPairs, type SuggestStrategy } from '../annotate/suggest-pairs';
import { openProject, findDataset, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { readAnnotations, currentAnnotations } from '../project/annotations';
import { getCachedEmbeddings } from '../project/embedding-cache';
import { clusteringFile, loadClustering, recordsHash } from '../project/cluster-cache';
import { resolveEncoder } from '../encoders/resolve';
import { compileTemplate } from '../data/template';
import { normalizeRows } from '../util/matrix';
import { kmeans } from '../cluster/kmeans';

export interface SuggestJobParams {
  projectDir: string;
  dataset: string;
  encoder: string;
  strategy: SuggestStrategy;
  count: number;
  annotator?: string;
  seed?: number;
  cacheDir?: string;
  /** Record ids of the dataset to draw pairs from (a selection on the map); default: all. */
  candidates?: string[];
  /**
   * A second encoder (the active loop's latest run, "run:<id>"): "uncertain" then prefers the
   * pairs it and `encoder` disagree on most, and those it is least sure of.
   */
  secondEncoder?: string;
}

export interface SuggestedRecordPair {
  id1: string;
  id2: string;
  similarity: number;
  /** Cosine similarity under `secondEncoder`, when given. */
  similarity2?: number;
  strategy: SuggestStrategy;
  /** The records' fields to show (template fields first, then the text). */
  left: { name: string; value: string }[];
  right: { name: string; value: string }[];
  /** The records' labels and other fields, shown on request next to the texts. */
  leftDetails: RecordDetails;
  rightDetails: RecordDetails;
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
  const first = await embed(params.encoder);
  const encoderId = first.id;
  const embeddings = first.matrix;
  const cached: SuggestOutcome['cached'] = first.cached;
  const second = params.secondEncoder ? (await embed(params.secondEncoder)).matrix : undefined;
  const log = await readAnnotations(project.paths.annotations);
  const exclude = currentAnnotations(log.entries, { annotator: params.annotator }).seen;
  let clusters: Int32Array | undefined;
  if (params.strategy === 'cluster-border') {
    const saved = (await loadClustering(clusteringFile(params.projectDir, params.dataset, params.encoder))).clustering;
    if (saved && saved.header.recordsHash === recordsHash(records)) clusters = saved.labels;
  }
  if (params.strategy === 'cluster-border' && !clusters) {
    const k = Math.max(2, Math.min(20, Math.round(Math.sqrt(records.length / 2))));
    clusters = (await kmeans(embeddings, { k, seed: params.seed, signal: options.signal })).labels;
  }
  const pairs = await suggestPairs({
    embeddings,
    ids: records.map((r) => r.id),
    strategy: params.strategy,
    count: params.count,
    seed: params.seed,
    exclude,
    clusters,
    ...(second ? { second } : {}),
    ...(params.candidates ? { candidates: params.candidates } : {}),
    signal: options.signal,
  });
  let templateFields: string[] = [];
  try {
    templateFields = compileTemplate(dataset.template).fields;
  } catch {
    /* fall back to the text */
  }
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
  }));
  return { encoderId, cached, pairs: suggested, texts: pairTexts };
}
