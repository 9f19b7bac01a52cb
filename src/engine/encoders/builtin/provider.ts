import * as path from 'node:path';
import type { EncoderProvider } from '../provider';
import { InputError } from '../../util/errors';
import { fitBuiltinEncoder } from './encoder';
import { loadBuiltinEncoder } from './model-file';
import { fitOrLoadBuiltinEncoder } from './fit-cache';

/** Where a project keeps its fitted built-in encoders. */
export function builtinFitsDir(projectDir: string): string {
  return path.join(projectDir, '.cache', 'encoders');
}

/**
 * "builtin": fit on the context's corpus (seeded by context.seed; in a project, the fit is
 * saved in .cache/encoders/ and loaded again for the same corpus); "builtin:<file>": load a saved model (relative paths resolve against the project folder when there is one).
 */
export const builtinEncoderProvider: EncoderProvider = {
  kind: 'builtin',
  describe: 'builtin (TF-IDF topic LSA + lexical sketch, fitted on the texts, offline) or builtin:<saved model file>',
  matches: (spec) => spec === 'builtin' || spec.startsWith('builtin:'),
  async create(spec, context) {
    if (spec.startsWith('builtin:')) {
      const file = spec.slice('builtin:'.length);
      return loadBuiltinEncoder(context.projectDir ? path.resolve(context.projectDir, file) : path.resolve(file));
    }
    if (!context.corpus || context.corpus.length === 0)
      throw new InputError('the built-in encoder needs texts to fit on (none were given)', { field: 'encoder' });
    const fit = { seed: context.seed, signal: context.signal, onProgress: context.onProgress };
    // In a project, the fit is saved and reused while the corpus and the seed stay the same.
    if (context.projectDir) return fitOrLoadBuiltinEncoder(context.corpus, builtinFitsDir(context.projectDir), fit);
    return fitBuiltinEncoder(context.corpus, fit);
  },
};
