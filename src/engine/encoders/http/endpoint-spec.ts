import { integerParam, looksLikeHttpUrl, parseEndpointUrl } from '../../http/endpoint-url';

/**
 * An OpenAI-compatible embeddings endpoint, parsed from an encoder spec:
 *
 *   http://localhost:8080                              → POST http://localhost:8080/v1/embeddings (TEI: model optional)
 *   http://localhost:11434/v1#nomic-embed-text         → the model after '#' (Ollama, vLLM need it)
 *   https://api.openai.com/v1/embeddings?model=text-embedding-3-small&dimensions=256
 *   https://res.openai.azure.com/openai/deployments/dep/embeddings?api-version=2024-02-01   (Azure: api-key header)
 *
 * Query parameters read by us and not sent on: model, dimensions, batch_size, max_chars,
 * timeout_ms, retries, concurrency. Others (api-version) stay in the request URL. A path ending
 * in /embeddings is used as is; one ending in /v1 gets /embeddings; any other gets /v1/embeddings.
 */
export interface EndpointSpec {
  /** The URL requests go to (with pass-through query parameters). */
  url: string;
  model?: string;
  dimensions?: number;
  batchSize?: number;
  maxCharsPerRequest?: number;
  timeoutMs?: number;
  maxRetries?: number;
  concurrency?: number;
  /** Azure OpenAI: key in `api-key`, not `Authorization: Bearer`. */
  azure: boolean;
  /** A stable id without secrets: origin + path + model + dimensions. */
  id: string;
}

const OURS = ['model', 'dimensions', 'batch_size', 'max_chars', 'timeout_ms', 'retries', 'concurrency'] as const;

export function looksLikeEndpointSpec(spec: string): boolean {
  return looksLikeHttpUrl(spec);
}

function positiveInt(u: URL, name: string): number | undefined {
  return integerParam(u, name, 'encoder', name === 'retries');
}

/** Parses an endpoint spec; throws InputError (field "encoder") when it is malformed. */
export function parseEndpointSpec(spec: string): EndpointSpec {
  const u = parseEndpointUrl(spec, 'encoder');
  const fromHash = decodeURIComponent(u.hash.replace(/^#/, '')) || undefined;
  const model = u.searchParams.get('model') ?? fromHash;
  const out: EndpointSpec = {
    url: '',
    model: model || undefined,
    dimensions: positiveInt(u, 'dimensions'),
    batchSize: positiveInt(u, 'batch_size'),
    maxCharsPerRequest: positiveInt(u, 'max_chars'),
    timeoutMs: positiveInt(u, 'timeout_ms'),
    maxRetries: positiveInt(u, 'retries'),
    concurrency: positiveInt(u, 'concurrency'),
    azure: /\.openai\.azure\.com$/i.test(u.hostname) || u.searchParams.has('api-version'),
    id: '',
  };
  for (const k of OURS) u.searchParams.delete(k);
  u.hash = '';
  let p = u.pathname.replace(/\/+$/, '');
  if (!p.endsWith('/embeddings')) p = p.endsWith('/v1') ? `${p}/embeddings` : `${p}/v1/embeddings`;
  u.pathname = p;
  out.url = u.toString();
  out.id = `http:${u.origin}${p}${out.model ? `#${out.model}` : ''}${out.dimensions ? `@d${out.dimensions}` : ''}`;
  return out;
}
