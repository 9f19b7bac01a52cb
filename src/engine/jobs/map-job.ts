/**
 * The cluster map's jobs:
 * - `mapPoints`: what the map draws for a project dataset — the saved clustering's 2-d
 *   layout, clusters and c-TF-IDF topics (computed and saved first when there is none
 *   or the data changed), record ids, hover texts, labels (the data's, overridden by
 *   labels given on the map), annotation status, the records' own fields (bounded, to
 *   filter and colour by), and the clusters of other encoders (fine-tuned runs) to colour by;
 * - `neighbours`: a record's nearest records in the embedding space, from the saved kNN
 *   graph (or the vector index for more than it holds);
 * - `mapSearch`: case-insensitive substring matches plus semantic matches (the query
 *   embedded with the same encoder, searched in the vector index);
 * - `runMap`: the same map seen through a fine-tuned run's encoder (after) or its base
 *   encoder (before), for the run comparison's side-by-side maps.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { readAnnotations, annotatedRecordIds } from '../project/annotations';
import { openProject } from '../project/store';
import { effectiveLabel, standingMapLabels } from '../project/map-labels';
import { clusteringFile, listClusterings, loadClustering, recordsHash, type ClusteringMetrics, type ClusteringSettings } from '../project/cluster-cache';
import { locateProjectRun, locateTrainedProjectRun, runFiles } from '../train/runs';
import { readJson } from '../util/fs';
import { searchText } from '../search/query';
import { freshClustering } from './cluster-job';
import { shownClusterTopics, type ShownClusterTopic } from './cluster-members';
import { mapSession } from './map-session';
import { fieldColumns, type FieldColumn } from './map-fields';
import { readDataset, type DatasetEncoderParams, type EngineJobOptions } from './dataset-embeddings';
import { heldOutMask, labelMetricsOver, runHeldOut, type MetricsScope, type RunSplitConfig } from './run-held-out';

export interface MapJobParams extends DatasetEncoderParams {
  /** Used when the dataset has no saved clustering with this encoder yet. */
  settings: ClusteringSettings;
}

/** Another clustering of the same records (a run's encoder) to colour the map by. */
export interface MapLabelling {
  id: string;
  name: string;
  values: Int32Array;
  names?: string[];
}

export interface MapJobResult {
  dataset: string;
  coords: Float32Array;
  clusterLabels: Int32Array;
  /** With names (the user's or an LLM's) and coherence from topics.json, where it has them. */
  clusters: ShownClusterTopic[];
  ids: string[];
  texts: string[];
  labels?: Int32Array;
  labelNames?: string[];
  annotated: Uint8Array;
  runs?: MapLabelling[];
  /** The records' own fields (metadata) to filter and colour by; see map-fields.ts for the bounds. */
  fields: FieldColumn[];
  /** Fields left out to keep the payload bounded. */
  omittedFields: string[];
  /** How the clusters were made, e.g. "HDBSCAN (min size 10) · builtin · NMI 0.42". */
  caption: string;
  encoderId: string;
  settings: ClusteringSettings;
  metrics?: ClusteringMetrics;
  /** True when the clustering was computed by this job (not read from the cache). */
  computed: boolean;
  /** Run maps: 1 for the records the run held out of training (scope held-out). */
  heldOut?: Uint8Array;
  /** Run maps: what the caption's label metrics are measured on (run-held-out.ts). */
  metricsScope?: MetricsScope;
}

export interface NeighboursParams extends DatasetEncoderParams {
  index: number;
  k: number;
}

export interface MapNeighbour {
  index: number;
  id: string;
  text: string;
  similarity: number;
}

export interface MapSearchParams extends DatasetEncoderParams {
  query: string;
  /** Semantic matches to return (default 20). */
  k?: number;
}

export interface MapSearchResult {
  /** Records whose text contains the query (case-insensitive), in record order. */
  text: Int32Array;
  /** The records closest in meaning to the query, best first (empty for queries under 3 characters). */
  semantic: { index: number; similarity: number }[];
}

export type RunMapStage = 'before' | 'after';

export interface RunMapParams {
  projectDir: string;
  runId: string;
  /** 'after': the run's fine-tuned encoder; 'before': its base encoder. */
  stage: RunMapStage;
  /** Default: the dataset the run trained on, else the project's first dataset. */
  dataset?: string;
  settings: ClusteringSettings;
  seed?: number;
  cacheDir?: string;
  offline?: boolean;
}

/** Hover texts are shortened to this many characters. */
export const HOVER_CHARS = 300;

function shorten(text: string): string {
  return text.length > HOVER_CHARS ? text.slice(0, HOVER_CHARS - 1) + '…' : text;
}

function shortSpec(spec: string): string {
  if (spec.startsWith('run:') || spec === 'builtin' || /^https?:/.test(spec)) return spec;
  return spec.includes(path.sep) ? path.basename(spec) : spec;
}

/** "HDBSCAN (min size 10, outliers reassigned) · builtin · NMI 0.42" (then what the NMI is measured on, when said). */
export function clusteringCaption(settings: ClusteringSettings, encoderSpec: string, metrics?: ClusteringMetrics, measuredOn?: string): string {
  const how =
    settings.algo === 'hdbscan'
      ? `HDBSCAN (min size ${settings.minClusterSize ?? 'auto'}${settings.reassignOutliers ? ', outliers reassigned' : ''})`
      : `k-means (k ${settings.k ?? 'auto'})`;
  return [how, shortSpec(encoderSpec), metrics ? `NMI ${metrics.nmi.toFixed(2)}${measuredOn ? ` on ${measuredOn}` : ''}` : ''].filter(Boolean).join(' · ');
}

export async function mapPointsJob(params: MapJobParams, options: EngineJobOptions): Promise<MapJobResult> {
  const { records, clustering, computed } = await freshClustering(params, options);
  const h = clustering.header;
  const project = await openProject(params.projectDir);
  // A label given on the map (labels.jsonl) overrides the record's label from the data.
  const mapLabels = await standingMapLabels(params.projectDir, params.dataset);
  const recordLabels = records.map((r) => effectiveLabel(r, mapLabels));
  const labelNames = [...new Set(recordLabels.filter((l): l is string => l !== undefined))].sort();
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  // the latest entry per pair and annotator counts: a withdrawn or skipped pair is not annotated
  const annotatedIds = annotatedRecordIds((await readAnnotations(project.paths.annotations)).entries);
  // Clusterings of the same records with other encoders (fine-tuned runs), newest first.
  const runs: MapLabelling[] = [];
  const others = (await listClusterings(params.projectDir, params.dataset))
    .filter((o) => o.header.encoderSpec !== params.encoder && o.header.recordsHash === h.recordsHash)
    .sort((a, b) => b.header.createdAt.localeCompare(a.header.createdAt))
    .slice(0, 8);
  for (const o of others) {
    const loaded = (await loadClustering(o.file)).clustering;
    if (!loaded) continue;
    const names: string[] = [];
    for (const c of loaded.header.clusters) names[c.id] = `#${c.id} ${c.keywords.slice(0, 3).join(', ')}`;
    runs.push({ id: o.header.encoderSpec, name: shortSpec(o.header.encoderSpec), values: loaded.labels, names });
  }
  const fields = fieldColumns(records);
  return {
    dataset: params.dataset,
    coords: clustering.coords,
    clusterLabels: clustering.labels,
    clusters: await shownClusterTopics(project.paths.topics, records, clustering).catch(() => h.clusters),
    ids: records.map((r) => r.id),
    texts: records.map((r) => shorten(r.text)),
    ...(labelNames.length ? { labels: Int32Array.from(recordLabels, (l) => (l !== undefined ? labelIndex.get(l) ?? -1 : -1)), labelNames } : {}),
    annotated: Uint8Array.from(records, (r) => (annotatedIds.has(r.id) ? 1 : 0)),
    ...(runs.length ? { runs } : {}),
    fields: fields.columns,
    omittedFields: fields.omitted,
    caption: clusteringCaption(h.settings, h.encoderSpec, h.metrics),
    encoderId: h.encoderId,
    settings: h.settings,
    ...(h.metrics ? { metrics: h.metrics } : {}),
    computed,
  };
}

export async function neighboursJob(params: NeighboursParams, options: EngineJobOptions): Promise<MapNeighbour[]> {
  const { records } = await readDataset(params.projectDir, params.dataset, options);
  const n = records.length;
  if (!Number.isInteger(params.index) || params.index < 0 || params.index >= n) throw new InputError(`no record ${params.index} (the dataset has ${n})`, { field: 'index' });
  const k = Math.max(0, Math.min(params.k, n - 1));
  const saved = (await loadClustering(clusteringFile(params.projectDir, params.dataset, params.encoder))).clustering;
  let hits: { index: number; similarity: number }[];
  if (saved && saved.header.recordsHash === recordsHash(records) && k <= saved.header.knnK) {
    const kk = saved.header.knnK;
    hits = [];
    for (let t = 0; t < k; t++) {
      const j = saved.knnIds[params.index * kk + t];
      if (j >= 0) hits.push({ index: j, similarity: saved.knnSims[params.index * kk + t] });
    }
  } else {
    const session = await mapSession(params, options);
    hits = session.index.neighbours(params.index, k).map((s) => ({ index: s.index, similarity: s.score }));
  }
  return hits.map((s) => ({ ...s, id: records[s.index].id, text: records[s.index].text }));
}

export async function mapSearchJob(params: MapSearchParams, options: EngineJobOptions): Promise<MapSearchResult> {
  const q = params.query.trim();
  if (!q) return { text: new Int32Array(0), semantic: [] };
  const session = await mapSession(params, options);
  const lower = q.toLowerCase();
  const text: number[] = [];
  session.lowered.forEach((t, i) => {
    if (t.includes(lower)) text.push(i);
  });
  let semantic: MapSearchResult['semantic'] = [];
  if (q.length >= 3) {
    try {
      semantic = (await searchText(session.index, session.encoder, q, params.k ?? 20, { signal: options.signal })).map((h) => ({ index: h.index, similarity: h.score }));
    } catch (err) {
      // A query the encoder cannot represent (no known word) still has its text matches.
      if (!(err instanceof InputError)) throw err;
    }
  }
  return { text: Int32Array.from(text), semantic };
}

interface RunConfigFile extends RunSplitConfig {
  options?: RunSplitConfig['options'] & { encoder?: string; train?: { file?: string } };
}

/** The map of a run's dataset through the run's encoder (after) or its base encoder (before). */
export async function runMapJob(params: RunMapParams, options: EngineJobOptions): Promise<MapJobResult> {
  // The id comes from a webview message: an id of this project's runs only, never a path.
  const runDir = await locateProjectRun(params.projectDir, params.runId, 'config.json');
  if (!runDir) throw new InputError(`no run ${JSON.stringify(params.runId)} in ${path.join(params.projectDir, 'runs')}`, { field: 'runId' });
  const config = (await readJson<RunConfigFile>(runFiles(runDir).config)) ?? {};
  const project = await openProject(params.projectDir);
  let dataset = params.dataset;
  if (!dataset) {
    const trainFile = config.options?.train?.file;
    // The dataset file itself, or its labelled records with map labels (train-job.ts writes them to .cache/).
    const trainedOn = (d: { name: string; file: string }) =>
      !!trainFile && [path.resolve(project.dir, d.file), path.join(project.paths.cache, `train-labelled-${d.name}.jsonl`)].includes(path.resolve(trainFile));
    const trained = project.config.datasets.find(trainedOn);
    dataset = trained?.name ?? project.config.datasets[0]?.name;
  }
  if (!dataset) throw new InputError('the project has no dataset to draw the run on', { file: project.paths.projectFile, field: 'datasets' });
  let encoder: string;
  if (params.stage === 'after') {
    if (!(await locateTrainedProjectRun(params.projectDir, params.runId))) throw new InputError(`the run ${params.runId} has no trained model (it did not complete)`, { file: runDir });
    encoder = `run:${path.basename(runDir)}`;
  } else {
    encoder = config.options?.encoder ?? 'builtin';
  }
  const map = await mapPointsJob({ projectDir: params.projectDir, dataset, encoder, settings: params.settings, seed: params.seed, cacheDir: params.cacheDir, offline: params.offline }, options);
  return withRunSplit(map, config, encoder);
}

/**
 * A run's map (before or after) scored on the records that may score it: a run trained on labels
 * is measured on its held-out records only (both stages, so before and after compare the same
 * records), and the caption says what the NMI is measured on.
 */
export function withRunSplit(map: MapJobResult, config: RunSplitConfig, encoderSpec: string): MapJobResult {
  const split = runHeldOut(config);
  const mask = split.ids ? heldOutMask(map.ids, split.ids) : undefined;
  const scored = map.labels ? labelMetricsOver(map.clusterLabels, map.labels, mask) : { n: 0 };
  const on = split.scope === 'held-out' ? `${scored.n} held-out records` : split.note;
  const { metrics: _all, ...rest } = map;
  void _all;
  return {
    ...rest,
    ...(scored.metrics ? { metrics: scored.metrics } : {}),
    caption: clusteringCaption(map.settings, encoderSpec, scored.metrics, on),
    ...(mask ? { heldOut: mask } : {}),
    metricsScope: split.scope,
  };
}
