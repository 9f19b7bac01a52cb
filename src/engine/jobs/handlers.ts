/**
 * What each job type does in the engine process. Handlers are plain async engine calls:
 * they take the job's params and a context (cancel signal, progress, secrets) and
 * return the result. (Test-only jobs live in test/unit/jobs/test-jobs.ts, served by a
 * test entry of the engine process.)
 */
import { CancelledError } from '../util/job';
import { InputError } from '../util/errors';
import { resolveEncoder } from '../encoders/resolve';
import { getCachedEmbeddings } from '../project/embedding-cache';
import { kmeans } from '../cluster/kmeans';
import type { JobType, JobParams, JobResult } from './protocol';
import type { JobContext } from './job-context';
import type { EmbedParams, EmbedResult } from './job-types';
import { loadSource } from './text-source';
import { peekData, findSimilar } from './project-jobs';
import { clusterJob } from './cluster-job';
import { mapPointsJob, neighboursJob, mapSearchJob, runMapJob } from './map-job';
import { exportClustersJob, exportModelJob } from './export-jobs';
import { exportAnnotationsJob } from './export-annotations-job';
import { clusterJudgmentsJob, topicListJob, topicNamesJob, topicRenameJob } from './topic-llm-jobs';
import { suggestJob } from './suggest-job';
import { llmAgreementJob, planPrescore, prescorePairs } from './prescore-job';
import { cleanJob } from './clean-job';
import { trainJob } from './train-job';
import { activeLoopTrainJob } from './active-loop-job';
import { embedFileJob } from './embed-file-job';
import { clusterFileJob } from './cluster-file-job';
import { searchFileJob } from './search-file-job';
import { evalStsJob, evalTopkJob } from './eval-jobs';
import { importJob } from './import-job';
import { trainFileJob, resumeRunJob, evalRunJob, sweepJob } from './train-run-jobs';

export { loadSource };

export type { JobContext };

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

async function embed(params: EmbedParams, ctx: JobContext): Promise<EmbedResult> {
  const started = Date.now();
  const source = await loadSource(params, ctx);
  const encoder = await resolveEncoder(params.encoder, {
    corpus: source.texts,
    projectDir: params.projectDir,
    cacheDir: params.cacheDir,
    seed: params.seed,
    offline: params.offline,
    hfToken: ctx.secrets.hfToken,
    apiKey: ctx.secrets.apiKey,
    providers: ctx.encoderProviders,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });
  try {
    let embeddings;
    let cached: { hits: number; embedded: number } | undefined;
    if (params.projectDir) {
      // Project data goes through the embedding cache: unchanged texts cost nothing.
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

  embed,

  async kmeans(params, ctx) {
    const started = Date.now();
    const embedded = await embed(params, ctx);
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
    return peekData(params);
  },

  import: importJob,

  cluster: clusterJob,
  mapPoints: mapPointsJob,
  neighbours: neighboursJob,
  mapSearch: mapSearchJob,
  runMap: runMapJob,
  exportClusters: exportClustersJob,
  exportModel: exportModelJob,
  exportAnnotations: exportAnnotationsJob,
  topicNames: topicNamesJob,
  clusterJudgments: clusterJudgmentsJob,
  topicRename: topicRenameJob,
  topicList: topicListJob,
  suggestPairs: suggestJob,
  planPrescore,
  prescorePairs,
  llmAgreement: llmAgreementJob,
  clean: cleanJob,
  train: trainJob,
  activeLoopTrain: activeLoopTrainJob,
  similar: findSimilar,
  embedFile: embedFileJob,
  clusterFile: clusterFileJob,
  searchFile: searchFileJob,
  evalSts: evalStsJob,
  evalTopk: evalTopkJob,
  trainFile: trainFileJob,
  resumeRun: resumeRunJob,
  evalRun: evalRunJob,
  sweep: sweepJob,
};

/** Runs one job by type. */
export function runJobHandler<T extends JobType>(type: T, params: JobParams<T>, ctx: JobContext): Promise<JobResult<T>> {
  const handler = jobHandlers[type] as JobHandler<T> | undefined;
  if (!handler) throw new InputError(`unknown job type "${String(type)}"`, { field: 'type' });
  return handler(params, ctx);
}
