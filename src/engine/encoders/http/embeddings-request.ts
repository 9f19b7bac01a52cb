import { EndpointError, postJson, type JsonPostRequest } from '../../http/post-json';

export { EndpointError };

/** One /v1/embeddings batch: the texts and model, plus postJson's transport settings. */
export interface EmbeddingsRequest extends Omit<JsonPostRequest, 'body' | 'onRateLimited'> {
  model?: string;
  dimensions?: number;
  input: string[];
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
  const { model: _model, dimensions: _dimensions, input: _input, ...transport } = r;
  const json = await postJson({ ...transport, body });
  return parseEmbeddingsResponse(json, r.input.length, r.label);
}
