import * as os from 'node:os';
import * as path from 'node:path';

/** Where and how to reach the Hub, resolved from explicit options and the environment. */
export interface HubSettings {
  /** e.g. https://huggingface.co (no trailing slash); env HF_ENDPOINT overrides the default. */
  endpoint: string;
  /** The folder holding `models--org--name/` entries. */
  hubCacheDir: string;
  token?: string;
  offline: boolean;
}

export interface HubSettingsInput {
  endpoint?: string;
  /** The embedding-lab cache root (the Hub cache is its `hub/` subfolder); default as `defaultCacheDir()` in resolve.ts. */
  cacheDir?: string;
  /** The Hub cache folder itself; wins over cacheDir. */
  hubCacheDir?: string;
  token?: string;
  offline?: boolean;
}

function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** Resolves the settings: explicit values first, then HF_ENDPOINT, HF_TOKEN / HUGGING_FACE_HUB_TOKEN, HF_HUB_OFFLINE. */
export function resolveHubSettings(input: HubSettingsInput = {}, env: NodeJS.ProcessEnv = process.env): HubSettings {
  const endpoint = (input.endpoint ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const hubCacheDir = input.hubCacheDir ?? path.join(input.cacheDir ?? env.EMBEDLAB_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'embedding-lab'), 'hub');
  const token = input.token || env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
  const offline = input.offline === true || envFlag(env.HF_HUB_OFFLINE);
  return { endpoint, hubCacheDir, token, offline };
}
