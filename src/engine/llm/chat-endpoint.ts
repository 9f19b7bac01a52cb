import { integerParam, looksLikeHttpUrl, parseEndpointUrl } from '../http/endpoint-url';

/**
 * An OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp's server, TGI):
 *
 *   http://localhost:11434#llama3.1                      → POST http://localhost:11434/v1/chat/completions, model llama3.1
 *   http://localhost:8000/v1?model=Qwen/Qwen2.5-7B-Instruct
 *   https://api.openai.com/v1/chat/completions?model=gpt-4o-mini
 *   https://res.openai.azure.com/openai/deployments/dep?api-version=2024-06-01   (Azure: api-key header, deployment = model)
 *
 * Query parameters read by us and not sent on: model, timeout_ms, retries, concurrency. Others
 * (api-version) stay in the request URL. A path ending in /chat/completions is used as is, one
 * ending in /v1 or an Azure deployment gets /chat/completions, any other gets /v1/chat/completions.
 */
export interface ChatEndpoint {
  /** The URL requests go to (with pass-through query parameters). */
  url: string;
  /** The model sent in each request; `modelOverride` wins over the URL's. */
  model?: string;
  timeoutMs?: number;
  maxRetries?: number;
  concurrency?: number;
  /** Azure OpenAI: key in `api-key`, not `Authorization: Bearer`. */
  azure: boolean;
  /** Without secrets, for messages and records: origin + path. */
  label: string;
}

const OURS = ['model', 'timeout_ms', 'retries', 'concurrency'] as const;

export function looksLikeChatEndpoint(spec: string): boolean {
  return looksLikeHttpUrl(spec);
}

/** Parses a chat endpoint; throws InputError (field "llm") when it is malformed. */
export function parseChatEndpoint(spec: string, modelOverride?: string): ChatEndpoint {
  const u = parseEndpointUrl(spec, 'llm');
  const fromHash = decodeURIComponent(u.hash.replace(/^#/, '')) || undefined;
  const azure = /\.openai\.azure\.com$/i.test(u.hostname) || u.searchParams.has('api-version');
  const out: ChatEndpoint = {
    url: '',
    model: modelOverride?.trim() || u.searchParams.get('model') || fromHash,
    timeoutMs: integerParam(u, 'timeout_ms', 'llm'),
    maxRetries: integerParam(u, 'retries', 'llm', true),
    concurrency: integerParam(u, 'concurrency', 'llm'),
    azure,
    label: '',
  };
  for (const k of OURS) u.searchParams.delete(k);
  u.hash = '';
  let p = u.pathname.replace(/\/+$/, '');
  if (!p.endsWith('/chat/completions')) {
    p = p.endsWith('/v1') || /\/openai\/deployments\/[^/]+$/.test(p) ? `${p}/chat/completions` : `${p}/v1/chat/completions`;
  }
  u.pathname = p;
  out.url = u.toString();
  out.label = `${u.origin}${p}`;
  return out;
}
