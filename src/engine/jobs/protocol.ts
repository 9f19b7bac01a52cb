/**
 * Typed messages between a job caller (the extension host, tests) and the engine
 * process. Plain data only: they cross a process boundary with `serialization:
 * 'advanced'` (structured clone), so typed arrays (coordinates, embeddings) travel
 * as typed arrays, not as JSON number lists.
 */
import type { Progress } from '../util/job';
import type { SerializedError } from '../util/errors';
import type { JobTypes } from './job-types';

export type JobType = keyof JobTypes;
export type JobParams<T extends JobType> = JobTypes[T]['params'];
export type JobResult<T extends JobType> = JobTypes[T]['result'];

/** A job catalogue such as `JobTypes`: for each job type, its parameters and its result. */
export type JobCatalogue<C> = { [K in keyof C]: { params: unknown; result: unknown } };

/** One job of catalogue `C`: its type and the parameters of that type. */
export type CatalogueJob<C extends JobCatalogue<C>, T extends keyof C = keyof C> = { [K in T]: { type: K; params: C[K]['params'] } }[T];

/** One job: its type and the parameters of that type. */
export type Job<T extends JobType = JobType> = CatalogueJob<JobTypes, T>;

/** Secrets are given per job by the caller (SecretStorage, env); the engine never stores them. */
export interface JobSecrets {
  hfToken?: string;
  apiKey?: string;
  /** The chat endpoint's key (LLM assist). */
  llmApiKey?: string;
}

/** Caller → engine: run a job. */
export interface RunMessage {
  kind: 'run';
  id: number;
  job: Job;
  secrets?: JobSecrets;
}

/** Caller → engine: stop a job as soon as it reaches a checkpoint. */
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}

export type ToEngineMessage = RunMessage | CancelMessage;

/** Engine → caller: the process is up and listening. */
export interface ReadyMessage {
  kind: 'ready';
  pid: number;
}

/** Engine → caller: throttled progress of a job. */
export interface ProgressMessage {
  kind: 'progress';
  id: number;
  progress: Progress;
}

export interface ResultMessage {
  kind: 'result';
  id: number;
  result: unknown;
}

/** Engine → caller: the job failed; the error keeps its name, message and stack. */
export interface ErrorMessage {
  kind: 'error';
  id: number;
  error: SerializedError;
}

export type FromEngineMessage = ReadyMessage | ProgressMessage | ResultMessage | ErrorMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Type guard for messages received by the engine process. */
export function isToEngineMessage(value: unknown): value is ToEngineMessage {
  if (!isRecord(value) || typeof value.id !== 'number') return false;
  if (value.kind === 'cancel') return true;
  return value.kind === 'run' && isRecord(value.job) && typeof value.job.type === 'string';
}

/** Type guard for messages received from the engine process. */
export function isFromEngineMessage(value: unknown): value is FromEngineMessage {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'ready':
      return typeof value.pid === 'number';
    case 'progress':
      return typeof value.id === 'number' && isRecord(value.progress);
    case 'result':
      return typeof value.id === 'number';
    case 'error':
      return typeof value.id === 'number' && isRecord(value.error) && typeof value.error.message === 'string';
    default:
      return false;
  }
}
