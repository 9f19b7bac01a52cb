/**
 * Pre-scoring pairs with a language model, in two steps so that the user can say yes to the cost
 * first (the CLI asks on the terminal, the extension in a modal):
 *  1. `planPrescore`: the pairs (given, or suggested from the dataset, leaving out pairs this
 *     annotator has seen and pairs already pre-scored by this model and prompt version) and an
 *     estimate of the requests and tokens;
 *  2. `prescorePairs`: asks the model for each pair, concurrently as the endpoint allows (halving on
 *     429), appending each answer to prescores.jsonl as it arrives, so a cancelled batch keeps what
 *     it finished. A pair whose answer fails the check twice is an entry with its error: counted and
 *     shown, never a crash.
 * Pre-scores never enter annotations.jsonl: they are machine scores, kept apart.
 */
import type { JobContext } from './job-context';
import { suggestRecordPairs } from './suggest-job';
import type { SuggestStrategy } from '../annotate/suggest-pairs';
import { openProject, findDataset, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { pairKey } from '../project/annotations';
import { appendPrescores, prescoresPath, readPrescores, standingPrescores, type NewPrescore } from '../project/prescores';
import { ChatClient, type ChatUsage } from '../llm/chat-client';
import { parseChatEndpoint } from '../llm/chat-endpoint';
import { estimateBatch, type BatchEstimate } from '../llm/estimate';
import {
  PAIR_ANSWER_MAX_TOKENS,
  PAIR_SCORE_PROMPT_VERSION,
  pairScoreCheck,
  pairScoreMessages,
} from '../llm/pair-score-prompt';
import { InputError } from '../util/errors';
import { throwIfCancelled } from '../util/job';
import { readAnnotations } from '../project/annotations';
import { llmHumanAgreement, type LlmAgreementReport } from '../annotate/llm-agreement';

export interface PrescorePairRef {
  id1: string;
  id2: string;
}

export interface PrescorePlanParams {
  projectDir: string;
  dataset: string;
  /** The chat endpoint (see llm/chat-endpoint.ts); the model from it or `model`. */
  llm: string;
  model?: string;
  /** Pairs to pre-score; without them, `count` suggested pairs. */
  pairs?: PrescorePairRef[];
  count?: number;
  encoder?: string;
  strategy?: SuggestStrategy;
  annotator?: string;
  seed?: number;
  cacheDir?: string;
}

export interface PrescorePlan {
  dataset: string;
  model: string;
  endpoint: string;
  promptVersion: number;
  pairs: PrescorePairRef[];
  /** Pairs left out because this model and prompt already pre-scored them. */
  alreadyPrescored: number;
  estimate: BatchEstimate;
}

export interface PrescoreOutcome {
  dataset: string;
  model: string;
  promptVersion: number;
  requested: number;
  scored: number;
  failed: number;
  /** The first few failures, by pair. */
  failures: { id1: string; id2: string; error: string }[];
  cancelled: boolean;
  usage: ChatUsage;
  file: string;
}

function clientFor(params: { llm: string; model?: string }, ctx: JobContext): ChatClient {
  const endpoint = parseChatEndpoint(params.llm, params.model);
  return new ChatClient(endpoint, { apiKey: ctx.secrets.llmApiKey, onProgress: ctx.onProgress });
}

async function recordTexts(projectDir: string, dataset: string, ctx: JobContext) {
  const project = await openProject(projectDir);
  const entry = findDataset(project, dataset);
  const records = await readDatasetFile(datasetPath(project, entry), ctx);
  return { project, name: entry.name, texts: new Map(records.map((r) => [r.id, r.text])) };
}

/** Step 1: the pairs and what they will cost. */
export async function planPrescore(params: PrescorePlanParams, ctx: JobContext): Promise<PrescorePlan> {
  const client = clientFor(params, ctx);
  const { project, name, texts } = await recordTexts(params.projectDir, params.dataset, ctx);
  const done = standingPrescores((await readPrescores(prescoresPath(project.dir))).entries, { model: client.model, promptVersion: PAIR_SCORE_PROMPT_VERSION });
  let candidates: PrescorePairRef[];
  if (params.pairs) {
    candidates = params.pairs;
  } else {
    const count = params.count ?? 20;
    if (!(Number.isInteger(count) && count >= 1)) throw new InputError(`the pair count must be a whole number ≥ 1, got ${count}`, { field: 'count' });
    // Ask for more than needed: some suggestions may already be pre-scored.
    const outcome = await suggestRecordPairs(
      {
        projectDir: project.dir,
        dataset: name,
        encoder: params.encoder ?? project.config.encoder,
        strategy: params.strategy ?? 'stratified',
        count: count + done.size,
        seed: params.seed,
        cacheDir: params.cacheDir,
        ...(params.annotator ? { annotator: params.annotator } : {}),
        withPrescored: false,
      },
      ctx,
    );
    candidates = outcome.pairs.map((p) => ({ id1: p.id1, id2: p.id2 }));
  }
  for (const p of candidates) {
    for (const id of [p.id1, p.id2]) if (!texts.has(id)) throw new InputError(`dataset "${name}" has no record "${id}"`, { field: 'id' });
  }
  const fresh = candidates.filter((p) => !done.has(pairKey(p.id1, p.id2)));
  const pairs = params.pairs ? fresh : fresh.slice(0, params.count ?? 20);
  const prompts = pairs.map((p) => pairScoreMessages(project.config.rubric, texts.get(p.id1)!, texts.get(p.id2)!));
  return {
    dataset: name,
    model: client.model,
    endpoint: client.endpoint.label,
    promptVersion: PAIR_SCORE_PROMPT_VERSION,
    pairs,
    alreadyPrescored: candidates.length - fresh.length,
    // A refused answer is asked once more: at most twice the requests.
    estimate: estimateBatch(prompts, PAIR_ANSWER_MAX_TOKENS),
  };
}

export interface PrescoreRunParams {
  projectDir: string;
  dataset: string;
  llm: string;
  model?: string;
  /** The plan's pairs. */
  pairs: PrescorePairRef[];
}

const MAX_LISTED_FAILURES = 10;

/** Step 2: asks the model about each pair and appends the answers as they arrive. */
export async function prescorePairs(params: PrescoreRunParams, ctx: JobContext): Promise<PrescoreOutcome> {
  const client = clientFor(params, ctx);
  const { project, name, texts } = await recordTexts(params.projectDir, params.dataset, ctx);
  const file = prescoresPath(project.dir);
  const rubric = project.config.rubric;
  const check = pairScoreCheck(rubric);
  const outcome: PrescoreOutcome = {
    dataset: name,
    model: client.model,
    promptVersion: PAIR_SCORE_PROMPT_VERSION,
    requested: params.pairs.length,
    scored: 0,
    failed: 0,
    failures: [],
    cancelled: false,
    usage: client.usage,
    file,
  };
  for (const p of params.pairs) {
    for (const id of [p.id1, p.id2]) if (!texts.has(id)) throw new InputError(`dataset "${name}" has no record "${id}"`, { field: 'id' });
  }
  let finished = 0;
  ctx.onProgress?.({ stage: 'pre-score pairs', done: 0, total: params.pairs.length });
  const one = async (p: PrescorePairRef): Promise<void> => {
    throwIfCancelled(ctx.signal);
    const messages = pairScoreMessages(rubric, texts.get(p.id1)!, texts.get(p.id2)!);
    let entry: NewPrescore;
    try {
      const answer = await client.completeJson(messages, check, { signal: ctx.signal, maxTokens: PAIR_ANSWER_MAX_TOKENS });
      entry = answer.ok
        ? { id1: p.id1, id2: p.id2, score: answer.value.score, reason: answer.value.reason, model: client.model, promptVersion: PAIR_SCORE_PROMPT_VERSION }
        : { id1: p.id1, id2: p.id2, score: null, error: `no usable answer after ${answer.attempts} tries: ${answer.error}`, model: client.model, promptVersion: PAIR_SCORE_PROMPT_VERSION };
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      entry = { id1: p.id1, id2: p.id2, score: null, error: err instanceof Error ? err.message : String(err), model: client.model, promptVersion: PAIR_SCORE_PROMPT_VERSION };
    }
    await appendPrescores(file, [entry]);
    if (entry.score === null) {
      outcome.failed++;
      if (outcome.failures.length < MAX_LISTED_FAILURES) outcome.failures.push({ id1: p.id1, id2: p.id2, error: entry.error ?? '' });
    } else outcome.scored++;
    ctx.onProgress?.({ stage: 'pre-score pairs', done: ++finished, total: params.pairs.length });
  };
  // The client's limiter bounds the requests in flight; every pair is started, each waits its turn.
  const results = await Promise.allSettled(params.pairs.map(one));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) {
    if (ctx.signal?.aborted) outcome.cancelled = true;
    else throw rejected.reason;
  }
  return outcome;
}

export interface LlmAgreementParams {
  projectDir: string;
  /** Only this model's pre-scores (default: the latest of any model per pair). */
  model?: string;
}

/** The LLM-vs-human agreement of a project (annotate/llm-agreement.ts). */
export async function llmAgreementJob(params: LlmAgreementParams): Promise<LlmAgreementReport> {
  const project = await openProject(params.projectDir);
  const human = await readAnnotations(project.paths.annotations);
  const machine = await readPrescores(prescoresPath(project.dir));
  return llmHumanAgreement(human.entries, machine.entries, params.model !== undefined ? { model: params.model } : {});
}
