import type { CliCommand } from '../command';
import { jsonOption } from '../command';
import { UsageError } from '../args';
import { importJob } from '../../engine/jobs/import-job';
import { throttleProgress } from '../../engine/util/job';
import { skipLines } from '../skip-lines';

/** Parses repeated `--map new=old` into { new: old }. */
export function parseMappings(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--map takes new=old, got "${v}"`);
    const to = v.slice(0, eq).trim();
    if (to in out) throw new UsageError(`--map gives "${to}" twice`);
    out[to] = v.slice(eq + 1).trim();
  }
  return out;
}

/** `embedlab import <file> --project <dir> --text "<template>"`: a dataset into a project. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a CSV/TSV/JSONL/JSON file into a project as a dataset (streaming; bad rows reported by line)',
  usage:
    'embedlab import <file> --project <dir> [--name <dataset>] --text "<template>" [--label <field>] [--id <field>] [--map new=old ...] [--json]',
  options: [
    { name: 'project', kind: 'string', description: 'project folder (made with `embedlab init`)' },
    { name: 'name', kind: 'string', description: 'dataset name (default: the file name)' },
    { name: 'text', kind: 'string', description: 'text template, e.g. "{title}. {description}" (default: the project\'s)' },
    { name: 'label', kind: 'string', description: 'field holding a label (rows without it are skipped)' },
    { name: 'id', kind: 'string', description: 'field holding unique ids (default: line numbers)' },
    { name: 'map', kind: 'string', repeatable: true, description: 'rename a field: new=old (repeatable); applies before --text/--label/--id' },
    { name: 'format', kind: 'string', description: 'file format (default: from the extension)', choices: ['csv', 'jsonl', 'json'] },
    { name: 'delimiter', kind: 'string', description: 'CSV separator, e.g. ";" or "\\t" (default: guessed)' },
    { name: 'max-record-mb', kind: 'number', description: 'largest record in MB', default: 64 },
    { name: 'replace', kind: 'boolean', description: 'replace a dataset of the same name' },
    { name: 'show-skipped', kind: 'number', description: 'skipped rows to list (text output)', default: 10 },
    jsonOption,
  ],
  async run(ctx) {
    const [file, extra] = ctx.args.positionals;
    const o = ctx.args.options;
    if (!file) throw new UsageError('missing the input file');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    if (typeof o.project !== 'string') throw new UsageError('missing --project <dir>');
    const delimiter = typeof o.delimiter === 'string' ? (o.delimiter === '\\t' || o.delimiter === 'tab' ? '\t' : o.delimiter) : undefined;
    if (delimiter !== undefined && delimiter.length !== 1) throw new UsageError(`--delimiter must be one character, got "${delimiter}"`);
    const maxMb = Number(o['max-record-mb']);
    if (!(maxMb > 0)) throw new UsageError('--max-record-mb must be positive');
    const started = performance.now();
    const report = await importJob(
      {
        projectDir: o.project,
        file,
        name: typeof o.name === 'string' ? o.name : undefined,
        template: typeof o.text === 'string' ? o.text : undefined,
        label: typeof o.label === 'string' ? o.label : undefined,
        idField: typeof o.id === 'string' ? o.id : undefined,
        mapping: parseMappings(Array.isArray(o.map) ? o.map : []),
        format: o.format as 'csv' | 'jsonl' | 'json' | undefined,
        delimiter,
        maxRecordBytes: Math.round(maxMb * 1024 * 1024),
        replace: o.replace === true,
      },
      { signal: ctx.signal, onProgress: throttleProgress((p) => ctx.log(`${p.stage} ${(p.done / 1e6).toFixed(1)}/${(p.total / 1e6).toFixed(1)} MB`), 1000) },
    );
    const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
    if (o.json) {
      ctx.stdout(
        JSON.stringify({
          dataset: report.dataset.name,
          file: report.dataset.file,
          imported: report.imported,
          skipped: report.skipped,
          skippedByReason: report.skippedByReason,
          skippedRows: report.skippedRows,
          seconds,
        }),
      );
      return 0;
    }
    const lines = [`imported ${report.imported} records into dataset "${report.dataset.name}" (${report.dataset.file}) in ${seconds} s`];
    lines.push(...skipLines(file, report, Number(o['show-skipped'])));
    ctx.stdout(lines.join('\n'));
    return 0;
  },
};
