import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { jsonOption } from '../command';
import { UsageError } from '../args';
import { loadTexts } from '../../engine/data/load-texts';
import { applyCleaning, previewCleaning, type CleaningReport } from '../../engine/data/cleaning/apply';
import type { CleaningRuleSpec } from '../../engine/data/cleaning/rule';
import { findCleaningRule } from '../../engine/data/cleaning/registry';
import { openProject, findDataset, datasetPath, updateProject } from '../../engine/project/store';
import { readDatasetFile, writeDatasetFile, type DatasetRecord } from '../../engine/project/dataset-file';
import { throttleProgress } from '../../engine/util/job';

/** `--strip` values: rule ids, and `dates-inline` for the dates rule with `inline: true` (dates inside sentences too). */
const STRIPPABLE = ['dates', 'dates-inline', 'emails', 'phones', 'urls', 'signoffs'] as const;
const STRIP_HELP = `${STRIPPABLE.join(',')}, defaults (the rules on by default) or all (every rule but dates-inline)`;

/** Builds rule specs from the CLI flags, in the engine's canonical order. */
export function rulesFromFlags(o: Record<string, unknown>): CleaningRuleSpec[] {
  const strip = new Set<string>();
  for (const part of String(o.strip ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part === 'all') STRIPPABLE.filter((s) => s !== 'dates-inline').forEach((s) => strip.add(s));
    else if (part === 'defaults') STRIPPABLE.filter((s) => findCleaningRule(s)?.defaultOn).forEach((s) => strip.add(s));
    else if (!(STRIPPABLE as readonly string[]).includes(part)) throw new UsageError(`--strip takes ${STRIP_HELP}; got "${part}"`);
    else strip.add(part);
  }
  const rules: CleaningRuleSpec[] = [];
  if (strip.has('signoffs')) rules.push({ rule: 'signoffs' });
  const patterns = Array.isArray(o.pattern) ? (o.pattern as string[]) : [];
  if (patterns.length) rules.push({ rule: 'patterns', options: { patterns } });
  for (const r of ['urls', 'emails', 'phones']) if (strip.has(r)) rules.push({ rule: r });
  if (strip.has('dates-inline')) rules.push({ rule: 'dates', options: { inline: true } });
  else if (strip.has('dates')) rules.push({ rule: 'dates' });
  if (o.whitespace !== false) rules.push({ rule: 'whitespace' });
  if (o['min-words'] !== undefined) {
    const n = Number(o['min-words']);
    if (!Number.isInteger(n) || n < 0) throw new UsageError('--min-words must be a whole number ≥ 0');
    rules.push({ rule: 'min-words', options: { min: n } });
  }
  if (o.dedupe === 'exact') rules.push({ rule: 'dedupe-exact' });
  else if (o.dedupe === 'near')
    rules.push({ rule: 'dedupe-near', options: o['near-threshold'] !== undefined ? { threshold: Number(o['near-threshold']) } : {} });
  return rules;
}

function anyRuleFlag(o: Record<string, unknown>): boolean {
  return ['strip', 'pattern', 'min-words', 'dedupe'].some((k) => o[k] !== undefined);
}

/** `embedlab clean <file-or-dataset> …`: preview or apply cleaning rules. */
export const cleanCommand: CliCommand = {
  name: 'clean',
  summary: 'Preview or apply cleaning rules (dates, e-mails, phones, URLs, sign-offs, patterns, short texts, duplicates)',
  usage:
    'embedlab clean <file-or-dataset> [--project <dir>] [--text "<template>"] [--strip defaults|all|dates,dates-inline,emails,phones,urls,signoffs] [--pattern <regex> ...] [--min-words N] [--dedupe exact|near] [--preview | --apply [--out <file.jsonl>]] [--json]',
  options: [
    { name: 'project', kind: 'string', description: 'project folder; the argument is then a dataset name (or a file)' },
    { name: 'text', kind: 'string', description: 'text template, for a data file (not a dataset)' },
    { name: 'label', kind: 'string', description: 'label field to keep, for a data file' },
    { name: 'strip', kind: 'string', description: `comma list of ${STRIP_HELP}; dates removes boilerplate (Publié le …, datelines, bylines at the start or end), dates-inline every date` },
    { name: 'pattern', kind: 'string', repeatable: true, description: 'regular expression to strip, e.g. "\\b[SDF]\\d{1,2}\\b" (repeatable)' },
    { name: 'whitespace', kind: 'boolean', description: 'normalise whitespace (--whitespace=false to keep it as is)', default: true },
    { name: 'min-words', kind: 'number', description: 'remove texts with fewer words' },
    { name: 'dedupe', kind: 'string', description: 'remove duplicates', choices: ['exact', 'near'] },
    { name: 'near-threshold', kind: 'number', description: 'Jaccard threshold of --dedupe near (default 0.8)' },
    { name: 'preview', kind: 'boolean', description: 'report what the rules would change (the default)' },
    { name: 'apply', kind: 'boolean', description: 'write the cleaned records: the dataset in place, or --out for a file' },
    { name: 'out', kind: 'string', description: 'output JSONL when cleaning a file with --apply' },
    { name: 'examples', kind: 'number', description: 'before/after examples per rule', default: 3 },
    jsonOption,
  ],
  async run(ctx) {
    const [target, extra] = ctx.args.positionals;
    const o = ctx.args.options;
    if (!target) throw new UsageError('missing the file or dataset to clean');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    if (o.preview && o.apply) throw new UsageError('give --preview or --apply, not both');
    const isFile = await fs.stat(target).then((s) => s.isFile(), () => false);
    const project = typeof o.project === 'string' ? await openProject(o.project) : undefined;
    if (!isFile && !project) throw new UsageError(`"${target}" is not a file; to clean a dataset, add --project <dir>`);
    if (o.apply && isFile && typeof o.out !== 'string') throw new UsageError('--apply on a file needs --out <file.jsonl> (the input is never overwritten)');
    let rules = rulesFromFlags(o);
    if (!anyRuleFlag(o) && project && project.config.cleaning.length) rules = project.config.cleaning;
    if (!anyRuleFlag(o) && !(project && project.config.cleaning.length))
      ctx.log('no rule given: only whitespace normalisation (see --strip, --pattern, --min-words, --dedupe)');

    let records: DatasetRecord[];
    let source: string;
    if (isFile) {
      if (typeof o.text !== 'string') throw new UsageError('missing --text "<template>" to build the texts of the file');
      const loaded = await loadTexts(target, { template: o.text, label: typeof o.label === 'string' ? o.label : undefined, signal: ctx.signal });
      if (loaded.skipped.length) ctx.log(`skipped ${loaded.skipped.length} unreadable rows (first: line ${loaded.skipped[0].line}: ${loaded.skipped[0].reason})`);
      records = loaded.texts.map((text, i) => ({ id: loaded.ids[i], text, ...(loaded.labels ? { label: loaded.labels[i] } : {}), fields: loaded.records[i] }));
      source = target;
    } else {
      const dataset = findDataset(project!, target);
      source = datasetPath(project!, dataset);
      records = await readDatasetFile(source, { signal: ctx.signal });
    }
    const onProgress = throttleProgress((p) => ctx.log(`${p.stage} ${p.done}/${p.total}`), 1000);
    const cleanOptions = { examples: Number(o.examples), signal: ctx.signal, onProgress };
    let report: CleaningReport;
    let written: string | undefined;
    if (o.apply) {
      const res = await applyCleaning(records, rules, cleanOptions);
      report = res.report;
      if (isFile) {
        if (typeof o.out !== 'string') throw new UsageError('--apply on a file needs --out <file.jsonl>');
        if (path.resolve(o.out) === path.resolve(target)) throw new UsageError('--out must differ from the input file');
        await writeDatasetFile(o.out, res.records, { signal: ctx.signal });
        written = o.out;
      } else {
        await writeDatasetFile(source, res.records, { signal: ctx.signal });
        await updateProject(project!.dir, (c) => {
          c.cleaning = rules;
          const d = c.datasets.find((x) => x.name === target);
          if (d) {
            d.count = res.records.length;
            Object.assign(d, { cleaning: rules, cleanedAt: new Date().toISOString() });
          }
        });
        written = source;
      }
    } else report = await previewCleaning(records, rules, cleanOptions);

    if (o.json) {
      const { removed, ...rest } = report;
      ctx.stdout(JSON.stringify({ source, mode: o.apply ? 'apply' : 'preview', specs: rules, ...rest, removedCount: removed.length, removed: removed.slice(0, 1000), ...(written ? { written } : {}) }));
      return 0;
    }
    const lines = [`${o.apply ? 'cleaned' : 'preview of'} ${source}: ${report.input} records → ${report.output}`];
    for (const r of report.rules) {
      lines.push(`\n[${r.rule}] changed ${r.changed}, removed ${r.removed}  — ${r.description}`);
      for (const e of r.examples) {
        lines.push(`  ${e.id}: ${JSON.stringify(e.before)}`);
        lines.push(`    → ${e.after === null ? `removed (${e.reason})` : JSON.stringify(e.after)}`);
      }
    }
    if (written) lines.push(`\nwrote ${report.output} records to ${written}`);
    else lines.push('\n(preview only: add --apply to write)');
    ctx.stdout(lines.join('\n'));
    return 0;
  },
};
