/**
 * Temp files of the atomic writes (`.<name>.<pid>.<time>.<n>.tmp`, next to their target),
 * and the removal of those a killed writer left behind: a temp file whose pid is not alive
 * on this host and that has not been written to for a while is removed at the next write
 * into its folder. Only names of exactly this pattern are ever touched; live writers'
 * temp files (this process, a live pid, or written recently) are kept.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { processAlive } from './process-alive';

let tmpCounter = 0;

/** `.<name>.<pid>.<time>.<n>.tmp`: what `tempPathFor` names, with the pid as group 1. */
export const TEMP_FILE_NAME = /^\..+\.(\d+)\.(\d+)\.(\d+)\.tmp$/;

/** A temp path in the same folder as `file` (rename is only atomic within one file system). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${tmpCounter++}.tmp`);
}

export interface StaleTempOptions {
  /**
   * A dead writer's temp file is removed only once it has not changed for this long, in
   * case the folder is shared with another machine whose pids mean nothing here (default 60 s).
   */
  minAgeMs?: number;
}

/** Removes the temp files of dead writers in `dir`; returns the names removed. */
export async function removeStaleTempFiles(dir: string, options: StaleTempOptions = {}): Promise<string[]> {
  const minAgeMs = options.minAgeMs ?? 60_000;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_FILE_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    const file = path.join(dir, name);
    const st = await fs.lstat(file).catch(() => undefined);
    if (!st?.isFile() || Date.now() - st.mtimeMs < minAgeMs) continue;
    await fs.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}

const lastSweep = new Map<string, number>();
const SWEEP_EVERY_MS = 10 * 60_000;

/** `removeStaleTempFiles` at most once every 10 minutes per folder and process; never throws. */
export async function sweepStaleTempFiles(dir: string): Promise<void> {
  const now = Date.now();
  if (now - (lastSweep.get(dir) ?? -Infinity) < SWEEP_EVERY_MS) return;
  lastSweep.set(dir, now);
  await removeStaleTempFiles(dir).catch(() => undefined);
}
