/** The run comparison panel: runs table, metric bars, curves, two maps side by side, export. */
import * as vscode from 'vscode';
import { runsGuards, type RunsNotifications, type RunsProtocol } from '../../../protocol/runs';
import { BasePanel, panelOptions, restoreKeyOf } from '../common/base-panel';
import type { RunsSource } from './runs-source';

export const RUNS_VIEW_TYPE = 'embeddingLab.compareRuns';

export class RunsPanel extends BasePanel<RunsProtocol> {
  private static readonly open = new Map<string, RunsPanel>();

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: RunsSource, log?: (m: string) => void) {
    super(panel, {
      extensionUri,
      bundle: 'runs',
      title: source.title,
      restoreKey: source.restoreKey,
      guards: runsGuards,
      log,
      requests: {
        getRuns: async () => ({ runs: await source.getRuns() }),
        getRunMap: ({ runId, stage }) => source.getRunMap(runId, stage ?? 'after'),
        saveExport: async ({ format, content }) => {
          const path = await source.saveExport(format, content);
          return path === undefined ? { saved: false } : { saved: true, path };
        },
      },
      commands: {
        openRun: ({ runId }) => source.openRun?.(runId),
      },
    });
    RunsPanel.open.set(source.restoreKey, this);
    this._register({ dispose: () => RunsPanel.open.delete(source.restoreKey) });
  }

  static show(extensionUri: vscode.Uri, source: RunsSource, log?: (m: string) => void): RunsPanel {
    const existing = RunsPanel.open.get(source.restoreKey);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RUNS_VIEW_TYPE, `Compare Runs: ${source.title}`, vscode.ViewColumn.Active, panelOptions(extensionUri));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'embedding-lab.svg');
    return new RunsPanel(panel, extensionUri, source, log);
  }

  static get(restoreKey: string): RunsPanel | undefined {
    return RunsPanel.open.get(restoreKey);
  }

  /** `runsChanged` after a run is added/removed; `runUpdated` for live training progress. */
  notify<M extends keyof RunsNotifications & string>(method: M, params: RunsNotifications[M]): void {
    this.host.notify(method, params);
  }

  static registerSerializer(
    extensionUri: vscode.Uri,
    sourceFor: (restoreKey: string) => Promise<RunsSource | undefined>,
    log?: (m: string) => void,
  ): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(RUNS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const key = restoreKeyOf(state);
        const source = key === undefined ? undefined : await sourceFor(key);
        if (!source) {
          panel.dispose();
          return;
        }
        new RunsPanel(panel, extensionUri, source, log);
      },
    });
  }
}
