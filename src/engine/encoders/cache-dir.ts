import { cacheDirFromEnv } from '../env';

/** The cache shared by all projects for downloaded and converted models ($EMBEDLAB_CACHE_DIR, else ~/.cache/embedding-lab). */
export function defaultCacheDir(): string {
  return cacheDirFromEnv();
}
