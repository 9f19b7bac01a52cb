/**
 * The `mapPoints` job: what the cluster map shows for a project dataset — a 2D UMAP
 * layout (from the exact kNN graph), k-means clusters with their most frequent words,
 * record ids, hover texts and labels — and the `neighbours` job (nearest records of one
 * record in the embedding space). Embeddings come from the project's embedding cache.
 * (A stand-in until the clustering pipeline with HDBSCAN and c-TF-IDF topics lands.)
 */
import type { JobOptions } from '../util/job';
import type { Matrix } from '../util/matrix';
import type { JobSecrets } from './protocol';

export interface MapJobParams {
  projectDir: string;
  dataset: string;
  encoder: string;
  seed?: number;
  cacheDir?: string;
  /** Clusters for k-means; default about sqrt(n / 2), between 2 and 30. */
  k?: number;
}

export interface MapJobResult {
  dataset: string;
  coords: Float32Array;
  clusterLabels: Int32Array;
  clusters: { id: number; size: number; keywords: string[] }[];
  ids: string[];
  texts: string[];
  labels?: Int32Array;
  labelNames?: string[];
  annotated: Uint8Array;
}

export interface NeighboursParams {
  projectDir: string;
  dataset: string;
  encoder: string;
  index: number;
  k: number;
  cacheDir?: string;
  seed?: number;
}

const STOP = new Set(
  ('a an and are as at be but by for from has have he her his in is it its of on or that the their they this to was were will with ' +
    'after about over new said says say than up out into not no more after also who been would could two one first year years ' +
    'le la les de des du un une et en est pour que qui dans sur par au aux avec ce ces se sa son pas plus ne il elle ils sont été').split(/\s+/),
);

/** The most frequent content words of each cluster (a simple stand-in for c-TF-IDF). */
function clusterKeywords(texts: readonly string[], labels: Int32Array, k: number, top = 6): string[][] {
  const counts = Array.from({ length: k }, () => new Map<string, number>());
  const docFreq = new Map<string, number>();
  texts.forEach((t, i) => {
    const words = new Set(t.toLowerCase().match(/\p{L}[\p{L}'-]{2,}/gu) ?? []);
    for (const w of words) {
      if (STOP.has(w)) continue;
      docFreq.set(w, (docFreq.get(w) ?? 0) + 1);
      const c = counts[labels[i]];
      if (c) c.set(w, (c.get(w) ?? 0) + 1);
    }
  });
  const n = texts.length;
  return counts.map((c) =>
    [...c.entries()]
      .map(([w, f]) => [w, f * Math.log(1 + n / (docFreq.get(w) ?? 1))] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([w]) => w),
  );
}

async function projectEmbeddings(params: { projectDir: string; dataset: string; encoder: string; cacheDir?: string; seed?: number }, options: JobOptions & { secrets: JobSecrets }) {
  const { openProject, findDataset, datasetPath, readDatasetFile, getCachedEmbeddings } = await import('../project/index');
  const { resolveEncoder } = await import('../encoders/resolve');
  const { normalizeRows } = await import('../util/matrix');
  const project = await openProject(params.projectDir);
  const records = await readDatasetFile(datasetPath(project, findDataset(project, params.dataset)), options);
  const texts = records.map((r) => r.text);
  const encoder = await resolveEncoder(params.encoder, {
    corpus: texts,
    projectDir: params.projectDir,
    cacheDir: params.cacheDir,
    seed: params.seed,
    hfToken: options.secrets.hfToken,
    apiKey: options.secrets.apiKey,
    signal: options.signal,
  });
  try {
    const out = await getCachedEmbeddings(params.projectDir, encoder, texts, { signal: options.signal, onProgress: options.onProgress });
    return { project, records, embeddings: normalizeRows(out.matrix) as Matrix };
  } finally {
    await encoder.dispose();
  }
}

export async function mapJob(params: MapJobParams, options: JobOptions & { secrets: JobSecrets }): Promise<MapJobResult> {
  const { project, records, embeddings } = await projectEmbeddings(params, options);
  const { exactKnn } = await import('../cluster/knn');
  const { umapLayout } = await import('../cluster/umap');
  const { kmeans } = await import('../cluster/kmeans');
  const { readAnnotations } = await import('../project/annotations');
  const seed = params.seed ?? 42;
  const n = records.length;
  const k = Math.max(2, Math.min(30, params.k ?? Math.round(Math.sqrt(n / 2))));
  const knn = await exactKnn(embeddings, Math.min(15, n - 1), { metric: 'cosine', signal: options.signal, onProgress: options.onProgress });
  const layout = await umapLayout(knn, { nComponents: 2, seed, signal: options.signal, onProgress: options.onProgress });
  const clustered = await kmeans(embeddings, { k, seed, signal: options.signal });
  const keywords = clusterKeywords(records.map((r) => r.text), clustered.labels, k);
  const sizes = new Array<number>(k).fill(0);
  for (const l of clustered.labels) sizes[l]++;
  const labelNames = [...new Set(records.map((r) => r.label).filter((l): l is string => l !== undefined))].sort();
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  const annotatedIds = new Set<string>();
  for (const e of (await readAnnotations(project.paths.annotations)).entries) {
    annotatedIds.add(e.id1);
    annotatedIds.add(e.id2);
  }
  return {
    dataset: params.dataset,
    coords: layout.data,
    clusterLabels: clustered.labels,
    clusters: sizes.map((size, id) => ({ id, size, keywords: keywords[id] })),
    ids: records.map((r) => r.id),
    texts: records.map((r) => (r.text.length > 300 ? r.text.slice(0, 297) + '…' : r.text)),
    ...(labelNames.length ? { labels: Int32Array.from(records, (r) => (r.label !== undefined ? labelIndex.get(r.label) ?? -1 : -1)), labelNames } : {}),
    annotated: Uint8Array.from(records, (r) => (annotatedIds.has(r.id) ? 1 : 0)),
  };
}

export async function neighboursJob(params: NeighboursParams, options: JobOptions & { secrets: JobSecrets }): Promise<{ index: number; id: string; text: string; similarity: number }[]> {
  const { records, embeddings } = await projectEmbeddings(params, options);
  const { row, dot } = await import('../util/matrix');
  if (params.index < 0 || params.index >= records.length) return [];
  const q = row(embeddings, params.index);
  const scored: { index: number; similarity: number }[] = [];
  for (let i = 0; i < embeddings.rows; i++) if (i !== params.index) scored.push({ index: i, similarity: dot(row(embeddings, i), q) });
  scored.sort((a, b) => b.similarity - a.similarity);
  return scored.slice(0, params.k).map((s) => ({ ...s, id: records[s.index].id, text: records[s.index].text }));
}
