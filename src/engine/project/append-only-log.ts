/**
 * An append-only JSONL log that several processes may append to at once (the extension,
 * the CLI, the engine process): each batch of lines is one fsynced write on an O_APPEND
 * descriptor (`appendLinesDurable`), and nothing ever truncates or rewrites the file.
 *
 * A crash mid-write can leave a cut-off last line. The next append starts on a new line,
 * so the cut line stays in the file, and the reader skips it: the last line of the file
 * when it is cut is `truncatedTail`; a cut line further up (ended by a later append) is
 * counted in `cutLines`. A line that is a whole entry glued after a cut one (an append
 * that checked the tail just before a crashed writer cut it) is still read. Other bad
 * lines are reported by line. annotations.jsonl and labels.jsonl are such logs.
 */
import { appendLinesDurable, readTextFile } from '../util/fs';

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
  /** Lines (1-based) cut off by a crash and ended by a later append; skipped. */
  cutLines: number[];
}

const appendQueues = new Map<string, Promise<void>>();

/**
 * Appends `text` (whole lines, each ending in a newline) in one fsynced write; a cut-off
 * last line is left alone and the text starts on a new line. Appends from this process
 * are queued per file (other processes append with O_APPEND, so no write lands in another).
 */
export async function appendLogLines(file: string, text: string): Promise<void> {
  const previous = appendQueues.get(file) ?? Promise.resolve();
  const done = previous.then(() => appendLinesDurable(file, text));
  const settled = done.catch(() => undefined);
  appendQueues.set(file, settled);
  void settled.then(() => {
    if (appendQueues.get(file) === settled) appendQueues.delete(file);
  });
  await done;
}

type Check = (v: unknown) => { field?: string; reason: string } | undefined;

/**
 * Reads the log; a missing file is an empty log. `check` returns the problem of a parsed
 * line (naming the field) or undefined; `toEntry` turns a checked value into an entry.
 */
export async function readLogLines<T>(file: string, check: Check, toEntry: (v: unknown) => T): Promise<LogLines<T>> {
  const log: LogLines<T> = { entries: [], problems: [], truncatedTail: false, cutLines: [] };
  let text: string;
  try {
    text = await readTextFile(file);
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
      else if (isCutOffJson(raw)) log.cutLines.push(line);
      else {
        const glued = entryAfterCut(raw, check);
        if (glued === undefined) log.problems.push({ line, reason: 'invalid JSON' });
        else {
          log.cutLines.push(line);
          log.entries.push(toEntry(glued));
        }
      }
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

/**
 * True when `raw` is the start of a JSON object cut off before its end (what a crash
 * mid-write leaves), not a damaged one: the parser fails only at the very end of the text.
 */
export function isCutOffJson(raw: string): boolean {
  if (!raw.startsWith('{')) return false;
  try {
    JSON.parse(raw);
    return false;
  } catch (e) {
    const message = (e as Error).message;
    if (/end of JSON input/i.test(message)) return true;
    const at = /at position (\d+)/.exec(message);
    return at !== null && Number(at[1]) >= raw.length;
  }
}

/** A whole, valid entry that follows a cut-off one on the same line, or undefined. */
function entryAfterCut(raw: string, check: Check): unknown {
  for (let k = raw.indexOf('{', 1); k > 0; k = raw.indexOf('{', k + 1)) {
    if (!isCutOffJson(raw.slice(0, k))) continue;
    let v: unknown;
    try {
      v = JSON.parse(raw.slice(k));
    } catch {
      continue;
    }
    if (check(v) === undefined) return v;
  }
  return undefined;
}
