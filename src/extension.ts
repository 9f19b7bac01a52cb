/**
 * Activation only: wires the output channel, the engine job runner, the status bar,
 * the project view, file watchers and the command table. Everything else lives in
 * src/host (VS Code side) and src/engine (no vscode).
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { getConfig, onConfigChange } from './host/config';
import { Secrets } from './host/secrets';
import { JobRunner } from './host/jobs';
import { JobStatusBar } from './host/views/job-status-bar';
import { ProjectLocator } from './host/project/locator';
import { ProjectTreeProvider } from './host/views/project-tree';
import { ReportDocuments } from './host/views/report-documents';
import { registerCommands } from './host/commands/index';
import { registerPanelSerializers } from './host/panel-restore';
import type { HostContext } from './host/context';
import { ActiveLoop } from './host/active-loop/active-loop';

export const PROJECT_VIEW_ID = 'embeddingLab.project';

export function activate(extension: vscode.ExtensionContext): HostContext {
  const output = vscode.window.createOutputChannel('Embedding Lab', { log: true });
  const secrets = new Secrets(extension.secrets);
  const statusBar = new JobStatusBar();
  const engineEntry = path.join(extension.extensionPath, 'dist', 'engine-process.js');
  const jobs = new JobRunner(engineEntry, output, statusBar, secrets, getConfig()['engine.cancelGraceMs']);
  const projects = new ProjectLocator(extension.workspaceState);
  const tree = new ProjectTreeProvider(projects);
  const reports = new ReportDocuments();

  const cacheDir = () => getConfig().cacheDirectory || path.join(extension.globalStorageUri.fsPath, 'models');
  const activeLoop = new ActiveLoop({ jobs, output, config: () => getConfig(), refreshProjects: () => tree.refresh(), cacheDir });
  const ctx: HostContext = {
    extension,
    activeLoop,
    output,
    jobs,
    secrets,
    projects,
    reports,
    config: () => getConfig(),
    refreshProjects: () => tree.refresh(),
    cacheDir,
  };

  const view = vscode.window.createTreeView(PROJECT_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const watcher = vscode.workspace.createFileSystemWatcher('**/{project.json,annotations.jsonl,data/*.jsonl,runs/*/*.json}');
  for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) {
    extension.subscriptions.push(event(() => tree.refresh()));
  }
  extension.subscriptions.push(
    output,
    statusBar,
    activeLoop,
    jobs,
    tree,
    reports,
    view,
    watcher,
    onConfigChange(() => output.info('settings changed')),
    ...registerCommands(ctx),
    ...registerPanelSerializers(ctx),
  );
  void vscode.commands.executeCommand('setContext', 'embeddingLab.active', true);
  // Ray Jobs runs that trained on while the editor was closed are followed again.
  void import('./host/project/ray-reattach')
    .then((m) => m.reattachRayRuns(ctx))
    .catch((e: Error) => output.warn(`re-attaching Ray runs: ${e.message}`));
  output.info(`Embedding Lab ${extension.extension.packageJSON.version ?? ''} activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return ctx;
}

export function deactivate(): void {
  /* disposables registered in activate() stop the engine process */
}
