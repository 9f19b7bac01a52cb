import * as path from 'node:path';
import type { CommandContext } from './command';
import type { EncoderContext } from '../engine/encoders/provider';
import type { ProgressListener } from '../engine/util/job';
import { secretsFromEnv } from '../engine/env';

/**
 * What every embedding subcommand hands to `resolveEncoder`: the corpus (for the built-in encoder),
 * the seed, the project folder (for `run:<id>` and saved built-in models; default: the current
 * folder), cancellation, progress, and the secrets from the environment (never from a file).
 */
export function encoderContextFor(ctx: CommandContext, corpus: readonly string[], onProgress?: ProgressListener): EncoderContext {
  const o = ctx.args.options;
  return {
    corpus,
    seed: Number(o.seed ?? 42),
    projectDir: typeof o.project === 'string' ? path.resolve(o.project) : undefined,
    signal: ctx.signal,
    onProgress,
    ...secretsFromEnv(),
    providers: ctx.encoderProviders,
  };
}
