/**
 * The built-in encoder of a project: fitted once per corpus and seed, then saved in
 * <project>/.cache/encoders/ and loaded from there (about 0.5 s instead of ~14 s of fitting on
 * AG News' 7,600 texts), so opening the map, searching or embedding again does not refit it.
 * The file is keyed by a hash of the method version, the options, the seed and the texts; the
 * newest few fits are kept, older ones are pruned.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JobOptions } from '../../util/job';
import { BUILTIN_METHOD_VERSION, fitBuiltinEncoder, type BuiltinEncoder } from './encoder';
import { loadBuiltinEncoder, saveBuiltinEncoder } from './model-file';
import { defaultBuiltinOptions, type BuiltinOptions } from './options';

/** How many fitted encoders a project keeps (each is tens of MB for ~10k texts). */
export const KEPT_BUILTIN_FITS = 2;

const FILE_PREFIX = 'builtin-';
const FILE_SUFFIX = '.bin';

/** The cache file of a fit on `texts` with `options`. */
export function builtinFitFile(cacheDir: string, texts: readonly string[], options: Partial<BuiltinOptions>): string {
  const settings = { ...defaultBuiltinOptions, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const h = createHash('sha256');
  h.update(JSON.stringify({ version: BUILTIN_METHOD_VERSION, settings, count: texts.length }));
  for (const t of texts) h.update(t).update('\0');
  return path.join(cacheDir, `${FILE_PREFIX}${h.digest('hex').slice(0, 24)}${FILE_SUFFIX}`);
}

/**
 * The encoder fitted on `texts`: loaded from `cacheDir` when this corpus was fitted before,
 * else fitted and saved there. A damaged cache file is fitted again and replaced; a cache that
 * cannot be written only costs the next call a refit.
 */
export async function fitOrLoadBuiltinEncoder(
  texts: readonly string[],
  cacheDir: string,
  options: Partial<BuiltinOptions> & JobOptions = {},
): Promise<BuiltinEncoder> {
  const { signal: _signal, onProgress: _onProgress, ...settings } = options;
  const file = builtinFitFile(cacheDir, texts, settings);
  try {
    const encoder = await loadBuiltinEncoder(file);
    await fs.utimes(file, new Date(), new Date()).catch(() => undefined); // most recently used
    return encoder;
  } catch {
    // not fitted yet, or unreadable: fit below
  }
  const encoder = await fitBuiltinEncoder(texts, options);
  try {
    await fs.mkdir(cacheDir, { recursive: true });
    await saveBuiltinEncoder(encoder, file);
    await pruneBuiltinFits(cacheDir, KEPT_BUILTIN_FITS);
  } catch {
    // A read-only or full disk: the encoder still works, it is fitted again next time.
  }
  return encoder;
}

/** Deletes all but the `keep` most recently used fits in `cacheDir`. */
export async function pruneBuiltinFits(cacheDir: string, keep: number): Promise<void> {
  const names = (await fs.readdir(cacheDir)).filter((n) => n.startsWith(FILE_PREFIX) && n.endsWith(FILE_SUFFIX));
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(cacheDir, n))).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(keep)) await fs.rm(path.join(cacheDir, n), { force: true });
}
