/**
 * What each job type does in the engine process. Handlers are plain async engine calls:
 * they take the job's params and a context (cancel signal, progress, secrets) and
 * return the result. Heavy engine modules are imported lazily, so a diagnostic job
 * does not load ONNX or tfjs.
 */
import { checkpoint, CancelledError, type JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import type { JobSecrets, JobType, JobParams, JobResult } from './protocol';
import type { EmbedParams, EmbedResult, TextSource } from './job-types';

export interface JobContext extends JobOptions {
  secrets: JobSecrets;
}

export type JobHandler<T extends JobType> = (params: JobParams<T>, ctx: JobContext) => Promise<JobResult<T>>;
export type JobHandlers = { [K in JobType]: JobHandler<K> };

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* spin: simulates a native call that cannot be interrupted */
  }
}

interface LoadedSource {
  ids: string[];
  texts: string[];
  labels?: string[];
}

/** The texts of a job: inline, a project dataset, or a data file with a template. */
export async function loadSource(source: TextSource, options: JobOptions): Promise<LoadedSource> {
  if (source.texts) return { ids: source.texts.map((_, i) => String(i)), texts: source.texts };
  if (source.projectDir && source.dataset) {
    const { openProject, findDataset, datasetPath, readDatasetFile } = await import('../project/index');
    const project = await openProject(source.projectDir);
    const records = await readDatasetFile(datasetPath(project, findDataset(project, source.dataset)), options);
    const hasLabels = records.some((r) => r.label !== undefined);
    return {
      ids: records.map((r) => r.id),
      texts: records.map((r) => r.text),
      labels: hasLabels ? records.map((r) => r.label ?? '') : undefined,
    };
  }
  if (!source.file) throw new InputError('give either texts or a data file', { field: 'file' });
  if (!source.template) throw new InputError('a data file needs a text template', { field: 'template' });
  const { loadTexts } = await import('../data/load-texts');
  const loaded = await loadTexts(source.file, { template: source.template, label: source.label, ...options });
  return { ids: loaded.ids, texts: loaded.texts, labels: loaded.labels };
}

async function embed(params: EmbedParams, ctx: JobContext): Promise<EmbedResult> {
  const started = Date.now();
  const source = await loadSource(params, ctx);
  const { resolveEncoder } = await import('../encoders/resolve');
  const encoder = await resolveEncoder(params.encoder, {
    corpus: source.texts,
    projectDir: params.projectDir,
    cacheDir: params.cacheDir,
    seed: params.seed,
    offline: params.offline,
    hfToken: ctx.secrets.hfToken,
    apiKey: ctx.secrets.apiKey,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });
  try {
    let embeddings;
    let cached: { hits: number; embedded: number } | undefined;
    if (params.projectDir) {
      // Project data goes through the embedding cache: unchanged texts cost nothing.
      const { getCachedEmbeddings } = await import('../project/embedding-cache');
      const out = await getCachedEmbeddings(params.projectDir, encoder, source.texts, { signal: ctx.signal, onProgress: ctx.onProgress });
      embeddings = out.matrix;
      cached = { hits: out.hits, embedded: out.embedded };
    } else {
      embeddings = await encoder.encode(source.texts, { signal: ctx.signal, onProgress: ctx.onProgress });
    }
    return {
      encoderId: encoder.id,
      ids: source.ids,
      labels: source.labels,
      embeddings,
      cached,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await encoder.dispose();
  }
}

/** The handler table: one entry per job type in `JobTypes`. */
export const jobHandlers: JobHandlers = {
  async sleep(params, ctx) {
    const steps = Math.max(1, params.steps ?? 10);
    const slice = params.ms / steps;
    for (let i = 0; i < steps; i++) {
      ctx.onProgress?.({ stage: 'sleep', done: i, total: steps });
      await delay(slice, ctx.signal);
    }
    ctx.onProgress?.({ stage: 'sleep', done: steps, total: steps });
    return { sleptMs: params.ms };
  },

  async count(params, ctx) {
    const values = new Float32Array(params.to);
    for (let i = 0; i < params.to; i++) {
      if (params.busyMs) busyWait(params.busyMs);
      values[i] = i + 1;
      ctx.onProgress?.({ stage: 'count', done: i + 1, total: params.to });
      if (params.ignoreCancel) await new Promise<void>((r) => setImmediate(r));
      else await checkpoint(ctx.signal);
    }
    return { count: params.to, values };
  },

  async fail(params) {
    const err = new Error(params.message);
    if (params.name) err.name = params.name;
    throw err;
  },

  async crash(params) {
    process.exit(params.exitCode ?? 3);
  },

  embed,

  async kmeans(params, ctx) {
    const started = Date.now();
    const embedded = await embed(params, ctx);
    const { kmeans } = await import('../cluster/kmeans');
    const out = await kmeans(embedded.embeddings, { k: params.k, seed: params.seed, signal: ctx.signal });
    return {
      encoderId: embedded.encoderId,
      ids: embedded.ids,
      labels: out.labels,
      inertia: out.inertia,
      iterations: out.iterations,
      seconds: (Date.now() - started) / 1000,
    };
  },

  async peek(params) {
    const { peekData } = await import('./project-jobs');
    return peekData(params);
  },

  async import(params, ctx) {
    const { importDataset } = await import('../project/import-dataset');
    const { projectDir, file, ...options } = params;
    return importDataset(projectDir, file, { ...options, signal: ctx.signal, onProgress: ctx.onProgress });
  },

  async mapPoints(params, ctx) {
    const { mapJob } = await import('./map-job');
    return mapJob(params, ctx);
  },

  async neighbours(params, ctx) {
    const { neighboursJob } = await import('./map-job');
    return neighboursJob(params, ctx);
  },

  async suggestPairs(params, ctx) {
    const { suggestJob } = await import('./suggest-job');
    return suggestJob(params, ctx);
  },

  async clean(params, ctx) {
    const { cleanJob } = await import('./clean-job');
    return cleanJob(params, ctx);
  },

  async train(params, ctx) {
    const { trainJob } = await import('./train-job');
    return trainJob(params, ctx);
  },

  async similar(params, ctx) {
    const { findSimilar } = await import('./project-jobs');
    return findSimilar(params, ctx);
  },
};

/** Runs one job by type. */
export function runJobHandler<T extends JobType>(type: T, params: JobParams<T>, ctx: JobContext): Promise<JobResult<T>> {
  const handler = jobHandlers[type] as JobHandler<T> | undefined;
  if (!handler) throw new InputError(`unknown job type "${String(type)}"`, { field: 'type' });
  return handler(params, ctx);
}
