/**
 * Runs a batch of JSON questions to a chat endpoint, as the topic-name, cluster-judgment (and
 * pair pre-score) jobs need: concurrency is the client's limiter, each answer is handed to
 * `onAnswer` as it arrives (so a cancelled or failed batch keeps what it finished), progress says
 * how many are done and how many failed, and an answer that stays invalid after its retry is a
 * counted failure, never a crash. An endpoint error that every request would hit (401, 403, 404:
 * a wrong key, URL or model) stops the batch and is thrown after the finished answers are kept.
 */
import { CancelledError, isCancelledError, type ProgressListener } from '../util/job';
import { EndpointError } from '../http/post-json';
import type { ChatClient, ChatMessage } from '../llm/chat-client';
import type { Check } from '../llm/schema';

export interface LlmQuestion<T> {
  /** For failure reports (e.g. "cluster 3"). */
  label: string;
  messages: ChatMessage[];
  check: Check<T>;
  maxTokens?: number;
}

export interface LlmFailure {
  label: string;
  error: string;
}

export interface LlmBatchOptions<T> {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Progress stage name (default "llm"). */
  stage?: string;
  /** Called once per valid answer, in the order they arrive; awaited one at a time. */
  onAnswer: (index: number, value: T) => Promise<void>;
}

export interface LlmBatchOutcome {
  answered: number;
  failures: LlmFailure[];
}

const FATAL = new Set([401, 403, 404]);

export async function runLlmBatch<T>(client: ChatClient, questions: readonly LlmQuestion<T>[], options: LlmBatchOptions<T>): Promise<LlmBatchOutcome> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const stage = options.stage ?? 'llm';
  const failures: LlmFailure[] = [];
  let answered = 0;
  let fatal: Error | undefined;
  let saving: Promise<void> = Promise.resolve();
  const report = () =>
    options.onProgress?.({
      stage,
      done: answered + failures.length,
      total: questions.length,
      ...(failures.length ? { message: `(${failures.length} failed)` } : {}),
    });
  report();
  await Promise.all(
    questions.map(async (q, index) => {
      try {
        const answer = await client.completeJson(q.messages, q.check, { signal, maxTokens: q.maxTokens });
        if (answer.ok) {
          const saved = saving.then(() => options.onAnswer(index, answer.value));
          saving = saved.catch(() => undefined);
          await saved;
          answered++;
        } else failures.push({ label: q.label, error: `no valid answer after ${answer.attempts} attempts: ${answer.error}` });
      } catch (err) {
        if (isCancelledError(err) || signal.aborted) return;
        if (err instanceof EndpointError && err.status !== undefined && FATAL.has(err.status)) {
          fatal ??= err;
          stop.abort();
          return;
        }
        failures.push({ label: q.label, error: (err as Error).message });
      }
      report();
    }),
  );
  await saving;
  if (fatal) throw fatal;
  if (options.signal?.aborted) throw new CancelledError();
  return { answered, failures };
}
