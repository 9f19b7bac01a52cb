/**
 * `embedlab annotations prescore` (a language model scores suggested pairs on the rubric, kept in
 * prescores.jsonl apart from human scores) and `embedlab annotations llm-agreement` (how its
 * scores agree with the human ones on the pairs that have both).
 */
import type { CommandContext } from '../command';
import { UsageError } from '../args';
import { jobContextFor } from '../job-context';
import { openProject } from '../../engine/project/store';
import { readAnnotations } from '../../engine/project/annotations';
import { prescoresPath, readPrescores } from '../../engine/project/prescores';
import { planPrescore, prescorePairs } from '../../engine/jobs/prescore-job';
import { llmHumanAgreement } from '../../engine/annotate/llm-agreement';
import type { SuggestStrategy } from '../../engine/annotate/suggest-pairs';

function print(ctx: CommandContext, json: unknown, text: string): void {
  ctx.stdout(ctx.args.options.json ? JSON.stringify(json) : text);
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined ? 'n/a' : v.toFixed(digits));

export async function prescoreAction(ctx: CommandContext, projectDir: string, annotator: string): Promise<number> {
  const o = ctx.args.options;
  if (typeof o.dataset !== 'string') throw new UsageError('prescore needs --dataset <name>');
  if (typeof o.llm !== 'string') throw new UsageError('prescore needs --llm <chat endpoint URL>, e.g. http://localhost:11434#llama3.1');
  const project = await openProject(projectDir);
  const job = jobContextFor(ctx);
  const common = { projectDir: project.dir, dataset: o.dataset, llm: o.llm, ...(typeof o.model === 'string' ? { model: o.model } : {}) };
  const plan = await planPrescore(
    {
      ...common,
      count: Number(o.count),
      encoder: String(o.encoder ?? project.config.encoder),
      strategy: o.strategy as SuggestStrategy,
      seed: Number(o.seed),
      annotator,
    },
    job,
  );
  if (plan.pairs.length === 0) {
    print(ctx, { ...plan, scored: 0, failed: 0 }, `nothing to pre-score: ${plan.alreadyPrescored} suggested pair(s) already have a pre-score from ${plan.model}`);
    return 0;
  }
  const e = plan.estimate;
  const question = `Pre-score ${plan.pairs.length} pairs with ${plan.model} at ${plan.endpoint}: ${e.requests} requests (up to ${2 * e.requests} if answers must be asked again), about ${e.promptTokens.toLocaleString('en-US')} prompt tokens and at most ${e.maxAnswerTokens.toLocaleString('en-US')} answer tokens.`;
  ctx.log(question);
  if (o.yes !== true) {
    if (!ctx.confirm) throw new UsageError('this sends requests to the chat endpoint: pass --yes to confirm (no terminal to ask on)');
    if (!(await ctx.confirm('Send them?'))) return 1;
  }
  const outcome = await prescorePairs({ ...common, pairs: plan.pairs }, job);
  const lines = [
    `${outcome.scored} of ${outcome.requested} pairs pre-scored by ${outcome.model} (prompt v${outcome.promptVersion}) → ${outcome.file}`,
    ...(outcome.cancelled ? ['cancelled: the pairs answered before the cancel are kept'] : []),
    ...(outcome.failed ? [`${outcome.failed} pair(s) got no usable answer and have no pre-score:`, ...outcome.failures.map((f) => `  ${f.id1} ~ ${f.id2}: ${f.error}`)] : []),
    `${outcome.usage.requests} requests, ${outcome.usage.promptTokens.toLocaleString('en-US')} prompt + ${outcome.usage.completionTokens.toLocaleString('en-US')} answer tokens counted by the server`,
    'Pre-scored pairs come first in the annotation queue; the model\'s score stays hidden unless embeddingLab.annotate.showLlmHint is on.',
  ];
  print(ctx, outcome, lines.join('\n'));
  return outcome.cancelled ? 130 : 0;
}

export async function llmAgreementAction(ctx: CommandContext, projectDir: string): Promise<number> {
  const o = ctx.args.options;
  const project = await openProject(projectDir);
  const human = await readAnnotations(project.paths.annotations);
  const machine = await readPrescores(prescoresPath(project.dir));
  const report = llmHumanAgreement(human.entries, machine.entries, typeof o.model === 'string' ? { model: o.model } : {});
  const lines = report.pairs
    ? [
        `LLM pre-scores vs human scores on ${report.pairs} pairs that have both (${report.models.join(', ')}):`,
        `  Spearman ${fmt(report.spearman)}, Krippendorff's α (interval) ${fmt(report.alpha)}`,
        `  mean |Δ| ${fmt(report.meanAbsDiff)}, same score ${(100 * (report.exact ?? 0)).toFixed(0)}%, within one step ${(100 * (report.withinStep ?? 0)).toFixed(0)}%`,
        ...(report.largestDifferences.length ? ['  largest differences (human vs LLM):', ...report.largestDifferences.slice(0, 5).map((p) => `    ${p.id1} ~ ${p.id2}: ${p.human.toFixed(2)} vs ${p.llm.toFixed(2)}${p.reason ? ` — ${p.reason}` : ''}`)] : []),
      ]
    : [`no pair has both a human score and an LLM pre-score yet (${report.prescored} pre-scored, ${report.humanScored} human-scored)`];
  print(ctx, report, lines.join('\n'));
  return 0;
}
