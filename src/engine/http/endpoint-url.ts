import { InputError } from '../util/errors';

/** True for an http(s) URL: the form every endpoint spec (embeddings, chat) takes. */
export function looksLikeHttpUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec.trim());
}

/**
 * Parses an endpoint URL given by the user and refuses what must not be in one: another scheme,
 * credentials, and query parameters that look like secrets (the key comes from SecretStorage or
 * the environment, so it never lands in settings, a run record or a project file).
 */
export function parseEndpointUrl(spec: string, field: string): URL {
  let u: URL;
  try {
    u = new URL(spec.trim());
  } catch {
    throw new InputError(`"${spec}" is not a valid URL`, { field });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`"${spec}": only http(s) endpoints`, { field });
  if (u.username || u.password) {
    throw new InputError('put the API key in EMBEDLAB_API_KEY or OPENAI_API_KEY, not in the endpoint URL', { field });
  }
  for (const k of u.searchParams.keys()) {
    if (/key|token|secret|password/i.test(k)) throw new InputError(`do not put secrets ("${k}") in the endpoint URL; use EMBEDLAB_API_KEY`, { field });
  }
  return u;
}

/** Reads an integer query parameter (≥ 1, or ≥ 0 when `allowZero`); undefined when absent. */
export function integerParam(u: URL, name: string, field: string, allowZero = false): number | undefined {
  const raw = u.searchParams.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new InputError(`"${name}=${raw}" in the endpoint URL must be a ${allowZero ? 'non-negative' : 'positive'} integer`, { field });
  }
  return n;
}

/** True for localhost / 127.x / [::1] (allowed in offline mode). */
export function isLoopbackUrl(url: string): boolean {
  const h = new URL(url).hostname;
  return h === 'localhost' || h === '[::1]' || h.startsWith('127.');
}
