/**
 * Runs cleaning rules over records in order: `previewCleaning` tells, per rule, how many
 * texts it changed or removed with before/after examples (and the spans each change removed
 * and inserted); `applyCleaning` returns the cleaned records and the same report.
 */
import { checkpoint, type JobOptions } from '../../util/job';
import { InputError } from '../../util/errors';
import { prepareRules, type PreparedRule } from './registry';
import type { CleaningRuleSpec } from './rule';
import { diffOps, type Span } from './text-diff';
import { excerptDiff } from './diff-excerpt';

/** What cleaning needs of a record; other fields ride along untouched. */
export interface CleanableRecord {
  id: string;
  text: string;
}

export interface CleaningExample {
  id: string;
  before: string;
  /** null when the record was removed. */
  after: string | null;
  /** Why it was removed (filters), or the id it duplicates (dedupe). */
  reason?: string;
  /** For a changed text: the spans of `before` the rule removed and of `after` it inserted. */
  removed?: Span[];
  inserted?: Span[];
  /** Spans of the "…" standing for unchanged text left out of `before` and `after`. */
  beforeGaps?: Span[];
  afterGaps?: Span[];
}

export interface RuleReport {
  rule: string;
  description: string;
  options?: Record<string, unknown>;
  /** Texts the rule changed, and records it removed. */
  changed: number;
  removed: number;
  examples: CleaningExample[];
  /** Measured only (`measureOnly`): what the rule would do at its place, not applied. */
  measured?: boolean;
}

export interface RemovedRecord {
  id: string;
  rule: string;
  reason: string;
}

export interface CleaningReport {
  input: number;
  output: number;
  rules: RuleReport[];
  removed: RemovedRecord[];
}

export interface CleaningOptions extends JobOptions {
  /** Before/after examples kept per rule (default 3). */
  examples?: number;
  /**
   * Longest example text kept whole (default 240); longer ones keep a third of it as
   * context on each side of each change, the rest replaced by "…".
   */
  exampleChars?: number;
  /**
   * Parallel to the rules: a rule marked true is measured (its counts and examples, on the
   * texts as the rules before it left them) but not applied. Preview only.
   */
  measureOnly?: readonly boolean[];
}

/** The report of what `rules` would do to `records`, without keeping the cleaned records. */
export async function previewCleaning(
  records: readonly CleanableRecord[],
  rules: readonly CleaningRuleSpec[],
  options: CleaningOptions = {},
): Promise<CleaningReport> {
  return (await runCleaning(records, rules, options)).report;
}

/** Cleans records: returns the records that remain (with cleaned `text`) and the report. */
export async function applyCleaning<T extends CleanableRecord>(
  records: readonly T[],
  rules: readonly CleaningRuleSpec[],
  options: CleaningOptions = {},
): Promise<{ records: T[]; report: CleaningReport }> {
  if (options.measureOnly?.some(Boolean)) throw new InputError('measured-only rules cannot be applied; leave them out', { field: 'measureOnly' });
  return runCleaning(records, rules, options);
}

async function runCleaning<T extends CleanableRecord>(
  input: readonly T[],
  specs: readonly CleaningRuleSpec[],
  options: CleaningOptions,
): Promise<{ records: T[]; report: CleaningReport }> {
  const prepared = prepareRules(specs);
  const maxExamples = options.examples ?? 3;
  const chars = options.exampleChars ?? 240;
  let texts = input.map((r) => r.text);
  let alive = input.map((_, i) => i); // indices into input, in order
  const removed: RemovedRecord[] = [];
  const reports: RuleReport[] = [];
  for (let r = 0; r < prepared.length; r++) {
    const p: PreparedRule = prepared[r];
    const rep: RuleReport = { rule: p.rule.id, description: p.rule.description, changed: 0, removed: 0, examples: [] };
    if (p.spec.options) rep.options = p.spec.options;
    const measureOnly = options.measureOnly?.[r] === true;
    if (measureOnly) rep.measured = true;
    const step = p.step;
    options.onProgress?.({ stage: `clean:${p.rule.id}`, done: r, total: prepared.length });
    if (step.kind === 'transform') {
      for (let k = 0; k < alive.length; k++) {
        const i = alive[k];
        const before = texts[i];
        const after = step.transform(before);
        if (after !== before) {
          if (!measureOnly) texts[i] = after;
          rep.changed++;
          if (rep.examples.length < maxExamples) rep.examples.push({ id: input[i].id, ...excerptDiff(diffOps(before, after), chars, Math.floor(chars / 3)) });
        }
        if (k % 5000 === 4999) await checkpoint(options.signal);
      }
    } else if (step.kind === 'filter') {
      const next: number[] = [];
      for (const i of alive) {
        const reason = step.reject(texts[i]);
        if (reason === undefined || measureOnly) next.push(i);
        if (reason !== undefined) {
          rep.removed++;
          if (!measureOnly) removed.push({ id: input[i].id, rule: p.rule.id, reason });
          if (rep.examples.length < maxExamples) rep.examples.push({ id: input[i].id, before: clip(texts[i], chars), after: null, reason });
        }
      }
      alive = next;
      await checkpoint(options.signal);
    } else {
      const dup = await step.duplicates(
        alive.map((i) => texts[i]),
        options.signal,
      );
      const next: number[] = [];
      alive.forEach((i, k) => {
        const of = dup.get(k);
        if (of === undefined || measureOnly) next.push(i);
        if (of !== undefined) {
          const reason = `duplicate of ${input[alive[of]].id}`;
          rep.removed++;
          if (!measureOnly) removed.push({ id: input[i].id, rule: p.rule.id, reason });
          if (rep.examples.length < maxExamples) rep.examples.push({ id: input[i].id, before: clip(texts[i], chars), after: null, reason });
        }
      });
      alive = next;
    }
    reports.push(rep);
  }
  options.onProgress?.({ stage: 'clean', done: prepared.length, total: prepared.length });
  const out = alive.map((i) => (texts[i] === input[i].text ? input[i] : { ...input[i], text: texts[i] }));
  texts = [];
  return { records: out, report: { input: input.length, output: out.length, rules: reports, removed } };
}

/** The first n − 1 characters and "…", never cutting a surrogate pair in two. */
function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  const end = /[\uD800-\uDBFF]/.test(s[n - 2] ?? '') ? n - 2 : n - 1;
  return s.slice(0, end) + '…';
}
