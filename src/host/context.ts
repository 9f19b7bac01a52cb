/**
 * What every command handler gets: the extension context, the job runner, secrets, the
 * project locator, settings and the log. Created once in `activate`.
 */
import type * as vscode from 'vscode';
import type { JobRunner } from './jobs';
import type { Secrets } from './secrets';
import type { ProjectLocator } from './project/locator';
import type { EmbeddingLabConfig } from './config';
import type { ReportDocuments } from './views/report-documents';
import type { ActiveLoop } from './active-loop/active-loop';

export interface HostContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly jobs: JobRunner;
  readonly secrets: Secrets;
  readonly projects: ProjectLocator;
  /** Read-only Markdown reports in editor tabs. */
  readonly reports: ReportDocuments;
  /** The active loop (background re-training as the user annotates); absent in tests that build a partial context. */
  readonly activeLoop?: ActiveLoop;
  /** The current settings. */
  config(): EmbeddingLabConfig;
  /** Refreshes the project view. */
  refreshProjects(): void;
  /** Where downloaded models are cached. */
  cacheDir(): string;
}
