import { CancelledError, isCancelledError, untilCancelled, type ProgressListener } from '../util/job';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep } from './retry';

/** An endpoint answered with an error we do not retry, or kept failing. */
export class EndpointError extends Error {
  override name = 'EndpointError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** One JSON POST to an OpenAI-compatible endpoint (embeddings, chat completions). */
export interface JsonPostRequest {
  url: string;
  body: unknown;
  /** Sent as `Authorization: Bearer` (or `api-key` for Azure); never logged or written anywhere. */
  apiKey?: string;
  azure: boolean;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  signal?: AbortSignal;
  /** For error messages: the endpoint without secrets. */
  label: string;
  /**
   * Told of each retry (stage "retry": the failure, retry n/N, the wait) and, while a request has
   * no answer, every `waitNoticeMs` (stage "waiting"), so a failing endpoint is never silent.
   */
  onProgress?: ProgressListener;
  /** How often to say a request is still waiting for its answer (default 10 s). */
  waitNoticeMs?: number;
  /** Told of every 429 before its retry wait, with the wait (a concurrency limiter slows down on it). */
  onRateLimited?: (waitMs: number) => void;
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const b = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const m = typeof b.error === 'object' && b.error ? b.error.message : (b.error ?? b.message ?? b.detail);
    if (typeof m === 'string') return m;
  } catch {
    /* not JSON */
  }
  return text.trim().slice(0, 500) || res.statusText;
}

function authHeaders(apiKey: string | undefined, azure: boolean): Record<string, string> {
  if (!apiKey) return {};
  return azure ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
}

/**
 * POSTs a JSON body and returns the parsed JSON answer. Retries 429, 5xx, timeouts and network
 * errors with exponential back-off and jitter (honouring Retry-After); a 4xx fails at once with
 * the server's message. Each attempt has its own timeout, combined with the job signal.
 */
export async function postJson(r: JsonPostRequest): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(r.apiKey, r.azure) };
  const payload = JSON.stringify(r.body);
  for (let attempt = 0; ; attempt++) {
    if (r.signal?.aborted) throw new CancelledError();
    const timeout = AbortSignal.timeout(r.timeoutMs);
    const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
    let failure: string;
    let retryAfter: number | undefined;
    let status: number | undefined;
    const sent = Date.now();
    const notice = r.onProgress
      ? setInterval(() => {
          const waited = Math.round((Date.now() - sent) / 1000);
          r.onProgress!({
            stage: 'waiting',
            done: attempt + 1,
            total: r.maxRetries + 1,
            message: `${r.label}: no answer yet after ${waited} s (attempt ${attempt + 1}/${r.maxRetries + 1}, timeout ${Math.round(r.timeoutMs / 1000)} s)`,
          });
        }, r.waitNoticeMs ?? 10_000)
      : undefined;
    try {
      const res = await fetch(r.url, { method: 'POST', headers, body: payload, signal });
      if (res.ok) {
        try {
          return await untilCancelled(res.json() as Promise<unknown>, signal);
        } catch (err) {
          if (isCancelledError(err)) throw err;
          throw new EndpointError(`${r.label}: the response is not JSON`);
        }
      }
      status = res.status;
      const message = await errorMessage(res);
      if (!isRetryableStatus(res.status)) {
        const hint = res.status === 401 || res.status === 403 ? ' (check the API key in EMBEDLAB_API_KEY or OPENAI_API_KEY)' : '';
        throw new EndpointError(`${r.label}: HTTP ${res.status}: ${message}${hint}`, res.status);
      }
      failure = `HTTP ${res.status}: ${message}`;
      retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    } catch (err) {
      if (err instanceof EndpointError) throw err;
      if (r.signal?.aborted) throw new CancelledError();
      if (timeout.aborted) failure = `no answer within ${r.timeoutMs} ms (timeout)`;
      else {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        failure = `network error: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
      }
    } finally {
      clearInterval(notice);
    }
    if (attempt >= r.maxRetries) {
      throw new EndpointError(`${r.label}: ${failure} (gave up after ${attempt + 1} attempt${attempt ? 's' : ''})`, status);
    }
    const delay = Math.min(r.retryMaxMs, retryAfter ?? backoffDelay(attempt, r.retryBaseMs, r.retryMaxMs));
    if (status === 429) r.onRateLimited?.(delay);
    r.onProgress?.({
      stage: 'retry',
      done: attempt + 1,
      total: r.maxRetries,
      message: `${r.label}: ${failure}; retry ${attempt + 1}/${r.maxRetries}, waiting ${(delay / 1000).toFixed(1)} s`,
    });
    try {
      await sleep(delay, r.signal);
    } catch {
      throw new CancelledError();
    }
  }
}
