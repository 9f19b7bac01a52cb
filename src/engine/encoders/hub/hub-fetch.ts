import { CancelledError } from '../../util/job';
import { HubError } from './hub-errors';

export interface HubFetchOptions {
  /** Sent only to the host of the first URL; dropped when a redirect leaves it (the CDN). */
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  maxRedirects?: number;
}

/**
 * GET with redirects followed by hand, so that the Authorization header is sent only to the
 * Hub host and never to the CDN a large file redirects to. Returns the final response.
 */
export async function hubGet(url: string, options: HubFetchOptions = {}): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  const maxRedirects = options.maxRedirects ?? 10;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'embedding-lab', ...options.headers };
    if (options.token && new URL(current).origin === origin) headers.authorization = `Bearer ${options.token}`;
    let res: Response;
    try {
      res = await fetch(current, { headers, redirect: 'manual', signal: options.signal });
    } catch (err) {
      throw translateFetchError(err, current, options.signal);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw new HubError(`too many redirects from ${url}`);
      current = new URL(location, current).toString();
      continue;
    }
    return res;
  }
}

/** Cancellation becomes CancelledError; a network failure a HubError naming the URL. */
export function translateFetchError(err: unknown, url: string, signal?: AbortSignal): Error {
  if (signal?.aborted) return new CancelledError();
  if (err instanceof CancelledError || err instanceof HubError) return err;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message ?? e.message;
  return new HubError(`network error for ${redactUrl(url)}: ${cause}`);
}

/** The URL without its query string (CDN URLs carry signatures). */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return u.origin + u.pathname;
}
