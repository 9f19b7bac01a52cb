/**
 * "Pre-score Pairs with LLM…": a language model scores suggested pairs on the project's rubric,
 * after the user has seen and accepted what it costs; "LLM vs Human Agreement": how its scores
 * agree with the human ones. The work is the engine's (jobs planPrescore, prescorePairs,
 * llmAgreement), as for `embedlab annotations prescore` and `llm-agreement`.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from './types';
import { pickProject, pickDataset, projectEncoder, showError } from './args';
import { chatEndpoint } from './llm-commands';
import type { LlmAgreementReport } from '../../engine/annotate/llm-agreement';

function percent(v: number | undefined): string {
  return v === undefined ? 'n/a' : `${Math.round(100 * v)}%`;
}

/** The agreement in one line, for toasts. */
export function agreementLine(r: LlmAgreementReport): string {
  if (r.pairs === 0) return `No pair has both an LLM pre-score and a human score yet (${r.prescored} pre-scored, ${r.humanScored} scored by people).`;
  const f = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(2));
  return `LLM (${r.models.join(', ')}) vs people on ${r.pairs} pairs: Spearman ${f(r.spearman)}, Krippendorff's α ${f(r.alpha)}, mean |Δ| ${f(r.meanAbsDiff)}, within one rubric step ${percent(r.withinStep)}.`;
}

export const prescorePairs: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  try {
    const llm = await chatEndpoint(ctx);
    if (!llm) return;
    const countPick = await vscode.window.showQuickPick(['20', '50', '100'].map((label) => ({ label, description: 'pairs' })), {
      title: 'Embedding Lab: how many pairs should the LLM pre-score?',
      ignoreFocusOut: true,
    });
    if (!countPick) return;
    const model = ctx.config()['llm.model'].trim();
    const common = { projectDir: project.dir, dataset: dataset.name, llm, ...(model ? { model } : {}) };
    const plan = await ctx.jobs.run(`Plan pre-scores of ${dataset.name}`, {
      type: 'planPrescore',
      params: { ...common, count: Number(countPick.label), encoder: projectEncoder(ctx, project), seed: ctx.config()['cluster.seed'], cacheDir: ctx.cacheDir() },
    });
    if (!plan) return;
    if (plan.pairs.length === 0) {
      void vscode.window.showInformationMessage(`Embedding Lab: nothing to pre-score: the suggested pairs already have a pre-score from ${plan.model}.`);
      return;
    }
    const e = plan.estimate;
    const go = await vscode.window.showWarningMessage(
      `Pre-score ${plan.pairs.length} pairs with ${plan.model}?`,
      {
        modal: true,
        detail: `${e.requests} requests to ${plan.endpoint} (up to ${2 * e.requests} if answers must be asked again), about ${e.promptTokens.toLocaleString('en-US')} prompt tokens and at most ${e.maxAnswerTokens.toLocaleString('en-US')} answer tokens. The texts of the pairs are sent to this endpoint. Pre-scores are kept apart from human scores, and hidden while you annotate unless "embeddingLab.annotate.showLlmHint" is on.`,
      },
      'Pre-score',
    );
    if (go !== 'Pre-score') return;
    const outcome = await ctx.jobs.run(`Pre-score ${plan.pairs.length} pairs with ${plan.model}`, { type: 'prescorePairs', params: { ...common, pairs: plan.pairs } });
    if (!outcome) return;
    const failed = outcome.failed ? ` ${outcome.failed} got no usable answer (see the log).` : '';
    for (const f of outcome.failures) ctx.output.warn(`pre-score ${f.id1} ~ ${f.id2}: ${f.error}`);
    const choice = await vscode.window.showInformationMessage(
      `Embedding Lab: ${outcome.scored} of ${outcome.requested} pairs pre-scored${outcome.cancelled ? ' before the cancel (kept)' : ''}.${failed} They come first when you annotate.`,
      'Annotate Pairs',
    );
    if (choice) await vscode.commands.executeCommand('embeddingLab.annotatePairs', { kind: 'dataset', projectDir: project.dir, key: dataset.name, label: dataset.name });
  } catch (err) {
    await showError(ctx, 'Pre-score Pairs', err);
  }
};

export const llmAgreement: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  if (!project) return;
  try {
    const report = await ctx.jobs.quick({ type: 'llmAgreement', params: { projectDir: project.dir } });
    ctx.output.info(agreementLine(report));
    for (const p of report.largestDifferences) ctx.output.info(`  ${p.id1} ~ ${p.id2}: people ${p.human.toFixed(2)}, LLM ${p.llm.toFixed(2)}${p.reason ? ` (${p.reason})` : ''}`);
    const choice = await vscode.window.showInformationMessage(`Embedding Lab: ${agreementLine(report)}`, ...(report.pairs ? ['Show Largest Differences'] : []));
    if (choice) ctx.output.show(true);
  } catch (err) {
    await showError(ctx, 'LLM vs Human Agreement', err);
  }
};
