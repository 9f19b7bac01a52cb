/** The VS Code webview API (acquireVsCodeApi may be called once) and persisted UI state. */
import { IpcClient, type IpcTransport } from './ipc';
import type { ProtocolShape } from '../../src/protocol/ipc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** A transport over the VS Code API and window message events. */
export function vscodeTransport(): IpcTransport {
  const vs = vscodeApi();
  return {
    post: (m) => vs.postMessage(m),
    listen: (handler) => {
      const l = (e: MessageEvent) => handler(e.data);
      window.addEventListener('message', l);
      return () => window.removeEventListener('message', l);
    },
  };
}

export function createClient<P extends ProtocolShape>(): IpcClient<P> {
  return new IpcClient<P>(vscodeTransport());
}

/** The restore key the host put on <body>; kept in state so the serializer can revive the panel. */
function restoreKey(): string {
  return document.body.dataset.restore ?? '';
}

/** Reads this panel's UI state (zoom, pan, filters…), or undefined. */
export function loadUiState<T extends object>(): Partial<T> | undefined {
  const s = vscodeApi().getState();
  if (typeof s === 'object' && s !== null && 'ui' in s) return (s as { ui: Partial<T> }).ui;
  return undefined;
}

/** Saves UI state only (never data: the webview refetches that). */
export function saveUiState<T extends object>(ui: T): void {
  vscodeApi().setState({ restore: restoreKey(), ui });
}
