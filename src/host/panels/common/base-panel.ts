/**
 * A webview panel with a typed protocol: creates or adopts (serializer) the vscode panel,
 * sets the HTML once (never again on visibility changes: the webview keeps UI state with
 * setState and refetches data), and owns the PanelHost.
 */
import * as vscode from 'vscode';
import type { ProtocolShape } from '../../../protocol/ipc';
import { Disposable } from './disposable';
import { buildPanelHtml, panelResourceRoots } from './html';
import { PanelHost, type PanelHostOptions } from './panel-host';

export interface BasePanelOptions<P extends ProtocolShape> extends PanelHostOptions<P> {
  extensionUri: vscode.Uri;
  /** Bundle name and webview panel type suffix: 'map' | 'annotate' | 'runs'. */
  bundle: string;
  title: string;
  /** Kept by the webview in its state; given back to the serializer after a restart. */
  restoreKey: string;
}

/** Options every panel uses when it creates its vscode panel. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: panelResourceRoots(extensionUri), retainContextWhenHidden: false };
}

export abstract class BasePanel<P extends ProtocolShape> extends Disposable {
  protected readonly host: PanelHost<P>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once when the panel closes. */
  readonly onDidDispose = this.disposeEmitter.event;

  protected constructor(readonly panel: vscode.WebviewPanel, options: BasePanelOptions<P>) {
    super();
    panel.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(options.extensionUri) };
    this.host = this._register(new PanelHost<P>(panel.webview, options));
    panel.webview.html = buildPanelHtml({
      webview: panel.webview,
      extensionUri: options.extensionUri,
      bundle: options.bundle,
      title: options.title,
      restoreKey: options.restoreKey,
    });
    // Hidden panels lose their page (no retainContextWhenHidden); the html is never reset here:
    // VS Code recreates the page from it when shown, and that page says ready again.
    this._register(panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) this.host.resetReady();
    }));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(this.disposeEmitter);
  }

  /** Sends a notification to the webview (queued until it is ready). */
  notify<M extends keyof P['notifications'] & string>(method: M, params: P['notifications'][M]): void {
    this.host.notify(method, params);
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.disposeEmitter.fire();
    super.dispose();
    this.panel.dispose();
  }
}

/** Reads the restore key a webview saved with setState ({ restore: string }). */
export function restoreKeyOf(state: unknown): string | undefined {
  if (typeof state === 'object' && state !== null && 'restore' in state) {
    const r = (state as { restore: unknown }).restore;
    if (typeof r === 'string') return r;
  }
  return undefined;
}
