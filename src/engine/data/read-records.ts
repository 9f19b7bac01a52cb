import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { readLineBlocks, firstInvalidUtf8, DEFAULT_MAX_LINE_BYTES, type LineBlock } from './line-blocks';
import { CsvRowParser, guessDelimiter, type CsvRow } from './csv-rows';
import { JsonArrayScanner, type JsonScanEvent } from './json-array-items';
import { LongJsonLineReader, type LongJsonLine } from './long-json-line';
import { capStrings, type FieldCut } from './field-cap';

export type DataFormat = 'jsonl' | 'json' | 'csv';

/** One input row, with the 1-based line it starts on. */
export interface SourceRecord {
  line: number;
  fields: Record<string, unknown>;
  /** For JSON arrays: the item's 0-based index (several items may share a line). */
  index?: number;
}

/** A row that could not be read; it is counted and reported, never dropped silently. */
export interface SkippedRow {
  line: number;
  reason: string;
  /** The field at fault, when one is (a missing label, a missing text). */
  field?: string;
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
  /** CSV separator; guessed among `,` `;` tab `|` when absent (tab for .tsv). */
  delimiter?: string;
  /**
   * Largest record (a JSONL line, a CSV row, a JSON array item), in bytes; default 64 MiB.
   * A longer JSONL line is skipped and reported; a longer CSV row or JSON item stops the
   * read with an InputError (the rest of the file cannot be trusted).
   */
  maxRecordBytes?: number;
  /**
   * Keep only the first this many characters of every string value (for jobs that only embed
   * or search: an encoder reads far fewer). Each cut goes to `onFieldCut`. With it, a JSONL line
   * longer than `streamLinesOverBytes` is parsed as it is read, never held whole; its limit is
   * then on what it keeps (`maxRecordBytes` characters), not on its length.
   */
  maxFieldChars?: number;
  onFieldCut?: (cut: FieldCut) => void;
  /** With `maxFieldChars`: JSONL lines longer than this are streamed (default 4 MiB). */
  streamLinesOverBytes?: number;
  signal?: AbortSignal;
  /** Bytes read so far and the file size, for progress bars. */
  onBytes?: (done: number, total: number) => void;
}

const MB = 1024 * 1024;
export const DEFAULT_STREAM_LINES_OVER_BYTES = 4 * MB;

/** What readers do to each record's strings: cut them to `max` characters, reporting each cut; or nothing. */
interface FieldCapper {
  max: number;
  cut: (fields: Record<string, unknown>, line: number) => void;
  report: (cut: FieldCut) => void;
}

function fieldCapper(options: ReadOptions): FieldCapper | undefined {
  const max = options.maxFieldChars;
  if (max === undefined) return undefined;
  if (!Number.isInteger(max) || max < 1) throw new InputError(`maxFieldChars must be a positive integer, got ${max}`, { field: 'maxFieldChars' });
  const report = options.onFieldCut ?? (() => undefined);
  return { max, report, cut: (fields, line) => capStrings(fields, max, (field, chars) => report({ line, field, chars })) };
}

/**
 * Streams the records of a CSV, JSONL or JSON-array file in bounded memory. Bad rows
 * (malformed, wrong column count, invalid UTF-8, too long) go to `onSkip` with their line
 * number. Throws InputError (naming the file) when the file cannot be read at all.
 */
export async function* readRecords(file: string, options: ReadOptions = {}): AsyncGenerator<SourceRecord> {
  const format = options.format ?? detectFormat(file);
  const stat = await fs.stat(file).catch(() => {
    throw new InputError('no such file', { file });
  });
  if (!stat.isFile()) throw new InputError('not a file', { file });
  if (stat.size === 0) throw new InputError('the file is empty', { file });
  const skip = options.onSkip ?? (() => undefined);
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_LINE_BYTES;
  const capper = fieldCapper(options);
  const blocks = readLineBlocks<LongJsonLine>(file, {
    maxLineBytes: maxBytes,
    signal: options.signal,
    onBytes: options.onBytes && ((b) => options.onBytes!(b, stat.size)),
    ...(capper && format === 'jsonl'
      ? {
          streamLines: {
            overBytes: options.streamLinesOverBytes ?? DEFAULT_STREAM_LINES_OVER_BYTES,
            open: (line: number) => new LongJsonLineReader(line, capper.max, maxBytes),
          },
        }
      : {}),
  });
  const inner =
    format === 'jsonl'
      ? readJsonl(blocks, skip, maxBytes, capper)
      : format === 'json'
        ? readJsonArray(file, blocks, skip, maxBytes, capper)
        : readCsv(file, blocks, skip, maxBytes, options.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : undefined), capper);
  yield* inner;
}

function tooLong(bytes: number, max: number): string {
  return `the record is ${(bytes / MB).toFixed(1)} MB, over the limit of ${(max / MB).toFixed(1)} MB (raise maxRecordBytes / --max-record-mb)`;
}

async function* readJsonl(
  blocks: AsyncIterable<LineBlock<LongJsonLine>>,
  skip: (r: SkippedRow) => void,
  max: number,
  capper: FieldCapper | undefined,
): AsyncGenerator<SourceRecord> {
  for await (const block of blocks) {
    const lines = block.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (let k = 0; k < lines.length; k++) {
      const line = block.firstLine + k;
      const streamed = block.streamedLines?.get(line);
      if (streamed) {
        if (streamed.kind === 'skip') skip({ line, reason: streamed.reason });
        else if (streamed.kind === 'record') {
          for (const cut of streamed.cuts) capper!.report(cut);
          yield { line, fields: streamed.fields };
        }
        continue;
      }
      const over = block.oversizeLines.get(line);
      if (over !== undefined) {
        skip({ line, reason: tooLong(over, max) });
        continue;
      }
      const bad = block.invalidLines.get(line);
      if (bad) {
        skip({ line, reason: bad });
        continue;
      }
      const text = lines[k];
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
      // no string in a line shorter than the cap can be longer than it
      if (capper && text.length > capper.max) capper.cut(value as Record<string, unknown>, line);
      yield { line, fields: value as Record<string, unknown> };
    }
  }
}

/** Largest JSON file that is not a top-level array (e.g. `{"data": [...]}`) we read whole. */
const MAX_WHOLE_JSON_BYTES = 256 * MB;

async function* readJsonArray(
  file: string,
  blocks: AsyncIterable<LineBlock>,
  skip: (r: SkippedRow) => void,
  max: number,
  capper: FieldCapper | undefined,
): AsyncGenerator<SourceRecord> {
  let notArray = false;
  const scanner = new JsonArrayScanner(
    max,
    (line) => {
      throw new InputError(`a JSON array item is longer than ${(max / MB).toFixed(1)} MB (raise --max-record-mb)`, { file, line });
    },
    () => {
      notArray = true;
      throw new NotArraySignal();
    },
  );
  const invalid = new Map<number, string>();
  const handle = function* (events: Iterable<JsonScanEvent>): Generator<SourceRecord> {
    for (const ev of events) {
      if (ev.kind === 'error') {
        skip({ line: ev.line, reason: ev.reason });
        continue;
      }
      const { item } = ev;
      const bad = firstInRange(invalid, item.line, item.endLine);
      if (bad) {
        skip({ line: bad[0], reason: `item ${item.index}: ${bad[1]}` });
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(item.text);
      } catch (e) {
        skip({ line: item.line, reason: `item ${item.index} is invalid JSON (${(e as Error).message})` });
        continue;
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        skip({ line: item.line, reason: `item ${item.index} is not a JSON object` });
        continue;
      }
      if (capper && item.text.length > capper.max) capper.cut(value as Record<string, unknown>, item.line);
      yield { line: item.line, fields: value as Record<string, unknown>, index: item.index };
    }
  };
  try {
    for await (const block of blocks) {
      for (const [l, r] of block.invalidLines) invalid.set(l, r);
      yield* handle(scanner.feed(block.text));
      for (const l of [...invalid.keys()]) if (l < block.firstLine) invalid.delete(l);
    }
    yield* handle(scanner.end());
  } catch (err) {
    if (!(err instanceof NotArraySignal)) throw err;
  }
  if (!notArray) {
    if (!scanner.sawArray) throw new InputError('the file holds no JSON', { file });
    return;
  }
  // Not a top-level array: accept an object holding one array, read whole up to a limit.
  const size = (await fs.stat(file)).size;
  if (size > MAX_WHOLE_JSON_BYTES)
    throw new InputError(
      `the JSON file is not a top-level array and is over ${MAX_WHOLE_JSON_BYTES / MB} MB; convert it to a JSON array or to JSONL`,
      { file },
    );
  const raw = await fs.readFile(file);
  const badAt = firstInvalidUtf8(raw, 0, raw.length);
  if (badAt >= 0) {
    const line = raw.subarray(0, badAt).toString('latin1').split('\n').length;
    throw new InputError('invalid UTF-8 in a JSON document that is not an array', { file, line });
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`invalid JSON (${(e as Error).message})`, { file });
  }
  const items = value && typeof value === 'object' ? Object.values(value).find(Array.isArray) : undefined;
  if (!items) throw new InputError('expected a JSON array of objects (or an object holding one)', { file });
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      skip({ line: i + 1, reason: `item ${i} is not a JSON object` });
      continue;
    }
    capper?.cut(item as Record<string, unknown>, i + 1);
    yield { line: i + 1, fields: item as Record<string, unknown>, index: i };
  }
}

class NotArraySignal extends Error {}

function firstInRange(m: Map<number, string>, from: number, to: number): [number, string] | undefined {
  if (m.size === 0) return undefined;
  for (let l = from; l <= to; l++) {
    const r = m.get(l);
    if (r) return [l, r];
  }
  return undefined;
}

async function* readCsv(
  file: string,
  blocks: AsyncIterable<LineBlock>,
  skip: (r: SkippedRow) => void,
  max: number,
  delimiter: string | undefined,
  capper: FieldCapper | undefined,
): AsyncGenerator<SourceRecord> {
  let parser: CsvRowParser | undefined;
  let header: string[] | undefined;
  const invalid = new Map<number, string>();
  const onTooLong = (line: number): never => {
    throw new InputError(`a CSV row is longer than ${(max / MB).toFixed(1)} MB; is a quote left open? (raise --max-record-mb)`, {
      file,
      line,
    });
  };
  const handle = function* (rows: Iterable<CsvRow>): Generator<SourceRecord> {
    for (const row of rows) {
      const bad = firstInRange(invalid, row.line, row.endLine);
      if (!header) {
        if (bad) throw new InputError(`the header row has ${bad[1]}`, { file, line: bad[0] });
        header = row.cells.map((h, i) => h.trim() || `column${i + 1}`);
        const seen = new Set<string>();
        for (const h of header) {
          if (seen.has(h)) throw new InputError('the header names this column twice', { file, line: row.line, field: h });
          seen.add(h);
        }
        continue;
      }
      if (bad) {
        skip({ line: bad[0], reason: bad[1] });
        continue;
      }
      if (row.unclosedQuote && row.endLine > row.line) {
        // The rest of the file was read as one cell: skipping it would drop every later row.
        throw new InputError(
          `a quote opened on this line is never closed, so lines ${row.line}–${row.endLine} would be one cell; ` +
            'close the quote, or double a quote that is part of the text ("")',
          { file, line: row.line },
        );
      }
      // A bad row over several lines took them all with it: say which, so none is lost unseen.
      const span = row.endLine > row.line ? `; the row spans lines ${row.line}–${row.endLine}, is a quote on line ${row.line} unbalanced?` : '';
      if (row.problem) {
        skip({ line: row.line, reason: `malformed CSV: ${row.problem}${span}` });
        continue;
      }
      if (row.cells.length !== header.length) {
        const what = row.cells.length < header.length ? `missing ${header.slice(row.cells.length).map((h) => `"${h}"`).join(', ')}` : 'extra cells';
        skip({ line: row.line, reason: `${row.cells.length} columns where the header has ${header.length} (${what}${span})` });
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) fields[header[i]] = row.cells[i];
      capper?.cut(fields, row.line);
      yield { line: row.line, fields };
    }
  };
  for await (const block of blocks) {
    if (block.oversizeLines.size) {
      const [line, bytes] = [...block.oversizeLines][0];
      throw new InputError(`a CSV line is too long: ${tooLong(bytes, max)}`, { file, line });
    }
    parser ??= new CsvRowParser(delimiter ?? guessDelimiter(block.text.slice(0, 65536)), max, onTooLong);
    for (const [l, r] of block.invalidLines) invalid.set(l, r);
    yield* handle(parser.feed(block.text));
    for (const l of [...invalid.keys()]) if (l < parser.currentRowLine) invalid.delete(l);
  }
  if (parser) yield* handle(parser.end());
  if (!header) throw new InputError('the CSV file has no header row', { file });
}
