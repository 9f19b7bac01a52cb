/**
 * A test entry of the engine process: the product's jobs (`runJobHandler`) plus the
 * test-only jobs of `test-jobs.ts`. Start it with `new EngineClient<EngineTestJobs>({ entry: TEST_ENGINE_ENTRY })`.
 */
import { runJobHandler } from '../../../src/engine/jobs/handlers';
import type { JobParams, JobType } from '../../../src/engine/jobs/protocol';
import { serveJobs } from '../../../src/engine/jobs/serve-jobs';
import { isTestJobType, testJobHandlers } from './test-jobs';

serveJobs((job, ctx) => {
  if (isTestJobType(job.type)) {
    const handler = testJobHandlers[job.type] as (params: unknown, context: typeof ctx) => Promise<unknown>;
    return handler(job.params, ctx);
  }
  return runJobHandler(job.type as JobType, job.params as JobParams<JobType>, ctx);
});
