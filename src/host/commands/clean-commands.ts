/** Clean Data: choose rules, preview their effect (a Markdown report), then apply. */
import * as vscode from 'vscode';
import type { CommandFactory } from './types';
import { pickProject, pickDataset, showError } from './args';
import type { CleaningRuleSpec } from '../../engine/data/cleaning/rule';
import { findCleaningRule } from '../../engine/data/cleaning/registry';
import type { CleanJobResult } from '../../engine/jobs/clean-job';

interface RuleChoice extends vscode.QuickPickItem {
  build(): Promise<CleaningRuleSpec | undefined>;
}

/** Picked when the engine's rule is on by default (rules that can cut text inside sentences are not). */
const simple = (rule: string, label: string, detail: string): RuleChoice => ({
  label,
  detail,
  picked: findCleaningRule(rule)?.defaultOn ?? false,
  build: async () => ({ rule }),
});

/** The rule choices, in the engine's canonical order. */
function ruleChoices(): RuleChoice[] {
  return [
    simple('signoffs', 'Strip sign-offs and mail layout', 'Cordialement, Bonne journée, Best regards…'),
    {
      label: 'Strip patterns…',
      detail: 'regular expressions you give, e.g. regional codes \\b[SDF]\\d{1,2}\\b',
      build: async () => {
        const value = await vscode.window.showInputBox({ title: 'Patterns to strip (regular expressions, separated by spaces)', value: '\\b[SDF]\\d{1,2}\\b' });
        const patterns = value?.split(/\s+/).filter(Boolean) ?? [];
        return patterns.length ? { rule: 'patterns', options: { patterns } } : undefined;
      },
    },
    simple('urls', 'Strip URLs', 'http(s)://… and www.…'),
    simple('emails', 'Strip e-mail addresses', 'name@example.org'),
    simple('phones', 'Strip phone numbers', '+33 6 12 34 56 78, 01 23 45 67 89, (212) 555-0123, after Tél./phone; amounts stay. Cuts inside sentences'),
    simple('dates', 'Strip date boilerplate', 'Publié le … à …, Updated …, datelines, bylines at the start or end; dates inside sentences stay'),
    {
      label: 'Strip every date and hour',
      detail: 'also inside sentences: "le 3 juillet 1869" and "de 8 heures à 23 heures" go too (cuts content)',
      picked: false,
      build: async () => ({ rule: 'dates', options: { inline: true } }),
    },
    simple('whitespace', 'Normalise whitespace', 'runs of spaces, line breaks'),
    {
      label: 'Minimum words…',
      detail: 'remove texts with fewer words',
      build: async () => {
        const value = await vscode.window.showInputBox({ title: 'Minimum words per text', value: '3', validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'a whole number') });
        return value ? { rule: 'min-words', options: { min: Number(value) } } : undefined;
      },
    },
    simple('dedupe-exact', 'Remove exact duplicates', 'same text after cleaning'),
    simple('dedupe-near', 'Remove near duplicates', 'Jaccard similarity of shingles ≥ 0.8'),
  ];
}

/** The preview as Markdown: counts per rule and before/after examples. */
export function cleaningReportMarkdown(dataset: string, r: CleanJobResult): string {
  const lines = [`# Cleaning ${r.applied ? 'applied to' : 'preview of'} "${dataset}"`, '', `${r.input} records → ${r.output} (${r.removedCount} removed)`, '', '| rule | changed | removed |', '| --- | ---: | ---: |'];
  for (const rule of r.rules) lines.push(`| ${rule.rule} — ${rule.description} | ${rule.changed} | ${rule.removed} |`);
  for (const rule of r.rules) {
    if (!rule.examples.length) continue;
    lines.push('', `## ${rule.rule}`, '');
    for (const e of rule.examples) {
      lines.push(`- \`${e.id}\`: ${JSON.stringify(e.before)}`);
      lines.push(`  → ${e.after === null ? `*removed* (${e.reason ?? ''})` : JSON.stringify(e.after)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const cleanData: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  const picked = await vscode.window.showQuickPick(ruleChoices(), { title: `Clean "${dataset.name}": rules`, canPickMany: true });
  if (!picked?.length) return;
  const rules: CleaningRuleSpec[] = [];
  for (const choice of picked) {
    const spec = await choice.build();
    if (spec) rules.push(spec);
  }
  if (!rules.length) return;
  try {
    const params = { projectDir: project.dir, dataset: dataset.name, rules };
    const preview = await ctx.jobs.run(`Preview cleaning of ${dataset.name}`, { type: 'clean', params });
    if (!preview) return;
    await ctx.reports.show(`Cleaning preview of ${dataset.name}`, cleaningReportMarkdown(dataset.name, preview));
    const apply = await vscode.window.showInformationMessage(
      `Embedding Lab: cleaning would change ${preview.rules.reduce((s, r) => s + r.changed, 0)} texts and remove ${preview.removedCount} of ${preview.input} records in "${dataset.name}".`,
      'Apply',
      'Cancel',
    );
    if (apply !== 'Apply') return;
    const applied = await ctx.jobs.run(`Clean ${dataset.name}`, { type: 'clean', params: { ...params, apply: true } });
    ctx.refreshProjects();
    if (applied) void vscode.window.showInformationMessage(`Embedding Lab: "${dataset.name}" cleaned: ${applied.input} → ${applied.output} records.`);
  } catch (err) {
    await showError(ctx, 'Clean Data', err);
  }
};
