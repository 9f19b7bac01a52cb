/**
 * A project dataset file, data/<name>.jsonl: one record per line,
 * `{"id": "...", "text": "...", "label"?: "...", "fields": {...}}`, ids unique in the file.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { tempPathFor, commitTempFile } from '../util/fs';
import { removeStaleTempFiles } from '../util/temp-files';
import { readRecords } from '../data/read-records';
import { checkpoint, type JobOptions } from '../util/job';

export interface DatasetRecord {
  id: string;
  text: string;
  label?: string;
  fields: Record<string, unknown>;
}

/** Reads a dataset file; every line must be a valid record (the engine wrote it). */
export async function readDatasetFile(file: string, options: JobOptions = {}): Promise<DatasetRecord[]> {
  const out: DatasetRecord[] = [];
  const problems: string[] = [];
  for await (const rec of readRecords(file, { format: 'jsonl', signal: options.signal, onSkip: (s) => problems.push(`${file}:${s.line}: ${s.reason}`) })) {
    const f = rec.fields;
    if (typeof f.id !== 'string' || f.id === '') throw new InputError('must be a non-empty string', { file, line: rec.line, field: 'id' });
    if (typeof f.text !== 'string') throw new InputError('must be a string', { file, line: rec.line, field: 'text' });
    const r: DatasetRecord = { id: f.id, text: f.text, fields: f.fields && typeof f.fields === 'object' ? (f.fields as Record<string, unknown>) : {} };
    if (typeof f.label === 'string') r.label = f.label;
    out.push(r);
  }
  if (problems.length) throw new InputError(`the dataset file is damaged: ${problems.slice(0, 3).join('; ')}`, { file });
  return out;
}

/** Streams records to a temp file next to `file`; `commit()` fsyncs and renames it into place. */
export class DatasetWriter {
  private readonly tmp: string;
  private readonly stream: ReturnType<typeof createWriteStream>;
  private error?: Error;
  count = 0;

  constructor(private readonly file: string) {
    this.tmp = tempPathFor(file);
    this.stream = createWriteStream(this.tmp, { encoding: 'utf8' });
    this.stream.on('error', (e) => (this.error ??= e));
  }

  /** Opens the temp file; temp files that killed writers left in the folder are removed first. */
  static async open(file: string): Promise<DatasetWriter> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await removeStaleTempFiles(path.dirname(file));
    const w = new DatasetWriter(file);
    await once(w.stream, 'open');
    return w;
  }

  /** Lines are gathered into ~1 MB chunks: one small write per record is slow. */
  private pending: string[] = [];
  private pendingChars = 0;

  async write(record: DatasetRecord): Promise<void> {
    if (this.error) throw this.error;
    const line = JSON.stringify(record) + '\n';
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    if (this.error) throw this.error;
  }

  private finished = false;

  /** Writes out and fsyncs the temp file; `commit()` then only renames it into place. */
  async finish(): Promise<void> {
    if (this.finished) return;
    await this.flush();
    this.stream.end();
    await once(this.stream, 'close');
    if (this.error) throw this.error;
    const h = await fs.open(this.tmp, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    this.finished = true;
  }

  async commit(): Promise<void> {
    await this.finish();
    await commitTempFile(this.tmp, this.file);
  }

  async abort(): Promise<void> {
    if (!this.stream.closed) {
      const closed = once(this.stream, 'close').catch(() => undefined);
      this.stream.destroy();
      await closed;
    }
    await fs.rm(this.tmp, { force: true });
  }
}

/** Rewrites a dataset file atomically with `records`. */
export async function writeDatasetFile(file: string, records: readonly DatasetRecord[], options: JobOptions = {}): Promise<void> {
  const w = await DatasetWriter.open(file);
  try {
    for (let i = 0; i < records.length; i++) {
      await w.write(records[i]);
      if (i % 5000 === 4999) await checkpoint(options.signal);
    }
    await w.commit();
  } catch (err) {
    await w.abort();
    throw err;
  }
}
