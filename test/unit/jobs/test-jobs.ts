/**
 * Jobs that exist only for the tests of the engine process and its client: typed-array
 * round trips, errors, a job that ignores cancellation and blocks the event loop, and a
 * crash. Served by `test-engine-process.ts`, never by the product's engine.
 */
import { checkpoint } from '../../../src/engine/util/job';
import type { JobContext } from '../../../src/engine/jobs/handlers';
import type { JobTypes } from '../../../src/engine/jobs/job-types';

/** Counts to `to`, returning the numbers as a Float32Array (typed-array round trip). */
export interface CountParams {
  to: number;
  /** Ignore cancellation (to test the kill after the grace period). */
  ignoreCancel?: boolean;
  /** Busy time per step in ms (blocks the event loop between checkpoints). */
  busyMs?: number;
}

/** Throws an error of the given name and message. */
export interface FailParams {
  name?: string;
  message: string;
}

/** The engine process exits abruptly (as a native crash would). */
export interface CrashParams {
  exitCode?: number;
}

export interface TestJobTypes {
  count: { params: CountParams; result: { count: number; values: Float32Array } };
  fail: { params: FailParams; result: never };
  crash: { params: CrashParams; result: never };
}

/** The catalogue the test engine serves: the product's jobs and the test jobs. */
export type EngineTestJobs = JobTypes & TestJobTypes;

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* spin: simulates a native call that cannot be interrupted */
  }
}

type TestHandlers = { [K in keyof TestJobTypes]: (params: TestJobTypes[K]['params'], ctx: JobContext) => Promise<TestJobTypes[K]['result']> };

export const testJobHandlers: TestHandlers = {
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
};

export function isTestJobType(type: string): type is keyof TestJobTypes {
  return Object.prototype.hasOwnProperty.call(testJobHandlers, type);
}
