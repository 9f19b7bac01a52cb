/**
 * LLM assist from the command palette: Name Topics with LLM…, Judge Clusters with LLM…, Rename
 * Topic…. The chat endpoint and model come from the settings (asked for when unset); the key
 * from secret storage. Before a batch a modal says how many requests and tokens it takes; the
 * batch runs as a job (progress, cancel: what finished is kept); an open map shows the result.
 */
import * as vscode from 'vscode';
import { parseChatEndpoint } from '../../engine/llm/chat-endpoint';
import type { CommandFactory } from './types';
import type { HostContext } from '../context';
import type { ProjectSummary, DatasetSummary } from '../project/summary';
import { pickProject, pickDataset, projectEncoder, showError } from './args';
import { clusterDefaults } from './cluster-plan';
import { datasetJobParams } from './dataset-job-params';
import { mapRestoreKey } from '../sources/project-map-source';
import { CONFIG_SECTION } from '../config-schema';
import { describePlan } from '../../engine/llm/plan-text';
import type { TopicLlmParams, LlmPlan } from '../../engine/jobs/topic-llm-jobs';

async function refreshOpenMap(projectDir: string, dataset: string, reason: string): Promise<void> {
  const { MapPanel } = await import('../panels/map/map-panel');
  MapPanel.get(mapRestoreKey(projectDir, dataset))?.refresh(reason);
}

/** The chat endpoint from the settings, or asked for (and then saved in the settings). */
export async function chatEndpoint(ctx: HostContext): Promise<string | undefined> {
  const set = ctx.config()['llm.endpoint'].trim();
  if (set) return set;
  const value = await vscode.window.showInputBox({
    title: 'Embedding Lab: chat endpoint for LLM assist',
    prompt: 'An OpenAI-compatible chat endpoint: https://api.openai.com/v1#gpt-4o-mini, http://localhost:11434/v1#llama3.1 (Ollama), http://localhost:8000/v1 (vLLM). Saved in the setting embeddingLab.llm.endpoint; the key goes in "Set LLM API Key".',
    placeHolder: 'http://localhost:11434/v1#llama3.1',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        parseChatEndpoint(v.trim());
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
  });
  if (!value?.trim()) return undefined;
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('llm.endpoint', value.trim(), vscode.ConfigurationTarget.Global);
  return value.trim();
}

function clusterParams(ctx: HostContext, project: ProjectSummary, dataset: DatasetSummary) {
  const settings = clusterDefaults(ctx.config());
  return { ...datasetJobParams(ctx.config(), ctx.cacheDir(), { projectDir: project.dir, dataset: dataset.name, encoder: projectEncoder(ctx, project) }), settings };
}

/** The modal before a batch: true to send. A batch with nothing to send needs no question. */
async function confirmPlan(what: string, plan: LlmPlan): Promise<boolean> {
  if (plan.requests === 0) return true;
  const choice = await vscode.window.showWarningMessage(
    `Embedding Lab: ${what}: send ${plan.requests} request${plan.requests === 1 ? '' : 's'} to ${plan.model}?`,
    { modal: true, detail: `${describePlan(plan)}.\nAnswers are cached in the project's topics.json; a cancelled batch keeps what it finished.` },
    'Send',
  );
  return choice === 'Send';
}

function llmCommand(kind: 'topicNames' | 'clusterJudgments', title: string): CommandFactory {
  return (ctx) => async (arg?: unknown) => {
    const project = await pickProject(ctx, arg);
    const dataset = project && (await pickDataset(project, arg));
    if (!project || !dataset) return;
    const llm = await chatEndpoint(ctx);
    if (!llm) return;
    const config = ctx.config();
    const params: TopicLlmParams = {
      ...clusterParams(ctx, project, dataset),
      llm,
      ...(config['llm.model'].trim() ? { model: config['llm.model'].trim() } : {}),
      concurrency: Math.max(1, Math.round(config['llm.concurrency'])),
    };
    try {
      const planned = await ctx.jobs.run(`${title}: plan for ${dataset.name}`, { type: kind, params: { ...params, planOnly: true } }, { notification: false });
      if (!planned || !(await confirmPlan(title, planned.plan))) return;
      const result = await ctx.jobs.run(`${title}: ${dataset.name}`, { type: kind, params });
      await refreshOpenMap(project.dir, dataset.name, kind === 'topicNames' ? 'topics named' : 'clusters judged');
      if (!result) {
        void vscode.window.showInformationMessage(`Embedding Lab: ${title} cancelled; the answers received so far are kept.`);
        return;
      }
      for (const f of result.failures) ctx.output.info(`[llm] ${dataset.name} ${f.label}: ${f.error}`);
      if ('judged' in result) {
        for (const c of result.clusters) {
          if (c.coherence === undefined) continue;
          const misfits = c.misfits.length ? `; misfits: ${c.misfits.map((m) => `${m.id} "${m.text.slice(0, 80)}"`).join(', ')}` : '';
          ctx.output.info(`[llm] ${dataset.name} cluster ${c.id}: coherence ${c.coherence}/5 — ${c.reason}${misfits}`);
        }
      }
      ctx.output.info(`[llm] ${result.usage.requests} requests, ${result.usage.promptTokens} prompt + ${result.usage.completionTokens} answer tokens (${result.plan.model})`);
      const failed = result.failures.length ? ` ${result.failures.length} failed (${kind === 'topicNames' ? 'keywords shown instead' : 'no judgment'}; see the log).` : '';
      const text =
        'judged' in result
          ? `judged ${result.judged} of ${result.clusters.length} clusters of "${dataset.name}"${result.meanCoherence !== undefined ? `, mean coherence ${result.meanCoherence.toFixed(2)} (LLM-judged, ${result.plan.model})` : ''}.`
          : `named ${result.clusters.length} topics of "${dataset.name}" (${result.plan.cached} from the cache).`;
      const choice = await vscode.window.showInformationMessage(`Embedding Lab: ${text}${failed}`, 'Open Cluster Map');
      if (choice) await vscode.commands.executeCommand('embeddingLab.openClusterMap', { kind: 'dataset', projectDir: project.dir, key: dataset.name, label: dataset.name });
    } catch (err) {
      await showError(ctx, title, err);
    }
  };
}

export const nameTopics = llmCommand('topicNames', 'Name Topics with LLM');
export const judgeClusters = llmCommand('clusterJudgments', 'Judge Clusters with LLM');

export const renameTopic: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  const params = clusterParams(ctx, project, dataset);
  try {
    const list = await ctx.jobs.run(`Topics of ${dataset.name}`, { type: 'topicList', params }, { notification: false });
    if (!list) return;
    const picked = await vscode.window.showQuickPick(
      list.clusters.map((c) => ({
        label: `${c.id}: ${c.name ?? c.keywords.slice(0, 3).join(', ')}`,
        description: `${c.size} texts${c.nameSource ? ` · ${c.nameSource === 'user' ? 'your name' : 'LLM name'}` : ''}`,
        detail: c.keywords.slice(0, 8).join(', '),
        cluster: c,
      })),
      { title: `Embedding Lab: Rename Topic of "${dataset.name}"`, matchOnDetail: true },
    );
    if (!picked) return;
    const name = await vscode.window.showInputBox({
      title: `Embedding Lab: name of cluster ${picked.cluster.id}`,
      prompt: 'Your name wins over the LLM\'s. Empty: remove your name (the LLM\'s shows again).',
      value: picked.cluster.name ?? '',
      validateInput: (v) => (v.trim().length > 200 ? 'at most 200 characters' : undefined),
    });
    if (name === undefined) return;
    await ctx.jobs.run(`Rename topic ${picked.cluster.id}`, { type: 'topicRename', params: { ...params, cluster: picked.cluster.id, name } }, { notification: false });
    await refreshOpenMap(project.dir, dataset.name, 'topic renamed');
  } catch (err) {
    await showError(ctx, 'Rename Topic', err);
  }
};
