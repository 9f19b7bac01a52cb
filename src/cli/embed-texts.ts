import * as path from 'node:path';
import type { OptionSpec } from './args';
import { UsageError } from './args';
import { encoderOption, jsonOption, projectOption, seedOption, type CommandContext } from './command';
import type { EncoderParams } from '../engine/jobs/file-texts';
import { DEFAULT_ENCODER, DEFAULT_SEED } from '../engine/defaults';

/** --text: the template that makes each record's text. */
export const templateOption: OptionSpec = { name: 'text', kind: 'string', description: 'template of the text, e.g. "{title}. {description}"' };

/** The options that close an embedding command's list: --encoder, --project, --seed, --json. */
export const embeddingOptions: readonly OptionSpec[] = [encoderOption, projectOption, seedOption, jsonOption];

/** The input file (first positional) and the --text template; a UsageError names the one missing. */
export function fileAndTemplate(ctx: CommandContext): { file: string; template: string } {
  const [file] = ctx.args.positionals;
  const template = ctx.args.options.text;
  if (!file) throw new UsageError('missing the input file');
  if (typeof template !== 'string') throw new UsageError('missing --text "<template>"');
  return { file, template };
}

/** The encoder a command's --encoder, --project (default: none) and --seed describe, for a job. */
export function encoderParamsFrom(ctx: CommandContext): EncoderParams {
  const o = ctx.args.options;
  return {
    encoder: String(o.encoder ?? DEFAULT_ENCODER),
    projectDir: typeof o.project === 'string' ? path.resolve(o.project) : undefined,
    seed: Number(o.seed ?? DEFAULT_SEED),
  };
}
