import * as path from 'node:path';
import { InputError } from '../util/errors';
import { readRecords, type SkippedRow, type DataFormat } from './read-records';
import { compileTemplate } from './template';
import { fieldText } from './field-values';
import type { FieldCut } from './field-cap';
import type { JobOptions } from '../util/job';

/** The texts of a data file, built from a template, with optional labels. */
export interface LoadedTexts {
  file: string;
  ids: string[];
  texts: string[];
  /** The line each text starts on in the file. */
  lines: number[];
  /** The label field's value per text, when a label field was named. */
  labels?: string[];
  /** The source records, for fields other than the text (shown in hover, exported). */
  records: Record<string, unknown>[];
  skipped: SkippedRow[];
  /** With `maxFieldChars`: the texts kept whose template fields were cut to that many characters. */
  cutTexts?: { count: number; maxChars: number };
}

export interface LoadTextsOptions extends JobOptions {
  template: string;
  label?: string;
  format?: DataFormat;
  /**
   * Keep rows whose text is empty, i.e. every template field absent or only whitespace
   * (default: skip and count them). A text such as "." is never empty.
   */
  keepEmpty?: boolean;
  /** Called with each skipped row as it is found (it may throw to stop the read, e.g. for --strict). */
  onSkip?: (row: SkippedRow) => void;
  /** CSV separator (default: guessed). */
  delimiter?: string;
  /** Largest record in bytes (default 64 MiB); see `ReadOptions.maxRecordBytes`. */
  maxRecordBytes?: number;
  /**
   * Cut every field to this many characters as it is read (see `ReadOptions.maxFieldChars`), for
   * jobs that only embed or search; never for texts a project keeps. Counted in `cutTexts`.
   */
  maxFieldChars?: number;
  /** See `ReadOptions.streamLinesOverBytes`. */
  streamLinesOverBytes?: number;
}

/**
 * One line for the user: "1 text longer than 1,000,000 characters was cut to its first 1,000,000
 * for clustering".
 */
export function describeCutTexts(cut: { count: number; maxChars: number }, purpose: string): string {
  const max = cut.maxChars.toLocaleString('en-US');
  return cut.count === 1
    ? `1 text longer than ${max} characters was cut to its first ${max} for ${purpose}`
    : `${cut.count.toLocaleString('en-US')} texts longer than ${max} characters were cut to their first ${max} for ${purpose}`;
}

/**
 * Reads a data file into texts. A template field or label missing from every record is an
 * error that names the file and field; a row missing it is counted as skipped.
 */
export async function loadTexts(file: string, options: LoadTextsOptions): Promise<LoadedTexts> {
  const template = compileTemplate(options.template);
  const out: LoadedTexts = { file, ids: [], texts: [], lines: [], records: [], skipped: [] };
  if (options.label) out.labels = [];
  const skip = (row: SkippedRow) => {
    options.onSkip?.(row);
    out.skipped.push(row);
  };
  const seenFields = new Set<string>();
  let rows = 0;
  // the cuts of the record about to be yielded (readRecords reports them first)
  let cuts: FieldCut[] = [];
  let cutTexts = 0;
  const textFields = new Set(template.fields);
  for await (const rec of readRecords(file, {
    format: options.format,
    delimiter: options.delimiter,
    maxRecordBytes: options.maxRecordBytes,
    maxFieldChars: options.maxFieldChars,
    streamLinesOverBytes: options.streamLinesOverBytes,
    onFieldCut: (cut) => cuts.push(cut),
    signal: options.signal,
    onSkip: skip,
  })) {
    rows++;
    const textCut = cuts.some((c) => c.line === rec.line && textFields.has(c.field));
    cuts = [];
    for (const k of Object.keys(rec.fields)) seenFields.add(k);
    const missing = template.fields.filter((f) => rec.fields[f] === undefined || rec.fields[f] === null);
    if (missing.length === template.fields.length) {
      skip({ line: rec.line, reason: `no value for ${missing.map((f) => `"${f}"`).join(', ')}`, field: missing[0] });
      continue;
    }
    const text = template.render(rec.fields, { file, line: rec.line });
    if (!options.keepEmpty && template.isEmpty(rec.fields)) {
      skip({ line: rec.line, reason: 'empty text' });
      continue;
    }
    if (options.label) {
      const lab = fieldText(rec.fields[options.label], { file, line: rec.line, field: options.label });
      if (lab === undefined || lab.trim() === '') {
        skip({ line: rec.line, reason: `no value for the label "${options.label}"`, field: options.label });
        continue;
      }
      out.labels!.push(lab);
    }
    const id = fieldText(rec.fields.id ?? rec.fields._id, { file, line: rec.line, field: rec.fields.id === undefined ? '_id' : 'id' });
    // Fallback ids: file:line, or file:item number for JSON arrays (items may share a line).
    const where = rec.index !== undefined ? rec.index + 1 : rec.line;
    out.ids.push(id === undefined ? `${path.basename(file)}:${where}` : id);
    out.texts.push(text);
    if (textCut) cutTexts++;
    out.lines.push(rec.line);
    out.records.push(rec.fields);
    if (rows % 5000 === 0) options.onProgress?.({ stage: 'read', done: rows, total: 0 });
  }
  if (options.maxFieldChars !== undefined && cutTexts > 0) out.cutTexts = { count: cutTexts, maxChars: options.maxFieldChars };
  if (rows > 0) {
    for (const f of template.fields)
      if (!seenFields.has(f))
        throw new InputError(`the template names a field that no record has; fields are ${[...seenFields].join(', ')}`, {
          file,
          field: f,
        });
    if (options.label && !seenFields.has(options.label))
      throw new InputError(`no record has the label field; fields are ${[...seenFields].join(', ')}`, {
        file,
        field: options.label,
      });
  }
  if (out.texts.length === 0) {
    const why = out.skipped.length ? `; ${out.skipped.length} rows skipped, first at line ${out.skipped[0].line}: ${out.skipped[0].reason}` : '';
    throw new InputError(`no usable records${why}`, { file });
  }
  return out;
}
