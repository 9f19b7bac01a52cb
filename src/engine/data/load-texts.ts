import * as path from 'node:path';
import { InputError } from '../util/errors';
import { readRecords, type SkippedRow, type DataFormat } from './read-records';
import { compileTemplate } from './template';
import type { JobOptions } from '../util/job';

/** The texts of a data file, built from a template, with optional labels. */
export interface LoadedTexts {
  file: string;
  ids: string[];
  texts: string[];
  /** The label field's value per text, when a label field was named. */
  labels?: string[];
  /** The source records, for fields other than the text (shown in hover, exported). */
  records: Record<string, unknown>[];
  skipped: SkippedRow[];
}

export interface LoadTextsOptions extends JobOptions {
  template: string;
  label?: string;
  format?: DataFormat;
  /** Keep rows whose rendered text is empty (default: skip and count them). */
  keepEmpty?: boolean;
  /** CSV separator (default: guessed). */
  delimiter?: string;
  /** Largest record in bytes (default 64 MiB); see `ReadOptions.maxRecordBytes`. */
  maxRecordBytes?: number;
}

/**
 * Reads a data file into texts. A template field or label missing from every record is an
 * error that names the file and field; a row missing it is counted as skipped.
 */
export async function loadTexts(file: string, options: LoadTextsOptions): Promise<LoadedTexts> {
  const template = compileTemplate(options.template);
  const out: LoadedTexts = { file, ids: [], texts: [], records: [], skipped: [] };
  if (options.label) out.labels = [];
  const seenFields = new Set<string>();
  let rows = 0;
  for await (const rec of readRecords(file, {
    format: options.format,
    delimiter: options.delimiter,
    maxRecordBytes: options.maxRecordBytes,
    signal: options.signal,
    onSkip: (s) => out.skipped.push(s),
  })) {
    rows++;
    for (const k of Object.keys(rec.fields)) seenFields.add(k);
    const missing = template.fields.filter((f) => rec.fields[f] === undefined || rec.fields[f] === null);
    if (missing.length === template.fields.length) {
      out.skipped.push({ line: rec.line, reason: `no value for ${missing.map((f) => `"${f}"`).join(', ')}` });
      continue;
    }
    const text = template.render(rec.fields);
    if (!options.keepEmpty && !hasWords(text)) {
      out.skipped.push({ line: rec.line, reason: 'empty text' });
      continue;
    }
    if (options.label) {
      const lab = rec.fields[options.label];
      if (lab === undefined || lab === null || String(lab).trim() === '') {
        out.skipped.push({ line: rec.line, reason: `no value for the label "${options.label}"` });
        continue;
      }
      out.labels!.push(String(lab));
    }
    const id = rec.fields.id ?? rec.fields._id;
    // Fallback ids: file:line, or file:item number for JSON arrays (items may share a line).
    const where = rec.index !== undefined ? rec.index + 1 : rec.line;
    out.ids.push(id === undefined || id === null ? `${path.basename(file)}:${where}` : String(id));
    out.texts.push(text);
    out.records.push(rec.fields);
    if (rows % 5000 === 0) options.onProgress?.({ stage: 'read', done: rows, total: 0 });
  }
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

/** True when a text has a letter or a digit: "" and ". " (a template over empty fields) do not. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
