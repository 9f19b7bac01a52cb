import * as os from 'node:os';
import * as path from 'node:path';

/** The cache shared by all projects for downloaded and converted models. */
export function defaultCacheDir(): string {
  return process.env.EMBEDLAB_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'embedding-lab');
}
