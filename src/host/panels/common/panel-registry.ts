/**
 * The open panels of one kind, one per restore key: `show` reveals the open one or creates
 * it, and the serializer revives panels after a restart from their saved restore key.
 */
import * as vscode from 'vscode';
import { panelOptions, restoreKeyOf } from './base-panel';
import type { DisposableLike } from './disposable';

/** What a panel shows: its tab title and the key it is kept and restored by. */
export interface PanelSource {
  readonly title: string;
  readonly restoreKey: string;
}

export type PanelLog = (message: string) => void;

export interface PanelKind<T, S extends PanelSource> {
  viewType: string;
  /** The tab title is `<titlePrefix>: <source title>`. */
  titlePrefix: string;
  /** Builds the panel object around a vscode panel (new, or adopted by the serializer). */
  create(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: S, log?: PanelLog): T;
}

export class PanelRegistry<T extends { reveal(): void }, S extends PanelSource> {
  private readonly open = new Map<string, T>();

  constructor(private readonly kind: PanelKind<T, S>) {}

  /** Records an open panel; disposing the result forgets it (the panel registers it). */
  track(restoreKey: string, panel: T): DisposableLike {
    this.open.set(restoreKey, panel);
    return { dispose: () => this.open.delete(restoreKey) };
  }

  /** The open panel for a restore key, if any. */
  get(restoreKey: string): T | undefined {
    return this.open.get(restoreKey);
  }

  all(): T[] {
    return [...this.open.values()];
  }

  /** Shows the panel for `source`, reusing an open one with the same restore key. */
  show(extensionUri: vscode.Uri, source: S, log?: PanelLog): T {
    const existing = this.open.get(source.restoreKey);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.kind.viewType, `${this.kind.titlePrefix}: ${source.title}`, vscode.ViewColumn.Active, panelOptions(extensionUri));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'embedding-lab.svg');
    return this.kind.create(panel, extensionUri, source, log);
  }

  /**
   * Restores panels after a restart. `sourceFor(restoreKey)` rebuilds the source, or returns
   * undefined when its project is gone (the panel is then closed).
   */
  registerSerializer(extensionUri: vscode.Uri, sourceFor: (restoreKey: string) => Promise<S | undefined>, log?: PanelLog): vscode.Disposable {
    const kind = this.kind;
    return vscode.window.registerWebviewPanelSerializer(kind.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const key = restoreKeyOf(state);
        const source = key === undefined ? undefined : await sourceFor(key);
        if (!source) {
          panel.dispose();
          return;
        }
        kind.create(panel, extensionUri, source, log);
      },
    });
  }
}
