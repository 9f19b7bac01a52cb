/**
 * The records of a project dataset and their embeddings with an encoder spec, through the
 * project's embedding cache (unchanged texts are never embedded twice). Shared by the
 * cluster, map, search and export jobs.
 */
import type { JobOptions } from '../util/job';
import type { Encoder } from '../encoders/encoder';
import type { Matrix } from '../util/matrix';
import { resolveEncoder } from '../encoders/resolve';
import { openProject, findDataset, datasetPath, type Project } from '../project/store';
import { readDatasetFile, type DatasetRecord } from '../project/dataset-file';
import { getCachedEmbeddings } from '../project/embedding-cache';
import type { JobSecrets } from './protocol';

/** A project dataset seen through one encoder. */
export interface DatasetEncoderParams {
  projectDir: string;
  dataset: string;
  /** Encoder spec ("builtin", a model folder, a Hub id, an endpoint, "run:<id>"). */
  encoder: string;
  /** Seed of corpus-fitted encoders (the built-in one). */
  seed?: number;
  /** Shared model cache (downloads). */
  cacheDir?: string;
  offline?: boolean;
}

export type EngineJobOptions = JobOptions & { secrets: JobSecrets };

export interface DatasetRecords {
  project: Project;
  records: DatasetRecord[];
  /** The dataset file (for staleness checks). */
  file: string;
}

/** Opens the project and reads the dataset's records. */
export async function readDataset(projectDir: string, dataset: string, options: JobOptions = {}): Promise<DatasetRecords> {
  const project = await openProject(projectDir);
  const file = datasetPath(project, findDataset(project, dataset));
  return { project, records: await readDatasetFile(file, options), file };
}

/** Builds the encoder of a spec for a dataset (corpus-fitted encoders fit on its texts). */
export function datasetEncoder(params: DatasetEncoderParams, texts: readonly string[], options: EngineJobOptions): Promise<Encoder> {
  return resolveEncoder(params.encoder, {
    corpus: texts,
    projectDir: params.projectDir,
    cacheDir: params.cacheDir,
    seed: params.seed,
    offline: params.offline,
    hfToken: options.secrets.hfToken,
    apiKey: options.secrets.apiKey,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}

/** The embeddings of `texts` with `encoder`, through the project's embedding cache. */
export async function cachedEmbeddings(projectDir: string, encoder: Encoder, texts: readonly string[], options: JobOptions): Promise<Matrix> {
  const out = await getCachedEmbeddings(projectDir, encoder, texts, { signal: options.signal, onProgress: options.onProgress });
  return out.matrix;
}

/**
 * Records, embeddings, the encoder's id, its topic columns (Encoder.topicColumns) and its notes
 * (Encoder.notes: what it chose from the data); the encoder is disposed before returning.
 */
export async function embedDataset(
  params: DatasetEncoderParams,
  options: EngineJobOptions,
): Promise<DatasetRecords & { embeddings: Matrix; encoderId: string; topicColumns?: number; encoderNotes: string[] }> {
  const data = await readDataset(params.projectDir, params.dataset, options);
  const texts = data.records.map((r) => r.text);
  const encoder = await datasetEncoder(params, texts, options);
  try {
    const embeddings = await cachedEmbeddings(params.projectDir, encoder, texts, options);
    return {
      ...data,
      embeddings,
      encoderId: encoder.id,
      encoderNotes: [...(encoder.notes ?? [])],
      ...(encoder.topicColumns !== undefined ? { topicColumns: encoder.topicColumns } : {}),
    };
  } finally {
    await encoder.dispose();
  }
}
