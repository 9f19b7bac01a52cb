/**
 * The Python that runs a bench peer: $EMBEDLAB_BENCH_PYTHON, else $EMBEDLAB_REFENV/bin/python (the
 * reference environment), else `python3` on the PATH — the first that imports the given modules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** A Python for a peer: its path, how it was found (for result notes: no machine paths), module versions. */
export interface PeerPython {
  path: string;
  source: string;
  versions: Record<string, string>;
}

const found = new Map<string, PeerPython | null>();

/** The first candidate Python that imports every module of `modules`; null when none does. */
export function findPeerPython(modules: readonly string[]): PeerPython | null {
  const key = modules.join(',');
  const cached = found.get(key);
  if (cached !== undefined) return cached;
  const refenv = process.env.EMBEDLAB_REFENV;
  const candidates = [
    { path: process.env.EMBEDLAB_BENCH_PYTHON, source: '$EMBEDLAB_BENCH_PYTHON' },
    { path: refenv ? path.join(refenv, 'bin', 'python') : undefined, source: '$EMBEDLAB_REFENV/bin/python' },
    { path: 'python3', source: 'python3 on the PATH' },
  ];
  const probe = `import json, importlib\nprint(json.dumps({m: getattr(importlib.import_module(m), '__version__', '?') for m in ${JSON.stringify(modules)}}))`;
  let result: PeerPython | null = null;
  for (const c of candidates) {
    if (!c.path || (c.path.includes('/') && !existsSync(c.path))) continue;
    const r = spawnSync(c.path, ['-c', probe], { encoding: 'utf8' });
    if (r.status === 0) {
      result = { path: c.path, source: c.source, versions: JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, string> };
      break;
    }
  }
  found.set(key, result);
  return result;
}
