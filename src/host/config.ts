/**
 * Typed access to the `embeddingLab.*` settings. Read them here, nowhere else.
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, readSettings, type SettingValues } from './config-schema';

export type EmbeddingLabConfig = SettingValues;

/** The current settings (for a resource, when given). */
export function getConfig(scope?: vscode.ConfigurationScope): EmbeddingLabConfig {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return readSettings((key) => section.get(key));
}

/** Calls `listener` when any `embeddingLab.*` setting changes. */
export function onConfigChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(CONFIG_SECTION)) listener();
  });
}
