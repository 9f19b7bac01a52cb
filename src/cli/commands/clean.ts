import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { jsonOption } from '../command';
import { UsageError } from '../args';
import type { CleaningRuleSpec } from '../../engine/data/cleaning/rule';
import { findCleaningRule } from '../../engine/data/cleaning/registry';
import { throttleProgress } from '../../engine/util/job';
import { cleanJob } from '../../engine/jobs/clean-job';
import { CLEAN_DEFAULTS } from '../../engine/defaults';

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
    { name: 'examples', kind: 'number', description: 'before/after examples per rule', default: CLEAN_DEFAULTS.examples },
    jsonOption,
  ],
  async run(ctx) {
    const [target, extra] = ctx.args.positionals;
    const o = ctx.args.options;
    if (!target) throw new UsageError('missing the file or dataset to clean');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    if (o.preview && o.apply) throw new UsageError('give --preview or --apply, not both');
    const isFile = await fs.stat(target).then((s) => s.isFile(), () => false);
    const projectDir = typeof o.project === 'string' ? o.project : undefined;
    if (!isFile && projectDir === undefined) throw new UsageError(`"${target}" is not a file; to clean a dataset, add --project <dir>`);
    if (o.apply && isFile && typeof o.out !== 'string') throw new UsageError('--apply on a file needs --out <file.jsonl> (the input is never overwritten)');
    if (o.apply && isFile && path.resolve(String(o.out)) === path.resolve(target)) throw new UsageError('--out must differ from the input file');
    if (isFile && typeof o.text !== 'string') throw new UsageError('missing --text "<template>" to build the texts of the file');
    const ruleFlags = anyRuleFlag(o);
    const rules = rulesFromFlags(o);
    const source = isFile
      ? { file: target, template: String(o.text), label: typeof o.label === 'string' ? o.label : undefined, out: typeof o.out === 'string' ? o.out : undefined }
      : { dataset: target };
    const report = await cleanJob(
      { projectDir, ...source, rules, useSavedRules: !ruleFlags, apply: o.apply === true, examples: Number(o.examples), removedLimit: 1000 },
      { signal: ctx.signal, onProgress: throttleProgress((p) => ctx.log(`${p.stage} ${p.done}/${p.total}`), 1000) },
    );
    if (report.skipped.length) ctx.log(`skipped ${report.skipped.length} unreadable rows (first: line ${report.skipped[0].line}: ${report.skipped[0].reason})`);
    if (!ruleFlags && !report.rulesFromProject) ctx.log('no rule given: only whitespace normalisation (see --strip, --pattern, --min-words, --dedupe)');

    if (o.json) {
      const { removed, removedCount, applied: _applied, source: _source, specs, rulesFromProject: _fromProject, written, skipped: _skipped, ...rest } = report;
      ctx.stdout(JSON.stringify({ source: report.source, mode: o.apply ? 'apply' : 'preview', specs, ...rest, removedCount, removed, ...(written ? { written } : {}) }));
      return 0;
    }
    const lines = [`${o.apply ? 'cleaned' : 'preview of'} ${report.source}: ${report.input} records → ${report.output}`];
    for (const r of report.rules) {
      lines.push(`\n[${r.rule}] changed ${r.changed}, removed ${r.removed}  — ${r.description}`);
      for (const e of r.examples) {
        lines.push(`  ${e.id}: ${JSON.stringify(e.before)}`);
        lines.push(`    → ${e.after === null ? `removed (${e.reason})` : JSON.stringify(e.after)}`);
      }
    }
    if (report.written) lines.push(`\nwrote ${report.output} records to ${report.written}`);
    else lines.push('\n(preview only: add --apply to write)');
    ctx.stdout(lines.join('\n'));
    return 0;
  },
};
