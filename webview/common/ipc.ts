/**
 * The webview side of a panel's typed protocol: commands (fire and forget), requests with
 * ids, a pending map with a timeout per entry (each entry is deleted once it settles), and
 * notification handlers. Pure: the transport is injected, so node tests can drive it.
 */
import type { ProtocolShape, WebviewToHostMessage } from '../../src/protocol/ipc';
import { isHostMessage } from '../../src/protocol/ipc';

export class RequestTimeoutError extends Error {
  constructor(method: string, ms: number) {
    super(`request "${method}" got no answer within ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export class RemoteError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface IpcTransport {
  post(message: unknown): void;
  /** Subscribe to inbound messages; returns an unsubscribe function. */
  listen(handler: (message: unknown) => void): () => void;
}

export interface IpcClientOptions {
  /** Default request timeout (ms). */
  timeoutMs?: number;
}

export class IpcClient<P extends ProtocolShape> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<(params: unknown) => void>>();
  private readonly unlisten: () => void;
  private readonly timeoutMs: number;

  constructor(private readonly transport: IpcTransport, options: IpcClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.unlisten = transport.listen((m) => this.receive(m));
  }

  /** Number of requests still waiting for an answer. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Tell the host this page is ready for its queued notifications. */
  ready(): void {
    this.transport.post({ kind: 'ready' } satisfies WebviewToHostMessage<P>);
  }

  command<M extends keyof P['commands'] & string>(method: M, params: P['commands'][M]): void {
    this.transport.post({ kind: 'command', method, params });
  }

  request<M extends keyof P['requests'] & string>(
    method: M,
    params: P['requests'][M]['params'],
    timeoutMs = this.timeoutMs,
  ): Promise<P['requests'][M]['result']> {
    const id = this.nextId++;
    return new Promise<P['requests'][M]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.transport.post({ kind: 'request', id, method, params });
    });
  }

  /** Handle a notification; returns an unsubscribe function. */
  on<M extends keyof P['notifications'] & string>(method: M, handler: (params: P['notifications'][M]) => void): () => void {
    let set = this.handlers.get(method);
    if (!set) this.handlers.set(method, (set = new Set()));
    const h = handler as (p: unknown) => void;
    set.add(h);
    return () => set?.delete(h);
  }

  /** Reject everything pending and stop listening. */
  dispose(): void {
    this.unlisten();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`request "${p.method}" abandoned`));
      this.pending.delete(id);
    }
  }

  private receive(message: unknown): void {
    if (!isHostMessage(message)) return;
    if (message.kind === 'response') {
      const p = this.pending.get(message.id);
      if (!p) return; // late answer after a timeout
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.result);
      else p.reject(new RemoteError(message.error.name, message.error.message));
      return;
    }
    const set = this.handlers.get(message.method);
    if (!set) return;
    for (const h of [...set]) h(message.params);
  }
}
