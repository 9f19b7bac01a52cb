import * as path from 'node:path';
import { cacheDirFromEnv, hfTokenFromEnv, hubEndpointFromEnv, hubOfflineFromEnv, type Environment } from '../../env';

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

/** Resolves the settings: explicit values first, then HF_ENDPOINT, HF_TOKEN / HUGGING_FACE_HUB_TOKEN, HF_HUB_OFFLINE. */
export function resolveHubSettings(input: HubSettingsInput = {}, env: Environment = process.env): HubSettings {
  const endpoint = (input.endpoint ?? hubEndpointFromEnv(env)).replace(/\/+$/, '');
  const hubCacheDir = input.hubCacheDir ?? path.join(input.cacheDir ?? cacheDirFromEnv(env), 'hub');
  const token = input.token || hfTokenFromEnv(env);
  const offline = input.offline === true || hubOfflineFromEnv(env);
  return { endpoint, hubCacheDir, token, offline };
}
