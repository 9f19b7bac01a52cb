/**
 * Imports a CSV / JSONL / JSON file into a project as data/<name>.jsonl, streaming (one
 * record in memory at a time), with field renames, a text template, an optional label and
 * id field. Bad rows are counted by reason and reported with their line; the dataset file
 * and project.json are only replaced once the whole import succeeded, together, under the
 * project lock.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { resolveInside } from '../util/paths';
import { MAX_NAME_LENGTH } from '../util/names';
import { checkpoint, throttleProgress, type JobOptions } from '../util/job';
import { readRecords, detectFormat, type DataFormat } from '../data/read-records';
import { SkipTally, type SkipReport } from '../data/skip-report';
import { compileTemplate } from '../data/template';
import { openProject, updateProject, checkDatasetName, projectPaths } from './store';
import { DatasetWriter } from './dataset-file';
import type { DatasetEntry } from './schema';

export interface ImportDatasetOptions extends JobOptions {
  /** Dataset name; default: the file name without extension. */
  name?: string;
  /** Text template such as "{title}. {description}"; default: the project's template. */
  template?: string;
  label?: string;
  /** Field holding stable unique ids; default: the row's line number (item number for JSON arrays). */
  idField?: string;
  /** Renames: new field name → source field name, applied before template/label/id. */
  mapping?: Record<string, string>;
  format?: DataFormat;
  delimiter?: string;
  maxRecordBytes?: number;
  /** Keep records whose text is empty (default: skip and count them). */
  keepEmpty?: boolean;
  /** Replace an existing dataset of the same name (default: refuse). */
  replace?: boolean;
  /** How many skipped rows are listed one by one (default 1000; all are counted). */
  maxListedSkips?: number;
}

/** Rows not imported are counted in total and by reason (reasons without their details), the first listed. */
export interface ImportReport extends SkipReport {
  dataset: DatasetEntry;
  imported: number;
}

export async function importDataset(projectDir: string, file: string, options: ImportDatasetOptions = {}): Promise<ImportReport> {
  const project = await openProject(projectDir);
  const name = options.name ?? path.basename(file).replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_');
  if (options.name === undefined && name.length > MAX_NAME_LENGTH)
    throw new InputError(`the file name gives the dataset name "${name.slice(0, 40)}…" of ${name.length} characters (at most ${MAX_NAME_LENGTH}): choose one with --name`, { field: 'name' });
  checkDatasetName(name);
  if (!options.replace && project.config.datasets.some((d) => d.name === name))
    throw new InputError(`a dataset "${name}" already exists in the project (choose another --name, or add --replace)`, { field: 'name' });
  const format = options.format ?? detectFormat(file);
  const templateSource = options.template ?? project.config.template;
  const template = compileTemplate(templateSource);
  const mapping = options.mapping ?? {};
  for (const [to, from] of Object.entries(mapping)) {
    if (!to || !from) throw new InputError(`a mapping must read new=old, got "${to}=${from}"`, { field: 'map' });
  }
  const rel = `data/${name}.jsonl`;
  const out = resolveInside(projectPaths(projectDir).dir, rel, 'name');
  const skips = new SkipTally(options.maxListedSkips ?? 1000);
  const skip = skips.add;
  const seenFields = new Set<string>();
  const seenSource = new Set<string>();
  const ids = new Map<string, number>();
  const progress = throttleProgress(options.onProgress);
  const writer = await DatasetWriter.open(out);
  let entry: DatasetEntry;
  let rows = 0;
  try {
    for await (const rec of readRecords(file, {
      format,
      delimiter: options.delimiter,
      maxRecordBytes: options.maxRecordBytes,
      signal: options.signal,
      onSkip: skip,
      onBytes: (done, total) => progress({ stage: 'import', done, total }),
    })) {
      rows++;
      const fields = applyMapping(rec.fields, mapping, seenSource);
      for (const k of Object.keys(fields)) seenFields.add(k);
      const missing = template.fields.filter((f) => fields[f] === undefined || fields[f] === null);
      if (missing.length === template.fields.length) {
        skip({ line: rec.line, reason: `no value for ${missing.map((f) => `"${f}"`).join(', ')}` });
        continue;
      }
      const text = template.render(fields, { file, line: rec.line });
      if (!options.keepEmpty && template.isEmpty(fields)) {
        skip({ line: rec.line, reason: 'empty text' });
        continue;
      }
      let label: string | undefined;
      if (options.label) {
        const v = fields[options.label];
        if (v === undefined || v === null || String(v).trim() === '') {
          skip({ line: rec.line, reason: `no value for the label "${options.label}"` });
          continue;
        }
        label = String(v);
      }
      // Default ids: the line (CSV, JSONL) or the item number (JSON arrays, where items may share a line).
      let id = rec.index !== undefined ? String(rec.index + 1) : String(rec.line);
      if (options.idField) {
        const v = fields[options.idField];
        if (v === undefined || v === null || String(v).trim() === '') {
          skip({ line: rec.line, reason: `no value for the id field "${options.idField}"` });
          continue;
        }
        id = String(v);
      }
      if (options.idField) {
        // Line and item numbers are unique by construction; only given ids are checked
        // (this map is the one thing that grows with the file: ~100 bytes per record).
        const first = ids.get(id);
        if (first !== undefined) {
          skip({ line: rec.line, reason: `duplicate id "${id}" (first on line ${first})` });
          continue;
        }
        ids.set(id, rec.line);
      }
      await writer.write(label === undefined ? { id, text, fields } : { id, text, label, fields });
      if (rows % 2000 === 0) await checkpoint(options.signal);
    }
    if (rows > 0) {
      const known = [...seenFields].join(', ');
      for (const [to, from] of Object.entries(mapping))
        if (!seenSource.has(from)) throw new InputError(`the mapping ${to}=${from} names a field no record has; fields are ${known}`, { file, field: from });
      for (const f of template.fields)
        if (!seenFields.has(f)) throw new InputError(`the template names a field that no record has; fields are ${known}`, { file, field: f });
      if (options.label && !seenFields.has(options.label))
        throw new InputError(`no record has the label field; fields are ${known}`, { file, field: options.label });
      if (options.idField && !seenFields.has(options.idField))
        throw new InputError(`no record has the id field; fields are ${known}`, { file, field: options.idField });
    }
    if (writer.count === 0) {
      const listed = skips.rows;
      const why = listed.length ? `; ${skips.count} rows skipped, first on line ${listed[0].line}: ${listed[0].reason}` : '';
      throw new InputError(`no record could be imported${why}`, { file });
    }
    await writer.finish();
    entry = {
      name,
      file: rel,
      source: file,
      mapping,
      template: templateSource,
      ...(options.label ? { label: options.label } : {}),
      ...(options.idField ? { idField: options.idField } : {}),
      count: writer.count,
      skipped: skips.count,
      importedAt: new Date().toISOString(),
    };
    const added = entry;
    // The data file is put in place and listed under the project lock, so that imports
    // running at once neither lose each other's entries nor replace each other's file.
    await updateProject(projectDir, async (c) => {
      if (!options.replace && c.datasets.some((d) => d.name === name))
        throw new InputError(`a dataset "${name}" was added to the project while this import ran (choose another --name, or add --replace)`, { field: 'name' });
      await writer.commit();
      c.datasets = c.datasets.filter((d) => d.name !== name);
      c.datasets.push(added);
    });
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return { dataset: entry, imported: writer.count, ...skips.result() };
}

/** Applies renames (new ← old); the old name disappears unless it is itself a target. */
function applyMapping(fields: Record<string, unknown>, mapping: Record<string, string>, seenSource: Set<string>): Record<string, unknown> {
  const entries = Object.entries(mapping);
  if (entries.length === 0) return fields;
  const out: Record<string, unknown> = { ...fields };
  for (const [, from] of entries) if (from in fields) {
    seenSource.add(from);
    delete out[from];
  }
  for (const [to, from] of entries) if (from in fields) out[to] = fields[from];
  return out;
}
