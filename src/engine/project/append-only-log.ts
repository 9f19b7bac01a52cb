/**
 * An append-only JSONL log: appends are serialised per file and fsynced, a line cut off by
 * a crash mid-append is repaired before the next append, and the reader checks every line
 * (a cut-off last line is ignored and reported as `truncatedTail`, other bad lines are
 * reported by line). annotations.jsonl and labels.jsonl are such logs.
 */
import { promises as fs } from 'node:fs';
import { appendDurable } from '../util/fs';

/**
 * What an append does with a cut-off last line: `end-line` ends it with a newline (the
 * damaged line stays and reads as a bad line), `drop-line` truncates the file after its
 * last newline (the line was never acknowledged, so the log stays free of damaged lines).
 */
export type CutLineRepair = 'end-line' | 'drop-line';

export interface LogLineProblem {
  line: number;
  field?: string;
  reason: string;
}

export interface LogLines<T> {
  entries: T[];
  /** Lines that could not be read (reported, not fatal). */
  problems: LogLineProblem[];
  /** True when the last line was cut off (a crash mid-write); it was ignored. */
  truncatedTail: boolean;
}

const appendQueues = new Map<string, Promise<void>>();

/**
 * Appends `text` (whole lines, each ending in a newline) in one fsynced write, after
 * repairing a cut-off last line. Appends to one file are serialised, so the repair cannot race.
 */
export async function appendLogLines(file: string, text: string, repair: CutLineRepair): Promise<void> {
  const previous = appendQueues.get(file) ?? Promise.resolve();
  const done = previous.then(async () => {
    if (repair === 'drop-line') {
      await dropCutOffTail(file);
      await appendDurable(file, text);
    } else {
      const prefix = (await endsWithoutNewline(file)) ? '\n' : '';
      await appendDurable(file, prefix + text);
    }
  });
  const settled = done.catch(() => undefined);
  appendQueues.set(file, settled);
  void settled.then(() => {
    if (appendQueues.get(file) === settled) appendQueues.delete(file);
  });
  await done;
}

/**
 * Reads the log; a missing file is an empty log. `check` returns the problem of a parsed
 * line (naming the field) or undefined; `toEntry` turns a checked value into an entry.
 */
export async function readLogLines<T>(
  file: string,
  check: (v: unknown) => { field?: string; reason: string } | undefined,
  toEntry: (v: unknown) => T,
): Promise<LogLines<T>> {
  const log: LogLines<T> = { entries: [], problems: [], truncatedTail: false };
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return log;
    throw e;
  }
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  lines.forEach((raw, k) => {
    const line = k + 1;
    const isTail = !complete && k === lines.length - 1;
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      if (isTail) log.truncatedTail = true;
      else log.problems.push({ line, reason: 'invalid JSON' });
      return;
    }
    const p = check(v);
    if (p) {
      if (isTail) log.truncatedTail = true;
      else log.problems.push({ line, ...p });
      return;
    }
    log.entries.push(toEntry(v));
  });
  return log;
}

async function endsWithoutNewline(file: string): Promise<boolean> {
  let h: fs.FileHandle;
  try {
    h = await fs.open(file, 'r');
  } catch {
    return false;
  }
  try {
    const { size } = await h.stat();
    if (size === 0) return false;
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, size - 1);
    return b[0] !== 0x0a;
  } finally {
    await h.close();
  }
}

/** Truncates the file after its last newline (nothing when it ends in one or is missing). */
async function dropCutOffTail(file: string): Promise<void> {
  let h: fs.FileHandle;
  try {
    h = await fs.open(file, 'r+');
  } catch {
    return;
  }
  try {
    const { size } = await h.stat();
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await h.read(chunk, 0, end - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) {
        end = start + nl + 1;
        break;
      }
      end = start;
    }
    if (end < size) {
      await h.truncate(end);
      await h.sync();
    }
  } finally {
    await h.close();
  }
}
