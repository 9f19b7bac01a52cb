import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import Papa from 'papaparse';
import { InputError } from '../util/errors';

export type DataFormat = 'jsonl' | 'json' | 'csv';

/** One input row, with the 1-based line it starts on. */
export interface SourceRecord {
  line: number;
  fields: Record<string, unknown>;
}

/** A row that could not be read; it is counted and reported, never dropped silently. */
export interface SkippedRow {
  line: number;
  reason: string;
}

export function detectFormat(file: string): DataFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  throw new InputError(`cannot tell the format from the extension "${ext}"; use .csv, .tsv, .jsonl or .json`, { file });
}

export interface ReadOptions {
  format?: DataFormat;
  onSkip?: (row: SkippedRow) => void;
}

/**
 * Streams the records of a CSV, JSONL or JSON file. Bad rows go to `onSkip` with their
 * line number. Throws InputError (naming the file) when the file cannot be read at all.
 */
export async function* readRecords(file: string, options: ReadOptions = {}): AsyncGenerator<SourceRecord> {
  const format = options.format ?? detectFormat(file);
  const stat = await fs.stat(file).catch(() => {
    throw new InputError('no such file', { file });
  });
  if (!stat.isFile()) throw new InputError('not a file', { file });
  if (stat.size === 0) throw new InputError('the file is empty', { file });
  const skip = options.onSkip ?? (() => undefined);
  if (format === 'jsonl') yield* readJsonl(file, skip);
  else if (format === 'json') yield* readJsonArray(file, skip);
  else yield* readCsv(file, skip);
}

async function* readJsonl(file: string, skip: (r: SkippedRow) => void): AsyncGenerator<SourceRecord> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of rl) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      skip({ line, reason: `invalid JSON (${(e as Error).message})` });
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      skip({ line, reason: 'not a JSON object' });
      continue;
    }
    yield { line, fields: value as Record<string, unknown> };
  }
}

async function* readJsonArray(file: string, skip: (r: SkippedRow) => void): AsyncGenerator<SourceRecord> {
  const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON (${(e as Error).message})`, { file });
  }
  const items = Array.isArray(value)
    ? value
    : value && typeof value === 'object'
      ? Object.values(value).find(Array.isArray)
      : undefined;
  if (!items) throw new InputError('expected a JSON array of objects (or an object holding one)', { file });
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      skip({ line: i + 1, reason: `item ${i} is not a JSON object` });
      continue;
    }
    yield { line: i + 1, fields: item as Record<string, unknown> };
  }
}

async function* readCsv(file: string, skip: (r: SkippedRow) => void): AsyncGenerator<SourceRecord> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
    header: false,
    skipEmptyLines: false,
    delimitersToGuess: [',', ';', '\t', '|'],
  });
  const input = createReadStream(file, { encoding: 'utf8' });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let header: string[] | undefined;
  let line = 1;
  for await (const chunk of parser as AsyncIterable<string[]>) {
    const row = chunk;
    const rowStart = line;
    line += countLines(row);
    if (row.length === 1 && row[0].trim() === '') continue;
    if (!header) {
      header = row.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      continue;
    }
    if (row.length !== header.length) {
      skip({ line: rowStart, reason: `${row.length} columns where the header has ${header.length}` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((h, i) => (fields[h] = row[i]));
    yield { line: rowStart, fields };
  }
  if (!header) throw new InputError('the CSV file has no header row', { file });
}

/** Lines a parsed CSV row spanned: one, plus the newlines inside quoted fields. */
function countLines(row: string[]): number {
  let n = 1;
  for (const cell of row) for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) n++;
  return n;
}
