/** The run comparison panel: runs table, metric bars, curves, two maps side by side, export. */
import type * as vscode from 'vscode';
import { runsGuards, type RunsProtocol } from '../../../protocol/runs';
import { BasePanel } from '../common/base-panel';
import { PanelRegistry } from '../common/panel-registry';
import type { RunsSource } from './runs-source';

export const RUNS_VIEW_TYPE = 'embeddingLab.compareRuns';

export class RunsPanel extends BasePanel<RunsProtocol> {
  private static readonly panels = new PanelRegistry<RunsPanel, RunsSource>({
    viewType: RUNS_VIEW_TYPE,
    titlePrefix: 'Compare Runs',
    create: (panel, extensionUri, source, log) => new RunsPanel(panel, extensionUri, source, log),
  });

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
        setRunMeta: ({ runId, name, tags, notes }) => source.setRunMeta(runId, { name, tags, notes }),
        saveExport: async ({ format, content }) => {
          const path = await source.saveExport(format, content);
          return path === undefined ? { saved: false } : { saved: true, path };
        },
      },
      commands: {
        openRun: ({ runId }) => source.openRun?.(runId),
      },
    });
    this._register(RunsPanel.panels.track(source.restoreKey, this));
  }

  /** Sends the project's running runs (their curves so far) to the webview, which updates them in place. */
  async pushRunningRuns(): Promise<void> {
    for (const run of await this.source.runningRuns()) this.notify('runUpdated', { run });
  }

  static show(extensionUri: vscode.Uri, source: RunsSource, log?: (m: string) => void): RunsPanel {
    return RunsPanel.panels.show(extensionUri, source, log);
  }

  static get(restoreKey: string): RunsPanel | undefined {
    return RunsPanel.panels.get(restoreKey);
  }

  static registerSerializer(
    extensionUri: vscode.Uri,
    sourceFor: (restoreKey: string) => Promise<RunsSource | undefined>,
    log?: (m: string) => void,
  ): vscode.Disposable {
    return RunsPanel.panels.registerSerializer(extensionUri, sourceFor, log);
  }
}
