import type { OptionSpec } from './args';
import { UsageError } from './args';
import { encoderOption, jsonOption, projectOption, seedOption, type CommandContext } from './command';
import { encoderContextFor } from './encoder-context';
import { loadTexts, type LoadedTexts } from '../engine/data/load-texts';
import { resolveEncoder } from '../engine/encoders/resolve';
import type { Encoder, TextRole } from '../engine/encoders/encoder';
import type { Matrix } from '../engine/util/matrix';
import type { ProgressListener } from '../engine/util/job';

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

/**
 * Reads the texts (and labels, with `label`) of a file by the template; logs the rows it skipped.
 * With `keepEmpty`, a row whose template fields are all empty is kept (as an empty text).
 */
export async function loadFileTexts(ctx: CommandContext, file: string, template: string, label?: string, options: { keepEmpty?: boolean } = {}): Promise<LoadedTexts> {
  const loaded = await loadTexts(file, { template, label, keepEmpty: options.keepEmpty, signal: ctx.signal });
  if (loaded.skipped.length) ctx.log(`skipped ${loaded.skipped.length} rows (first: line ${loaded.skipped[0].line}: ${loaded.skipped[0].reason})`);
  return loaded;
}

/**
 * Resolves the `--encoder` of the command for these texts, embeds them, hands the vectors and
 * the encoder to `use`, and disposes of the encoder however `use` ends.
 */
export async function withEmbeddedTexts<T>(
  ctx: CommandContext,
  texts: readonly string[],
  options: { role?: TextRole; onProgress: ProgressListener; ids?: readonly string[] },
  use: (vectors: Matrix, encoder: Encoder) => Promise<T> | T,
): Promise<T> {
  const { role, onProgress, ids } = options;
  const encoder = await resolveEncoder(String(ctx.args.options.encoder ?? 'builtin'), encoderContextFor(ctx, texts, onProgress));
  try {
    const vectors = await encoder.encode(texts, { role, ids, signal: ctx.signal, onProgress });
    return await use(vectors, encoder);
  } finally {
    await encoder.dispose();
  }
}
