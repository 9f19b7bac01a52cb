/**
 * Test support for the record readers: files written into a temporary folder, and a whole file
 * read through readRecords with its skipped rows and cut fields collected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readRecords, type SkippedRow, type ReadOptions } from '../../../src/engine/data/read-records';
import type { FieldCut } from '../../../src/engine/data/field-cap';

/** A function writing `content` to `name` in a new temporary folder (named with `prefix`); returns the path. */
export function tempFileWriter(prefix: string): (name: string, content: string | Buffer) => string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return (name, content) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };
}

/** Every record of `f`, with the rows skipped and the fields cut on the way. */
export async function readAllWithCuts(f: string, options: ReadOptions = {}) {
  const skipped: SkippedRow[] = [];
  const cuts: FieldCut[] = [];
  const rows: Array<{ line: number; fields: Record<string, unknown> }> = [];
  for await (const r of readRecords(f, { ...options, onSkip: (s) => skipped.push(s), onFieldCut: (c) => cuts.push(c) })) rows.push(r);
  return { rows, skipped, cuts };
}

/** Every record of `f`, with the rows skipped on the way. */
export async function readAll(f: string, options: ReadOptions = {}) {
  const { rows, skipped } = await readAllWithCuts(f, options);
  return { rows, skipped };
}
