/**
 * Runs cleaning rules over records in order: `previewCleaning` tells, per rule, how many
 * texts it changed or removed with a few before/after examples; `applyCleaning` returns
 * the cleaned records and the same report.
 */
import { checkpoint, type JobOptions } from '../../util/job';
import { prepareRules, type PreparedRule } from './registry';
import type { CleaningRuleSpec } from './rule';

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
}

export interface RuleReport {
  rule: string;
  description: string;
  options?: Record<string, unknown>;
  /** Texts the rule changed, and records it removed. */
  changed: number;
  removed: number;
  examples: CleaningExample[];
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
  /** Characters of context shown in an example (default 240). */
  exampleChars?: number;
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
    const step = p.step;
    options.onProgress?.({ stage: `clean:${p.rule.id}`, done: r, total: prepared.length });
    if (step.kind === 'transform') {
      for (let k = 0; k < alive.length; k++) {
        const i = alive[k];
        const before = texts[i];
        const after = step.transform(before);
        if (after !== before) {
          texts[i] = after;
          rep.changed++;
          if (rep.examples.length < maxExamples) rep.examples.push({ id: input[i].id, ...excerpt(before, after, chars) });
        }
        if (k % 5000 === 4999) await checkpoint(options.signal);
      }
    } else if (step.kind === 'filter') {
      const next: number[] = [];
      for (const i of alive) {
        const reason = step.reject(texts[i]);
        if (reason === undefined) next.push(i);
        else {
          rep.removed++;
          removed.push({ id: input[i].id, rule: p.rule.id, reason });
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
        if (of === undefined) next.push(i);
        else {
          const reason = `duplicate of ${input[alive[of]].id}`;
          rep.removed++;
          removed.push({ id: input[i].id, rule: p.rule.id, reason });
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

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/** Before/after around the first difference, so a change deep in a long text shows. */
function excerpt(before: string, after: string, n: number): { before: string; after: string } {
  if (before.length <= n && after.length <= n) return { before, after };
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  const start = Math.max(0, p - Math.floor(n / 3));
  const cut = (s: string) => (start > 0 ? '…' : '') + clip(s.slice(start), n);
  return { before: cut(before), after: cut(after) };
}
