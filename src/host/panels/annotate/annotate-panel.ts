/** The pair annotation panel: saves each score at once and reports progress back. */
import * as vscode from 'vscode';
import { annotateGuards, type AnnotateNotifications, type AnnotateProtocol } from '../../../protocol/annotate';
import { BasePanel, panelOptions, restoreKeyOf } from '../common/base-panel';
import type { AnnotationSource, SaveResult } from './annotation-source';

export const ANNOTATE_VIEW_TYPE = 'embeddingLab.annotatePairs';

export class AnnotatePanel extends BasePanel<AnnotateProtocol> {
  private static readonly open = new Map<string, AnnotatePanel>();

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: AnnotationSource, log?: (m: string) => void) {
    const saved = async (id1: string, id2: string, save: () => Promise<SaveResult>): Promise<void> => {
      try {
        const r = await save();
        this.host.notify('saved', { id1, id2, progress: r.progress, agreement: r.agreement });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.host.notify('saveFailed', { id1, id2, message });
        void vscode.window.showErrorMessage(`Embedding Lab: the annotation was not saved: ${message}`);
      }
    };
    super(panel, {
      extensionUri,
      bundle: 'annotate',
      title: source.title,
      restoreKey: source.restoreKey,
      guards: annotateGuards,
      log,
      requests: {
        getSession: () => source.getSession(),
        nextPairs: async ({ strategy, count }) => ({ pairs: await source.nextPairs(strategy, Math.min(count, 200)) }),
      },
      commands: {
        score: ({ id1, id2, score, note }) => saved(id1, id2, () => source.score(id1, id2, score, note)),
        skip: ({ id1, id2, note }) => saved(id1, id2, () => source.skip(id1, id2, note)),
        undo: ({ id1, id2 }) => saved(id1, id2, () => source.undo(id1, id2)),
        setStrategy: ({ strategy }) => source.setStrategy(strategy),
      },
    });
    AnnotatePanel.open.set(source.restoreKey, this);
    this._register({ dispose: () => AnnotatePanel.open.delete(source.restoreKey) });
  }

  static show(extensionUri: vscode.Uri, source: AnnotationSource, log?: (m: string) => void): AnnotatePanel {
    const existing = AnnotatePanel.open.get(source.restoreKey);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ANNOTATE_VIEW_TYPE, `Annotate: ${source.title}`, vscode.ViewColumn.Active, panelOptions(extensionUri));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'embedding-lab.svg');
    return new AnnotatePanel(panel, extensionUri, source, log);
  }

  static get(restoreKey: string): AnnotatePanel | undefined {
    return AnnotatePanel.open.get(restoreKey);
  }

  notify<M extends keyof AnnotateNotifications & string>(method: M, params: AnnotateNotifications[M]): void {
    this.host.notify(method, params);
  }

  static registerSerializer(
    extensionUri: vscode.Uri,
    sourceFor: (restoreKey: string) => Promise<AnnotationSource | undefined>,
    log?: (m: string) => void,
  ): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(ANNOTATE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const key = restoreKeyOf(state);
        const source = key === undefined ? undefined : await sourceFor(key);
        if (!source) {
          panel.dispose();
          return;
        }
        new AnnotatePanel(panel, extensionUri, source, log);
      },
    });
  }
}
