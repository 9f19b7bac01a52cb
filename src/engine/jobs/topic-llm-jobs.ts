/**
 * LLM assist for a dataset's clusters (application layer: the CLI and the extension call these):
 * - `topicNames`: a short name and a one-sentence description per cluster, from its c-TF-IDF
 *   keywords and representative texts (nearest the centroid, diversified with MMR, truncated);
 * - `clusterJudgments`: coherence 1–5, a one-line reason and the misfits among a sample of members;
 * - `topicRename`: the user's own name for a cluster, which wins over the LLM's;
 * - `topicList`: the clusters with what topics.json says of them.
 * Each LLM job first computes its plan (requests and estimated tokens, cached clusters); with
 * `planOnly` it stops there, so the caller can ask the user before anything is sent. Answers are
 * cached in <project>/topics.json as they arrive; a cancelled batch keeps them.
 */
import { InputError } from '../util/errors';
import type { ProgressListener } from '../util/job';
import { createRng, sampleIndices } from '../util/random';
import { representativeMembers } from '../cluster/representatives';
import { ChatClient, type ChatUsage } from '../llm/chat-client';
import { parseChatEndpoint, type ChatEndpoint } from '../llm/chat-endpoint';
import { isLoopbackUrl } from '../http/endpoint-url';
import { estimateBatch, type BatchEstimate } from '../llm/estimate';
import { detectLanguage } from '../llm/language';
import {
  JUDGE_PROMPT_VERSION, NAME_PROMPT_VERSION, clusterJudgeCheck, clusterJudgePrompt, topicNameCheck, topicNamePrompt, truncateText,
  type JudgmentAnswer, type TopicNameAnswer,
} from '../llm/topic-prompts';
import {
  cachedJudgment, cachedName, readTopicStore, renameTopic, updateTopicStore, upsertAnswers,
  type ClusterJudgmentEntry, type TopicNameEntry, type TopicRenameEntry,
} from '../project/topic-store';
import { projectPaths } from '../project/store';
import { LLM_DEFAULTS } from '../defaults';
import { freshClustering, type ClusterJobParams } from './cluster-job';
import { cachedEmbeddings, datasetEncoder, type EngineJobOptions } from './dataset-embeddings';
import { clusterMembers, shownClusterTopics, type ClusterMembers, type ShownClusterTopic } from './cluster-members';
import { runLlmBatch, type LlmFailure, type LlmQuestion } from './llm-batch';

export interface TopicLlmParams extends ClusterJobParams {
  /** The chat endpoint: http(s)://host[:port][/v1][/chat/completions][?model=…][#model]. */
  llm: string;
  /** The model (wins over the URL's). */
  model?: string;
  /** Only compute the plan (requests, tokens); send nothing. */
  planOnly?: boolean;
  /** Ask again for clusters that have a cached answer from this model and prompt. */
  refresh?: boolean;
  concurrency?: number;
  /** Characters kept of each text in a prompt. */
  textChars?: number;
  /** Representative texts per name prompt. */
  representatives?: number;
  /** Members shown per judgment. */
  judgeSample?: number;
}

/** What a batch will cost, shown before it is sent. */
export interface LlmPlan extends BatchEstimate {
  endpoint: string;
  model: string;
  clusters: number;
  /** Clusters answered before (same members, model, prompt version): not asked again. */
  cached: number;
}

export interface NamedCluster {
  id: number;
  size: number;
  keywords: string[];
  name: string;
  description?: string;
  /** llm: answered now; cache: answered before; user: renamed by the user (wins); fallback: keywords (no valid answer). */
  source: 'llm' | 'cache' | 'user' | 'fallback' | 'pending';
}

export interface TopicNamesResult {
  dataset: string;
  plan: LlmPlan;
  /** False with planOnly. */
  sent: boolean;
  clusters: NamedCluster[];
  failures: LlmFailure[];
  usage: ChatUsage;
  /** topics.json */
  file: string;
}

export interface JudgedCluster {
  id: number;
  size: number;
  keywords: string[];
  coherence?: number;
  reason?: string;
  misfits: { id: string; text: string }[];
  sampled: number;
  /** llm / cache as for names; none: no valid answer ("no judgment"); pending: not asked (planOnly). */
  source: 'llm' | 'cache' | 'none' | 'pending';
}

export interface ClusterJudgmentsResult {
  dataset: string;
  plan: LlmPlan;
  sent: boolean;
  clusters: JudgedCluster[];
  /** Mean coherence over the judged clusters (LLM-judged, by `plan.model`). */
  meanCoherence?: number;
  judged: number;
  failures: LlmFailure[];
  usage: ChatUsage;
  file: string;
}

export interface TopicRenameParams extends ClusterJobParams {
  cluster: number;
  /** "" removes the user's name (the LLM's shows again). */
  name: string;
  description?: string;
}

export interface TopicListResult {
  dataset: string;
  clusters: ShownClusterTopic[];
  file: string;
  /** Entries of topics.json skipped because of their shape. */
  skippedEntries: number;
}

/** The model as cache keys and reports name it: the model, or the endpoint when the server picks. */
function modelKey(endpoint: ChatEndpoint): string {
  return endpoint.model ?? `${endpoint.label} (server default)`;
}

const NAME_MAX_TOKENS = 200;
const JUDGE_MAX_TOKENS = 300;

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new InputError(`must be a positive integer, got ${String(value)}`, { field });
  return v;
}

function clientFor(params: TopicLlmParams, options: EngineJobOptions): ChatClient {
  const endpoint = parseChatEndpoint(params.llm, params.model);
  if (params.offline && !isLoopbackUrl(endpoint.url)) {
    throw new InputError(`offline mode is on: cannot call ${endpoint.label} (a chat server on this machine, localhost or 127.0.0.1, is allowed)`, { field: 'llm' });
  }
  return new ChatClient(endpoint, {
    apiKey: options.secrets.llmApiKey,
    concurrency: positive(params.concurrency, LLM_DEFAULTS.concurrency, 'concurrency'),
    onProgress: options.onProgress,
  });
}

function planOf(client: ChatClient, clusters: number, cached: number, estimate: BatchEstimate): LlmPlan {
  return { endpoint: client.endpoint.label, model: modelKey(client.endpoint), clusters, cached, ...estimate };
}

const noUsage = (): ChatUsage => ({ requests: 0, promptTokens: 0, completionTokens: 0 });

function fallbackName(keywords: readonly string[]): string {
  return keywords.slice(0, 3).join(', ') || 'unnamed';
}

async function prepare(params: TopicLlmParams, options: EngineJobOptions) {
  if (typeof params.llm !== 'string' || !params.llm.trim()) throw new InputError('no chat endpoint given (an OpenAI-compatible /v1/chat/completions URL)', { field: 'llm' });
  const client = clientFor(params, options);
  const { records, clustering } = await freshClustering(params, options);
  const file = projectPaths(params.projectDir).topics;
  const { store } = await readTopicStore(file);
  return { client, records, clustering, file, store, clusters: clusterMembers(records, clustering) };
}

/** Names a dataset's clusters (see the module comment). */
export async function topicNamesJob(params: TopicLlmParams, options: EngineJobOptions): Promise<TopicNamesResult> {
  const { client, records, clustering, file, store, clusters } = await prepare(params, options);
  const model = modelKey(client.endpoint);
  const chars = positive(params.textChars, LLM_DEFAULTS.textChars, 'textChars');
  const reps = positive(params.representatives, LLM_DEFAULTS.representatives, 'representatives');
  const key = (c: ClusterMembers) => ({ membersHash: c.hash, model, promptVersion: NAME_PROMPT_VERSION });
  const todo = clusters.filter((c) => params.refresh || !cachedName(store, key(c)));
  const questions: LlmQuestion<TopicNameAnswer>[] = [];
  if (todo.length) {
    const texts = records.map((r) => r.text);
    const encoder = await datasetEncoder(params, texts, options);
    let embeddings;
    try {
      embeddings = await cachedEmbeddings(params.projectDir, encoder, texts, options);
    } finally {
      await encoder.dispose();
    }
    for (const c of todo) {
      const picked = representativeMembers(embeddings, c.members, { count: reps });
      const language = detectLanguage(c.members.slice(0, 200).map((i) => texts[i]));
      questions.push({
        label: `cluster ${c.topic.id}`,
        messages: topicNamePrompt({ keywords: c.topic.keywords.slice(0, LLM_DEFAULTS.keywords), texts: picked.map((i) => truncateText(texts[i], chars)), language }),
        check: topicNameCheck(language),
        maxTokens: NAME_MAX_TOKENS,
      });
    }
  }
  const plan = planOf(client, clusters.length, clusters.length - todo.length, estimateBatch(questions.map((q) => q.messages), NAME_MAX_TOKENS));
  const fresh = new Map<number, TopicNameEntry>();
  let failures: LlmFailure[] = [];
  if (!params.planOnly && questions.length) {
    const outcome = await runLlmBatch(client, questions, {
      signal: options.signal,
      onProgress: options.onProgress as ProgressListener | undefined,
      stage: 'name topics',
      onAnswer: async (index, value) => {
        const c = todo[index];
        const entry: TopicNameEntry = { ...key(c), name: value.name, description: value.description, keywords: c.topic.keywords.slice(0, LLM_DEFAULTS.keywords), createdAt: new Date().toISOString() };
        await updateTopicStore(file, (s) => upsertAnswers(s, [entry], []));
        fresh.set(c.topic.id, entry);
      },
    });
    failures = outcome.failures;
  }
  const after = (await readTopicStore(file)).store;
  const shown = new Map((await shownClusterTopics(file, records, clustering, after)).map((t) => [t.id, t]));
  const out: NamedCluster[] = clusters.map((c) => {
    const base = { id: c.topic.id, size: c.topic.size, keywords: c.topic.keywords };
    const s = shown.get(c.topic.id);
    if (s?.nameSource === 'user') return { ...base, name: s.name!, ...(s.description ? { description: s.description } : {}), source: 'user' };
    const now = fresh.get(c.topic.id);
    if (now) return { ...base, name: now.name, description: now.description, source: 'llm' };
    const cached = cachedName(after, key(c));
    if (cached) return { ...base, name: cached.name, description: cached.description, source: 'cache' };
    return { ...base, name: fallbackName(c.topic.keywords), source: params.planOnly ? 'pending' : 'fallback' };
  });
  return { dataset: params.dataset, plan, sent: !params.planOnly && questions.length > 0, clusters: out, failures, usage: params.planOnly ? noUsage() : client.usage, file };
}

/** Judges a dataset's clusters (see the module comment). */
export async function clusterJudgmentsJob(params: TopicLlmParams, options: EngineJobOptions): Promise<ClusterJudgmentsResult> {
  const { client, records, file, store, clusters } = await prepare(params, options);
  const model = modelKey(client.endpoint);
  const chars = positive(params.textChars, LLM_DEFAULTS.textChars, 'textChars');
  const sampleSize = positive(params.judgeSample, LLM_DEFAULTS.judgeSample, 'judgeSample');
  const key = (c: ClusterMembers) => ({ membersHash: c.hash, model, promptVersion: JUDGE_PROMPT_VERSION });
  const samples = new Map(
    clusters.map((c) => {
      const rng = createRng(params.settings.seed * 7919 + c.topic.id);
      return [c.topic.id, sampleIndices(c.members.length, sampleSize, rng).sort((a, b) => a - b).map((p) => c.members[p])];
    }),
  );
  const todo = clusters.filter((c) => params.refresh || !cachedJudgment(store, key(c)));
  const questions: LlmQuestion<JudgmentAnswer>[] = todo.map((c) => {
    const sample = samples.get(c.topic.id)!;
    const language = detectLanguage(c.members.slice(0, 200).map((i) => records[i].text));
    return {
      label: `cluster ${c.topic.id}`,
      messages: clusterJudgePrompt({ keywords: c.topic.keywords.slice(0, LLM_DEFAULTS.keywords), texts: sample.map((i) => truncateText(records[i].text, chars)), language }),
      check: clusterJudgeCheck(sample.length, language),
      maxTokens: JUDGE_MAX_TOKENS,
    };
  });
  const plan = planOf(client, clusters.length, clusters.length - todo.length, estimateBatch(questions.map((q) => q.messages), JUDGE_MAX_TOKENS));
  const fresh = new Set<number>();
  let failures: LlmFailure[] = [];
  if (!params.planOnly && questions.length) {
    const outcome = await runLlmBatch(client, questions, {
      signal: options.signal,
      onProgress: options.onProgress,
      stage: 'judge clusters',
      onAnswer: async (index, value) => {
        const c = todo[index];
        const sample = samples.get(c.topic.id)!;
        const entry: ClusterJudgmentEntry = {
          ...key(c),
          coherence: value.coherence,
          reason: value.reason,
          misfits: value.misfits.map((n) => records[sample[n - 1]].id),
          sampled: sample.length,
          createdAt: new Date().toISOString(),
        };
        await updateTopicStore(file, (s) => upsertAnswers(s, [], [entry]));
        fresh.add(c.topic.id);
      },
    });
    failures = outcome.failures;
  }
  const after = (await readTopicStore(file)).store;
  const textOf = new Map(records.map((r) => [r.id, r.text]));
  const out: JudgedCluster[] = clusters.map((c) => {
    const base = { id: c.topic.id, size: c.topic.size, keywords: c.topic.keywords };
    const j = cachedJudgment(after, key(c));
    if (!j) return { ...base, misfits: [], sampled: samples.get(c.topic.id)!.length, source: params.planOnly ? 'pending' : 'none' };
    return {
      ...base,
      coherence: j.coherence,
      reason: j.reason,
      misfits: j.misfits.map((id) => ({ id, text: truncateText(textOf.get(id) ?? '', 200) })),
      sampled: j.sampled,
      source: fresh.has(c.topic.id) ? 'llm' : 'cache',
    };
  });
  const judged = out.filter((c) => c.coherence !== undefined);
  const meanCoherence = judged.length ? judged.reduce((s, c) => s + c.coherence!, 0) / judged.length : undefined;
  return {
    dataset: params.dataset,
    plan,
    sent: !params.planOnly && questions.length > 0,
    clusters: out,
    ...(meanCoherence !== undefined ? { meanCoherence } : {}),
    judged: judged.length,
    failures,
    usage: params.planOnly ? noUsage() : client.usage,
    file,
  };
}

/** Sets the user's name of one cluster (an empty name removes it). */
export async function topicRenameJob(params: TopicRenameParams, options: EngineJobOptions): Promise<{ cluster: number; rename?: TopicRenameEntry; file: string }> {
  const { records, clustering } = await freshClustering(params, options);
  const c = clusterMembers(records, clustering).find((x) => x.topic.id === params.cluster);
  if (!c) throw new InputError(`no cluster ${params.cluster} in the clustering of "${params.dataset}" (clusters: ${clustering.header.clusters.map((t) => t.id).join(', ')})`, { field: 'cluster' });
  const file = projectPaths(params.projectDir).topics;
  const rename = await renameTopic(file, c.hash, params.name, params.description);
  return { cluster: params.cluster, ...(rename ? { rename } : {}), file };
}

/** The clusters with their names and coherence as the map shows them. */
export async function topicListJob(params: ClusterJobParams, options: EngineJobOptions): Promise<TopicListResult> {
  const { records, clustering } = await freshClustering(params, options);
  const file = projectPaths(params.projectDir).topics;
  const { store, skipped } = await readTopicStore(file);
  return { dataset: params.dataset, clusters: await shownClusterTopics(file, records, clustering, store), file, skippedEntries: skipped };
}
