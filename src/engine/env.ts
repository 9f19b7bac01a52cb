/**
 * The one module that reads secrets and settings from the environment. Everything else
 * asks here, so a variable's name, its aliases and its default are written once.
 *
 *   HF_TOKEN, HUGGING_FACE_HUB_TOKEN   Hugging Face token (the first one set wins)
 *   EMBEDLAB_API_KEY, OPENAI_API_KEY   key of an OpenAI-compatible embeddings endpoint
 *   EMBEDLAB_LLM_API_KEY, OPENAI_API_KEY  key of an OpenAI-compatible chat endpoint (LLM assist)
 *   HF_ENDPOINT                        the Hub's address (default https://huggingface.co)
 *   HF_HUB_OFFLINE                     1/true/yes/on: never download
 *   EMBEDLAB_CACHE_DIR                 model cache root (default ~/.cache/embedding-lab)
 *   EMBEDLAB_ORT_THREADS               onnxruntime intra-op threads
 *   EMBEDLAB_TF_BACKEND                force a TensorFlow.js backend (tensorflow|wasm|cpu)
 *   EMBEDLAB_TFJS_WASM_DIR             folder of the tfjs-backend-wasm .wasm files
 *   EMBEDLAB_DEBUG                     the CLI prints stacks of unexpected errors
 *   EMBEDLAB_PYTHON                    the python and ray runners' interpreter
 *   EMBEDLAB_RAY_ADDRESS, RAY_ADDRESS  the ray runner's cluster (the first one set wins)
 *
 * Each reader takes the environment as an argument (default `process.env`) so tests pass their own.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobSecrets } from './jobs/protocol';

export type Environment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' ? value : undefined;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** The Hugging Face token: HF_TOKEN, else HUGGING_FACE_HUB_TOKEN. */
export function hfTokenFromEnv(env: Environment = process.env): string | undefined {
  return nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN);
}

/** The endpoint API key: EMBEDLAB_API_KEY, else OPENAI_API_KEY. */
export function apiKeyFromEnv(env: Environment = process.env): string | undefined {
  return nonEmpty(env.EMBEDLAB_API_KEY) ?? nonEmpty(env.OPENAI_API_KEY);
}

/**
 * The chat endpoint's key: EMBEDLAB_LLM_API_KEY, else OPENAI_API_KEY. Not EMBEDLAB_API_KEY: that
 * one belongs to the embeddings endpoint, which may be another server.
 */
export function llmApiKeyFromEnv(env: Environment = process.env): string | undefined {
  return nonEmpty(env.EMBEDLAB_LLM_API_KEY) ?? nonEmpty(env.OPENAI_API_KEY);
}

/** The secrets a job gets when its caller has no other store (the CLI; the extension's fallback). */
export function secretsFromEnv(env: Environment = process.env): JobSecrets {
  const hfToken = hfTokenFromEnv(env);
  const apiKey = apiKeyFromEnv(env);
  const llmApiKey = llmApiKeyFromEnv(env);
  return { ...(hfToken ? { hfToken } : {}), ...(apiKey ? { apiKey } : {}), ...(llmApiKey ? { llmApiKey } : {}) };
}

/** The cache shared by all projects for downloaded and converted models. */
export function cacheDirFromEnv(env: Environment = process.env): string {
  return nonEmpty(env.EMBEDLAB_CACHE_DIR) ?? path.join(os.homedir(), '.cache', 'embedding-lab');
}

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** The Hub's address, without a trailing slash. */
export function hubEndpointFromEnv(env: Environment = process.env): string {
  return nonEmpty(env.HF_ENDPOINT) ?? DEFAULT_HUB_ENDPOINT;
}

export function hubOfflineFromEnv(env: Environment = process.env): boolean {
  return flag(env.HF_HUB_OFFLINE);
}

/** EMBEDLAB_ORT_THREADS as a positive integer, else undefined. */
export function ortThreadsFromEnv(env: Environment = process.env): number | undefined {
  const n = Number(env.EMBEDLAB_ORT_THREADS);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function tfBackendFromEnv(env: Environment = process.env): string | undefined {
  return nonEmpty(env.EMBEDLAB_TF_BACKEND);
}

/**
 * EMBEDLAB_WASM_THREADS: "0" (or "off") keeps the tfjs wasm backend single-threaded; a positive
 * integer sets its thread count; unset lets it use the threaded build with its default count.
 */
export function wasmThreadsFromEnv(env: Environment = process.env): { enabled: boolean; count?: number } {
  const v = nonEmpty(env.EMBEDLAB_WASM_THREADS)?.toLowerCase();
  if (v === undefined) return { enabled: true };
  if (v === '0' || v === 'off' || v === 'false' || v === 'no') return { enabled: false };
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? { enabled: true, count: n } : { enabled: true };
}

export function tfjsWasmDirFromEnv(env: Environment = process.env): string | undefined {
  return nonEmpty(env.EMBEDLAB_TFJS_WASM_DIR);
}

/** Sets EMBEDLAB_TFJS_WASM_DIR for this process (the bundled engine points it at its own folder). */
export function setTfjsWasmDir(dir: string): void {
  process.env.EMBEDLAB_TFJS_WASM_DIR = dir;
}

export function debugFromEnv(env: Environment = process.env): boolean {
  return nonEmpty(env.EMBEDLAB_DEBUG) !== undefined;
}

/** The python runner's interpreter, when the user names one (EMBEDLAB_PYTHON). */
export function pythonFromEnv(env: Environment = process.env): string | undefined {
  return env.EMBEDLAB_PYTHON?.trim() || undefined;
}

/** The ray runner's cluster address, when the user names one: EMBEDLAB_RAY_ADDRESS, else Ray's own RAY_ADDRESS. */
export function rayAddressFromEnv(env: Environment = process.env): string | undefined {
  return env.EMBEDLAB_RAY_ADDRESS?.trim() || env.RAY_ADDRESS?.trim() || undefined;
}

/** The whole environment, for a child process that inherits it (the python runner's script). */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
