/**
 * The Hugging Face token, the endpoint API key and the LLM API key live in VS Code's SecretStorage only.
 * They are handed to the engine process per job and never written to settings or to a
 * project file.
 */
import type * as vscode from 'vscode';
import type { JobSecrets } from '../engine/jobs/protocol';
import { secretsFromEnv } from '../engine/env';

const HF_TOKEN_KEY = 'embeddingLab.huggingFaceToken';
const API_KEY_KEY = 'embeddingLab.endpointApiKey';
const LLM_API_KEY_KEY = 'embeddingLab.llmApiKey';

export type SecretName = 'hfToken' | 'apiKey' | 'llmApiKey';

const storageKeys: Record<SecretName, string> = { hfToken: HF_TOKEN_KEY, apiKey: API_KEY_KEY, llmApiKey: LLM_API_KEY_KEY };

export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(name: SecretName): Thenable<string | undefined> {
    return this.storage.get(storageKeys[name]);
  }

  /** Stores a secret; an empty value deletes it. */
  async set(name: SecretName, value: string): Promise<void> {
    if (value.trim()) await this.storage.store(storageKeys[name], value.trim());
    else await this.storage.delete(storageKeys[name]);
  }

  /** What a job gets: the secrets that are set, env variables as a fallback. */
  async forJob(): Promise<JobSecrets> {
    const fromEnv = secretsFromEnv();
    const hfToken = (await this.get('hfToken')) ?? fromEnv.hfToken;
    const apiKey = (await this.get('apiKey')) ?? fromEnv.apiKey;
    const llmApiKey = (await this.get('llmApiKey')) ?? fromEnv.llmApiKey;
    return { ...(hfToken ? { hfToken } : {}), ...(apiKey ? { apiKey } : {}), ...(llmApiKey ? { llmApiKey } : {}) };
  }
}
