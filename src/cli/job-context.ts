import type { CommandContext } from './command';
import type { JobContext } from '../engine/jobs/job-context';
import type { ProgressListener } from '../engine/util/job';
import { secretsFromEnv } from '../engine/env';
import { progressPrinter } from './progress';

/**
 * How a command runs a job in process: the command's cancel signal, a progress printer on
 * stderr (or the listener given), the secrets from the environment, and the io's encoder providers.
 */
export function jobContextFor(ctx: CommandContext, onProgress: ProgressListener = progressPrinter(ctx)): JobContext {
  return { signal: ctx.signal, onProgress, secrets: secretsFromEnv(), encoderProviders: ctx.encoderProviders };
}
