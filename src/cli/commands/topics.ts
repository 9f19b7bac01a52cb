import type { CliCommand, CommandContext } from '../command';
import { encoderOption, jsonOption, llmOptions, seedOption } from '../command';
import { UsageError } from '../args';
import { jobContextFor } from '../job-context';
import { openProject } from '../../engine/project/store';
import { CLUSTER_DEFAULTS, LLM_DEFAULTS } from '../../engine/defaults';
import { describePlan } from '../../engine/llm/plan-text';
import type { ClusteringSettings } from '../../engine/project/cluster-cache';
import {
  clusterJudgmentsJob, topicListJob, topicNamesJob, topicRenameJob,
  type LlmPlan, type TopicLlmParams,
} from '../../engine/jobs/topic-llm-jobs';

const ACTIONS = ['name', 'judge', 'rename', 'list'] as const;

/** Sends the batch only with --yes or the user's "yes" on the terminal. */
async function confirmBatch(ctx: CommandContext, plan: LlmPlan): Promise<boolean> {
  ctx.log(describePlan(plan));
  if (plan.requests === 0 || ctx.args.options.yes) return true;
  if (!ctx.confirm) throw new UsageError('this sends requests to the chat endpoint: pass --yes to confirm (no terminal to ask on)');
  return ctx.confirm('Send them?');
}

function settingsFrom(o: CommandContext['args']['options']): ClusteringSettings {
  const algo = String(o.algo ?? CLUSTER_DEFAULTS.algorithm);
  if (algo !== 'kmeans' && algo !== 'hdbscan') throw new UsageError(`--algo must be kmeans or hdbscan, got "${algo}"`);
  const k = o.k === undefined || o.k === 'auto' ? 'auto' : Number(o.k);
  if (k !== 'auto' && !(Number.isInteger(k) && k >= 2)) throw new UsageError(`--k must be an integer ≥ 2 or "auto", got "${String(o.k)}"`);
  return {
    algo,
    ...(algo === 'kmeans' ? { k } : { minClusterSize: Number(o['min-cluster-size'] ?? CLUSTER_DEFAULTS.minClusterSize) }),
    seed: Number(o.seed),
  };
}

/** `embedlab topics name|judge|rename|list`: LLM topic names and cluster judgments of a project dataset. */
export const topicsCommand: CliCommand = {
  name: 'topics',
  summary: 'Name topics and judge clusters of a project dataset with an OpenAI-compatible chat endpoint (LLM assist)',
  usage: [
    'embedlab topics name|judge --project <dir> --dataset <name> --llm <chat URL> [--model <name>] [--yes] [--refresh] [--json]',
    '       embedlab topics rename <cluster> "<name>" --project <dir> --dataset <name>   ("" gives the LLM name back)',
    '       embedlab topics list --project <dir> --dataset <name> [--json]',
    '  The clusters are the dataset\'s saved clustering with --encoder (the map\'s), else a new one with --algo/--k/--min-cluster-size.',
    '  The key comes from EMBEDLAB_LLM_API_KEY, else OPENAI_API_KEY; it is sent to the endpoint only, never written.',
  ].join('\n'),
  options: [
    { name: 'project', kind: 'string', description: 'project folder' },
    { name: 'dataset', kind: 'string', description: 'the dataset whose clusters to name or judge' },
    ...llmOptions,
    { name: 'refresh', kind: 'boolean', description: 'ask again for clusters answered before by this model' },
    { name: 'concurrency', kind: 'number', description: 'requests in flight at most (halved on each 429)', default: LLM_DEFAULTS.concurrency },
    { name: 'sample', kind: 'number', description: 'members shown to the judge per cluster', default: LLM_DEFAULTS.judgeSample },
    { name: 'algo', kind: 'string', description: 'clustering algorithm when the dataset has no saved clustering', choices: ['kmeans', 'hdbscan'], default: CLUSTER_DEFAULTS.algorithm },
    { name: 'k', kind: 'string', description: 'k-means clusters, or "auto"', default: CLUSTER_DEFAULTS.k },
    { name: 'min-cluster-size', kind: 'number', description: 'HDBSCAN minimum cluster size', default: CLUSTER_DEFAULTS.minClusterSize },
    encoderOption,
    seedOption,
    jsonOption,
  ],
  async run(ctx) {
    const o = ctx.args.options;
    const [first, ...rest] = ctx.args.positionals;
    const action = first as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new UsageError(`give an action: ${ACTIONS.join(', ')}`);
    if (typeof o.project !== 'string') throw new UsageError('missing --project <dir>');
    if (typeof o.dataset !== 'string') throw new UsageError('missing --dataset <name>');
    const project = await openProject(o.project);
    const base = {
      projectDir: project.dir,
      dataset: o.dataset,
      encoder: String(o.encoder ?? project.config.encoder),
      settings: settingsFrom(o),
      seed: Number(o.seed),
    };
    const jobCtx = jobContextFor(ctx);
    const print = (json: unknown, lines: string[]) => ctx.stdout(o.json ? JSON.stringify(json) : lines.join('\n'));

    if (action === 'list') {
      const r = await topicListJob(base, jobCtx);
      print(r, [
        ...r.clusters.map((c) => `${c.id} (${c.size})${c.name ? ` ${c.name} [${c.nameSource}]` : ''}${c.coherence !== undefined ? ` coherence ${c.coherence}` : ''}: ${c.keywords.slice(0, 6).join(', ')}`),
        ...(r.skippedEntries ? [`${r.file}: ${r.skippedEntries} entries skipped (not in the expected shape)`] : []),
      ]);
      return 0;
    }
    if (action === 'rename') {
      if (rest.length !== 2) throw new UsageError('rename takes <cluster> "<name>"');
      const cluster = Number(rest[0]);
      if (!Number.isInteger(cluster) || cluster < 0) throw new UsageError(`the cluster must be a cluster id (an integer ≥ 0), got "${rest[0]}"`);
      const r = await topicRenameJob({ ...base, cluster, name: rest[1] }, jobCtx);
      print(r, [r.rename ? `cluster ${cluster} is now "${r.rename.name}"` : `cluster ${cluster}: the user's name is removed`]);
      return 0;
    }
    if (typeof o.llm !== 'string') throw new UsageError('missing --llm <chat endpoint URL>, e.g. http://localhost:11434/v1#llama3.1');
    const llmParams: TopicLlmParams = {
      ...base,
      llm: o.llm,
      ...(typeof o.model === 'string' ? { model: o.model } : {}),
      refresh: Boolean(o.refresh),
      concurrency: Number(o.concurrency),
      judgeSample: Number(o.sample),
    };
    const job = action === 'name' ? topicNamesJob : clusterJudgmentsJob;
    const planned = await job({ ...llmParams, planOnly: true }, jobCtx);
    if (!(await confirmBatch(ctx, planned.plan))) {
      ctx.log('nothing sent');
      return 1;
    }
    if (action === 'name') {
      const r = await topicNamesJob(llmParams, jobCtx);
      print(r, [
        ...r.clusters.map((c) => `${c.id} (${c.size}) ${c.name} [${c.source}]${c.description ? ` — ${c.description}` : ''}`),
        ...failureLines(r.failures, 'names fell back to keywords'),
        usageLine(r.usage),
      ]);
      return 0;
    }
    const r = await clusterJudgmentsJob(llmParams, jobCtx);
    print(r, [
      ...r.clusters.map(
        (c) =>
          `${c.id} (${c.size}) ${c.coherence !== undefined ? `coherence ${c.coherence}/5: ${c.reason}` : 'no judgment'}${c.misfits.length ? ` (misfits: ${c.misfits.map((m) => m.id).join(', ')})` : ''}`,
      ),
      r.meanCoherence !== undefined ? `mean coherence ${r.meanCoherence.toFixed(2)} over ${r.judged} clusters (LLM-judged, ${r.plan.model})` : 'no cluster judged',
      ...failureLines(r.failures, 'clusters have no judgment'),
      usageLine(r.usage),
    ]);
    return 0;
  },
};

function failureLines(failures: readonly { label: string; error: string }[], what: string): string[] {
  if (!failures.length) return [];
  return [`${failures.length} failed (${what}):`, ...failures.slice(0, 20).map((f) => `  ${f.label}: ${f.error}`)];
}

function usageLine(u: { requests: number; promptTokens: number; completionTokens: number }): string {
  return `${u.requests} requests sent, ${u.promptTokens} prompt + ${u.completionTokens} answer tokens (as the server counted)`;
}
