import type { ProgressListener } from '../util/job';
import { EndpointError, postJson } from '../http/post-json';
import type { ChatEndpoint } from './chat-endpoint';
import { AdaptiveLimiter } from './limiter';
import { extractJsonObject } from './json-answer';
import { validate, type Check } from './schema';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatClientOptions {
  /** Sent as `Authorization: Bearer` (or `api-key` for Azure); never part of a label, a record or a file. */
  apiKey?: string;
  /** Per-request timeout (default 120 s; the endpoint's timeout_ms wins). */
  timeoutMs?: number;
  /** Retries after a 429, 5xx, timeout or network error (default 4; the endpoint's retries wins). */
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Requests in flight at most (default 4; the endpoint's concurrency wins); halved on each 429. */
  concurrency?: number;
  /** Sampling temperature (default 0: the most repeatable answers). */
  temperature?: number;
  /** Told of retries and of requests still waiting for their answer. */
  onProgress?: ProgressListener;
  waitNoticeMs?: number;
}

export interface CompleteOptions {
  signal?: AbortSignal;
  /** Asks for a JSON object (`response_format: {type: "json_object"}`), when the server takes it. */
  json?: boolean;
  maxTokens?: number;
}

/** What a batch cost, for reports: requests sent and the tokens the server counted. */
export interface ChatUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** A checked JSON answer, or why there is none after the retry (the caller falls back). */
export type JsonAnswer<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: string; attempts: number };

interface ChoiceBody {
  choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

/** The message sent after an invalid answer: the validation error, and the request to try again. */
export function correctionMessage(error: string): string {
  return `Your answer could not be used: ${error}. Answer again with only the JSON object, in the requested format.`;
}

/**
 * A client for an OpenAI-compatible `/v1/chat/completions` endpoint. Transport (retries,
 * 429/Retry-After, timeouts, the key) is the embeddings client's postJson; on top it limits
 * concurrency (following 429s), asks for JSON, checks answers against a schema and retries once
 * with the validation error.
 */
export class ChatClient {
  readonly limiter: AdaptiveLimiter;
  readonly usage: ChatUsage = { requests: 0, promptTokens: 0, completionTokens: 0 };
  /** Set once the server refused `response_format` (some llama.cpp and TGI builds): later requests leave it out. */
  private jsonModeRefused = false;

  constructor(
    readonly endpoint: ChatEndpoint,
    private readonly options: ChatClientOptions = {},
  ) {
    this.limiter = new AdaptiveLimiter(endpoint.concurrency ?? options.concurrency ?? 4);
  }

  /** The model name for records and reports ("default" when the server picks it). */
  get model(): string {
    return this.endpoint.model ?? 'default';
  }

  private async post(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<ChoiceBody> {
    const o = this.options;
    this.usage.requests++;
    const json = (await postJson({
      url: this.endpoint.url,
      body,
      apiKey: o.apiKey,
      azure: this.endpoint.azure,
      timeoutMs: this.endpoint.timeoutMs ?? o.timeoutMs ?? 120_000,
      maxRetries: this.endpoint.maxRetries ?? o.maxRetries ?? 4,
      retryBaseMs: o.retryBaseMs ?? 1000,
      retryMaxMs: o.retryMaxMs ?? 60_000,
      signal,
      label: this.endpoint.label,
      onProgress: o.onProgress,
      waitNoticeMs: o.waitNoticeMs,
      onRateLimited: (waitMs) => this.limiter.rateLimited(waitMs),
    })) as ChoiceBody | null;
    this.usage.promptTokens += count(json?.usage?.prompt_tokens);
    this.usage.completionTokens += count(json?.usage?.completion_tokens);
    return json ?? {};
  }

  /** One completion: the text of the first choice. Throws EndpointError when the server fails for good. */
  async complete(messages: readonly ChatMessage[], options: CompleteOptions = {}): Promise<string> {
    return this.limiter.run(async () => {
      const body: Record<string, unknown> = { messages, temperature: this.options.temperature ?? 0, stream: false };
      if (this.endpoint.model) body.model = this.endpoint.model;
      if (options.maxTokens) body.max_tokens = options.maxTokens;
      const wantJson = options.json && !this.jsonModeRefused;
      let answer: ChoiceBody;
      try {
        answer = await this.post(wantJson ? { ...body, response_format: { type: 'json_object' } } : body, options.signal);
      } catch (err) {
        if (!(wantJson && err instanceof EndpointError && err.status === 400 && /response_format|json/i.test(err.message))) throw err;
        this.jsonModeRefused = true;
        answer = await this.post(body, options.signal);
      }
      const content = answer.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new EndpointError(`${this.endpoint.label}: the answer has no choices[0].message.content`);
      return content;
    }, options.signal);
  }

  /**
   * Asks for a JSON object and checks it. An answer that is not JSON or fails the check is sent
   * back once with the error; when the second answer fails too, `ok: false` says why (the caller
   * falls back and counts it). Transport failures and cancellation throw.
   */
  async completeJson<T>(messages: readonly ChatMessage[], check: Check<T>, options: CompleteOptions = {}): Promise<JsonAnswer<T>> {
    const conversation = [...messages];
    let error = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const content = await this.complete(conversation, { ...options, json: true });
      const parsed = extractJsonObject(content);
      const checked = parsed.ok ? validate(check, parsed.value) : parsed;
      if (checked.ok) return { ok: true, value: checked.value, attempts: attempt };
      error = checked.error;
      conversation.push({ role: 'assistant', content }, { role: 'user', content: correctionMessage(error) });
    }
    return { ok: false, error, attempts: 2 };
  }
}
