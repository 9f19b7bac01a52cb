/** Secrets, log, cancel, engine check. */
import * as vscode from 'vscode';
import type { CommandFactory } from './types';
import type { SecretName } from '../secrets';
import { showError } from './args';

function setSecret(name: SecretName, title: string, prompt: string): CommandFactory {
  return (ctx) => async () => {
    const value = await vscode.window.showInputBox({ title, prompt, password: true, ignoreFocusOut: true });
    if (value === undefined) return;
    await ctx.secrets.set(name, value);
    void vscode.window.showInformationMessage(value.trim() ? `Embedding Lab: ${title.replace(/^Set /, '')} saved in secret storage.` : `Embedding Lab: ${title.replace(/^Set /, '')} removed.`);
  };
}

export const setHuggingFaceToken = setSecret('hfToken', 'Set Hugging Face Token', 'A Hugging Face access token (hf_…), for private or gated models. Empty to remove.');
export const setApiKey = setSecret('apiKey', 'Set Endpoint API Key', 'The API key of your OpenAI-compatible embeddings endpoint. Empty to remove.');

export const setLlmApiKey = setSecret('llmApiKey', 'Set LLM API Key', 'The API key of your OpenAI-compatible chat endpoint (LLM assist: topic names, cluster judgments). Empty to remove.');

export const showLog: CommandFactory = (ctx) => () => ctx.output.show();

export const cancelJob: CommandFactory = (ctx) => () => {
  const n = ctx.jobs.cancelAll();
  if (n === 0) void vscode.window.showInformationMessage('Embedding Lab: no job is running.');
};

/** Cancels the active loop's running round (the run stops after its current batch, and stays as a cancelled run). */
export const cancelActiveLoop: CommandFactory = (ctx) => async () => {
  if (!(await ctx.activeLoop?.cancel())) void vscode.window.showInformationMessage('Embedding Lab: no active loop round is running.');
};

/** Runs a short diagnostic job in the engine process (progress, cancel) and reports. */
export const checkEngine: CommandFactory = (ctx) => async () => {
  try {
    const started = Date.now();
    const result = await ctx.jobs.run('Check Engine', { type: 'sleep', params: { ms: 1500, steps: 15 } });
    if (!result) return;
    const message = `Embedding Lab: the engine process (pid ${ctx.jobs.enginePid}) answered; round trip ${Date.now() - started} ms.`;
    ctx.output.info(message);
    void vscode.window.showInformationMessage(message);
  } catch (err) {
    await showError(ctx, 'Check Engine', err);
  }
};
