/**
 * Entry of the engine child process (bundled as dist/engine-process.js): serves the jobs
 * of `job-types.ts` with the handlers of `handlers.ts` (see `serve-jobs.ts`).
 */
import { runJobHandler } from './handlers';
import type { JobParams, JobType } from './protocol';
import { serveJobs } from './serve-jobs';

serveJobs((job, ctx) => runJobHandler(job.type as JobType, job.params as JobParams<JobType>, ctx));
