/** The pair annotation panel: saves each score at once and reports progress back. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { annotateGuards, type AnnotateProtocol, type PairView } from '../../../protocol/annotate';
import { BasePanel } from '../common/base-panel';
import { PanelRegistry } from '../common/panel-registry';
import type { AnnotationSource, SaveResult } from './annotation-source';
import { ServedPairs, withoutHints } from './served-pairs';
import { CONFIG_SECTION } from '../../config-schema';
import { getConfig } from '../../config';

export const ANNOTATE_VIEW_TYPE = 'embeddingLab.annotatePairs';

export class AnnotatePanel extends BasePanel<AnnotateProtocol> {
  private static readonly panels = new PanelRegistry<AnnotatePanel, AnnotationSource>({
    viewType: ANNOTATE_VIEW_TYPE,
    titlePrefix: 'Annotate',
    create: (panel, extensionUri, source, log) => new AnnotatePanel(panel, extensionUri, source, log),
  });

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: AnnotationSource, log?: (m: string) => void) {
    // The session outlives the page: hiding the panel drops the page, not this queue.
    const served = new ServedPairs();
    // The host keeps each pair's LLM hint; the page gets it only while the setting shows hints.
    const forPage = (pairs: PairView[]): PairView[] => (source.hintsShown?.() === false ? withoutHints(pairs) : pairs);
    const saved = async (id1: string, id2: string, save: () => Promise<SaveResult>): Promise<void> => {
      try {
        const r = await save();
        this.host.notify('saved', { id1, id2, progress: r.progress, agreement: r.agreement, overall: r.overall });
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
        nextPairs: async ({ strategy, count }) => {
          const pairs = served.withoutPassed(await source.nextPairs(strategy, Math.min(count, 200)));
          served.served(strategy, pairs);
          return { pairs: forPage(pairs) };
        },
        pendingPairs: async ({ strategy }) => ({ pairs: forPage(served.pendingFor(strategy)) }),
        reviewPairs: (query) => source.reviewPairs(query),
        refreshPairs: async ({ strategy, count, keep }) => {
          const pairs = await source.nextPairs(strategy, Math.min(count, 200));
          const { kept, fresh } = served.refreshPending(strategy, keep, pairs);
          return { pairs: forPage(fresh), kept: forPage(kept) };
        },
      },
      commands: {
        score: ({ id1, id2, score, note, hintShown }) => {
          served.done(id1, id2);
          return saved(id1, id2, () => source.score(id1, id2, score, note, hintShown));
        },
        skip: ({ id1, id2, note }) => {
          served.done(id1, id2);
          return saved(id1, id2, () => source.skip(id1, id2, note));
        },
        undo: ({ id1, id2 }) => {
          served.undone(id1, id2);
          return saved(id1, id2, () => source.undo(id1, id2));
        },
        pass: ({ id1, id2 }) => served.pass(id1, id2),
        openProjectFile: async ({ file }) => {
          const p = await source.projectFile(file);
          await vscode.window.showTextDocument(vscode.Uri.file(p), { viewColumn: vscode.ViewColumn.Beside, preview: false });
        },
        setStrategy: ({ strategy }) => source.setStrategy(strategy),
      },
    });
    this._register(AnnotatePanel.panels.track(source.restoreKey, this));
    this.watchSessionFiles();
    const loop = source.onActiveLoop?.((change) => this.host.notify('activeLoop', change));
    if (loop) this._register(loop);
    // The hint setting is read when pairs are suggested: the page asks again for the pairs it holds.
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${CONFIG_SECTION}.annotate.showLlmHint`)) {
        this.host.notify('hintSettingChanged', { show: getConfig()['annotate.showLlmHint'] });
      }
    }));
  }

  /** guidelines.md or project.json saved: the page gets the new guidelines and rubric. */
  private watchSessionFiles(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.source.getSession().then(
          (s) => this.host.notify('sessionChanged', s),
          () => undefined, // a half-saved project.json: the next save sends the session
        );
      }, 200);
    };
    for (const file of this.source.sessionFiles) {
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file))));
      this._register(watcher.onDidChange(changed));
      this._register(watcher.onDidCreate(changed));
      this._register(watcher.onDidDelete(changed));
    }
    this._register({ dispose: () => clearTimeout(timer) });
  }

  static show(extensionUri: vscode.Uri, source: AnnotationSource, log?: (m: string) => void): AnnotatePanel {
    return AnnotatePanel.panels.show(extensionUri, source, log);
  }

  static get(restoreKey: string): AnnotatePanel | undefined {
    return AnnotatePanel.panels.get(restoreKey);
  }

  static registerSerializer(
    extensionUri: vscode.Uri,
    sourceFor: (restoreKey: string) => Promise<AnnotationSource | undefined>,
    log?: (m: string) => void,
  ): vscode.Disposable {
    return AnnotatePanel.panels.registerSerializer(extensionUri, sourceFor, log);
  }
}
