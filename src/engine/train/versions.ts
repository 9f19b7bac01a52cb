/** Package versions recorded in each run's config.json. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tf } from './backend';

function packageVersion(dir: string): string | undefined {
  for (let d = dir, i = 0; i < 6; i++, d = path.dirname(d)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'embedding-lab') return pkg.version;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

export function versions(): Record<string, string> {
  return {
    embeddingLab: packageVersion(__dirname) ?? 'unknown',
    node: process.version,
    tfjs: tf.version.tfjs,
  };
}
