/**
 * The host side of a panel's typed protocol: validates inbound messages with the panel's
 * guards, answers requests (with the request id), runs commands, and queues notifications
 * until the webview reports ready (again after each reload of the page).
 */
import type * as vscode from 'vscode';
import {
  parseWebviewMessage,
  type HostToWebviewMessage, type IpcError, type ProtocolGuards, type ProtocolShape,
} from '../../../protocol/ipc';
import { Disposable } from './disposable';

export type RequestHandlers<P extends ProtocolShape> = {
  [M in keyof P['requests']]: (params: P['requests'][M]['params']) => Promise<P['requests'][M]['result']> | P['requests'][M]['result'];
};
export type CommandHandlers<P extends ProtocolShape> = {
  [M in keyof P['commands']]: (params: P['commands'][M]) => Promise<void> | void;
};

export interface PanelHostOptions<P extends ProtocolShape> {
  guards: ProtocolGuards<P>;
  requests: RequestHandlers<P>;
  commands: CommandHandlers<P>;
  /** Where to report handler errors and invalid messages (e.g. the output channel). */
  log?: (message: string) => void;
}

function toIpcError(e: unknown): IpcError {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

/** Notifications kept for a page that is not ready yet (oldest dropped first). */
const MAX_QUEUED = 200;

export class PanelHost<P extends ProtocolShape> extends Disposable {
  private ready = false;
  private readonly queue: HostToWebviewMessage<P>[] = [];

  constructor(private readonly webview: vscode.Webview, private readonly options: PanelHostOptions<P>) {
    super();
    this._register(webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
  }

  /** Sends a notification now, or once the webview is ready. */
  notify<M extends keyof P['notifications'] & string>(method: M, params: P['notifications'][M]): void {
    this.post({ kind: 'notification', method, params } as HostToWebviewMessage<P>);
  }

  /**
   * Call when the page goes away (panel hidden without retainContextWhenHidden): messages
   * queue until the next page says ready; answers to the old page's requests are dropped.
   */
  resetReady(): void {
    this.ready = false;
  }

  private post(message: HostToWebviewMessage<P>): void {
    if (this.isDisposed) return;
    if (!this.ready) {
      // A response belongs to the page that asked; a new page has its own request ids.
      if (message.kind === 'response') return;
      if (this.queue.length >= MAX_QUEUED) this.queue.shift();
      this.queue.push(message);
      return;
    }
    void this.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw, this.options.guards);
    if ('invalid' in message) {
      this.options.log?.(`webview message ignored: ${message.invalid}`);
      return;
    }
    if (message.kind === 'ready') {
      this.ready = true;
      const pending = this.queue.splice(0);
      for (const m of pending) void this.webview.postMessage(m);
      return;
    }
    if (message.kind === 'command') {
      const handler = this.options.commands[message.method] as (p: unknown) => Promise<void> | void;
      try {
        await handler(message.params);
      } catch (e) {
        this.options.log?.(`command ${message.method} failed: ${toIpcError(e).message}`);
      }
      return;
    }
    const handler = this.options.requests[message.method] as (p: unknown) => unknown;
    try {
      const result = await handler(message.params);
      this.post({ kind: 'response', id: message.id, ok: true, result });
    } catch (e) {
      this.options.log?.(`request ${message.method} failed: ${toIpcError(e).message}`);
      this.post({ kind: 'response', id: message.id, ok: false, error: toIpcError(e) });
    }
  }
}
