import type { ProgressListener } from '../../util/job';
import { EndpointError, postJson } from '../../http/post-json';

export { EndpointError };

export interface EmbeddingsRequest {
  url: string;
  model?: string;
  dimensions?: number;
  input: string[];
  apiKey?: string;
  azure: boolean;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  signal?: AbortSignal;
  /** For error messages: the endpoint without secrets. */
  label: string;
  /** Told of retries and of requests still waiting for their answer (see JsonPostRequest). */
  onProgress?: ProgressListener;
  /** How often to say a request is still waiting for its answer (default 10 s). */
  waitNoticeMs?: number;
}

interface EmbeddingItem {
  index?: unknown;
  embedding?: unknown;
}

/** Float32 little-endian from base64, for servers that ignore encoding_format: 'float'. */
function decodeBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

/** Reads `{data: [{index, embedding}]}` and returns the rows in input order. */
export function parseEmbeddingsResponse(body: unknown, count: number, label: string): Float32Array[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new EndpointError(`${label}: the response has no "data" array`);
  if (data.length !== count) throw new EndpointError(`${label}: sent ${count} texts, got ${data.length} embeddings`);
  const rows: (Float32Array | undefined)[] = new Array(count);
  data.forEach((item: EmbeddingItem, pos) => {
    const index = item.index === undefined ? pos : item.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || rows[index]) {
      throw new EndpointError(`${label}: bad or repeated "index" ${String(index)} in the response`);
    }
    const e = item.embedding;
    if (typeof e === 'string') rows[index] = decodeBase64(e);
    else if (Array.isArray(e) && e.every((v) => typeof v === 'number')) rows[index] = Float32Array.from(e as number[]);
    else throw new EndpointError(`${label}: embedding ${index} is not a list of numbers`);
  });
  return rows as Float32Array[];
}

/**
 * POSTs one batch to /v1/embeddings and returns its embeddings in input order (retries, 429 and
 * timeouts are postJson's).
 */
export async function requestEmbeddings(r: EmbeddingsRequest): Promise<Float32Array[]> {
  const body: Record<string, unknown> = { input: r.input, encoding_format: 'float' };
  if (r.model) body.model = r.model;
  if (r.dimensions) body.dimensions = r.dimensions;
  const json = await postJson({
    url: r.url,
    body,
    apiKey: r.apiKey,
    azure: r.azure,
    timeoutMs: r.timeoutMs,
    maxRetries: r.maxRetries,
    retryBaseMs: r.retryBaseMs,
    retryMaxMs: r.retryMaxMs,
    signal: r.signal,
    label: r.label,
    onProgress: r.onProgress,
    waitNoticeMs: r.waitNoticeMs,
  });
  return parseEmbeddingsResponse(json, r.input.length, r.label);
}
