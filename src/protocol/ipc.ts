/**
 * The generic host ↔ webview message shapes shared by every panel (pure types and guards:
 * no node, no vscode, no DOM). Each panel describes its protocol as three maps:
 *  - commands:      webview → host, no reply;
 *  - requests:      webview → host, answered by a `response` carrying the request id;
 *  - notifications: host → webview.
 * The webview starts with a `ready` message; the host queues everything until then.
 * Typed arrays (Float32Array, Int32Array, Uint8Array) travel as they are: VS Code's
 * postMessage transfers them efficiently.
 */

/** A panel's protocol: method name → payload (commands, notifications) or params/result (requests). */
export interface ProtocolShape {
  commands: Record<string, unknown>;
  requests: Record<string, { params: unknown; result: unknown }>;
  notifications: Record<string, unknown>;
}

export interface ReadyMessage {
  kind: 'ready';
}

export type CommandMessage<P extends ProtocolShape> = {
  [M in keyof P['commands'] & string]: { kind: 'command'; method: M; params: P['commands'][M] };
}[keyof P['commands'] & string];

export type RequestMessage<P extends ProtocolShape> = {
  [M in keyof P['requests'] & string]: { kind: 'request'; id: number; method: M; params: P['requests'][M]['params'] };
}[keyof P['requests'] & string];

export type NotificationMessage<P extends ProtocolShape> = {
  [M in keyof P['notifications'] & string]: { kind: 'notification'; method: M; params: P['notifications'][M] };
}[keyof P['notifications'] & string];

/** An error as it crosses the boundary. */
export interface IpcError {
  name: string;
  message: string;
}

export type ResponseMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: IpcError };

export type WebviewToHostMessage<P extends ProtocolShape> = ReadyMessage | CommandMessage<P> | RequestMessage<P>;
export type HostToWebviewMessage<P extends ProtocolShape> = ResponseMessage | NotificationMessage<P>;

export type Params<P extends ProtocolShape, M extends keyof P['requests']> = P['requests'][M]['params'];
export type Result<P extends ProtocolShape, M extends keyof P['requests']> = P['requests'][M]['result'];

/** A runtime check that a value has the type T. */
export type Guard<T> = (value: unknown) => value is T;

/** One guard per inbound method: how the host validates what a webview sends. */
export interface ProtocolGuards<P extends ProtocolShape> {
  commands: { [M in keyof P['commands']]-?: Guard<P['commands'][M]> };
  requests: { [M in keyof P['requests']]-?: Guard<P['requests'][M]['params']> };
}

// ---- small guard helpers -------------------------------------------------------------

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function isString(v: unknown): v is string {
  return typeof v === 'string';
}
export function isBoolean(v: unknown): v is boolean {
  return typeof v === 'boolean';
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
export function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}
/** A list of record indices: an Int32Array/Uint32Array or an array of whole numbers ≥ 0. */
export function isIndexList(v: unknown): v is Int32Array | number[] {
  if (v instanceof Int32Array || v instanceof Uint32Array) return true;
  return Array.isArray(v) && v.every(isIndex);
}
export function isOptional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v: unknown): v is T | undefined => v === undefined || guard(v);
}
/** Guard for an object whose listed fields pass their guards (extra fields are allowed). */
export function isShape<T>(fields: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> {
  return (v: unknown): v is T => {
    if (!isRecord(v)) return false;
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      if (!fields[key](v[key])) return false;
    }
    return true;
  };
}
export const isEmpty: Guard<Record<string, never>> = (v: unknown): v is Record<string, never> =>
  v === undefined || isRecord(v);

/**
 * Validates a message from a webview against a panel's guards. Returns the typed message,
 * or a reason string when it does not fit (unknown kind or method, bad params).
 */
export function parseWebviewMessage<P extends ProtocolShape>(
  raw: unknown,
  guards: ProtocolGuards<P>,
): WebviewToHostMessage<P> | { invalid: string } {
  if (!isRecord(raw)) return { invalid: 'not an object' };
  if (raw.kind === 'ready') return { kind: 'ready' };
  const method = raw.method;
  if (!isString(method)) return { invalid: 'no method' };
  if (raw.kind === 'command') {
    const guard = (guards.commands as Record<string, Guard<unknown> | undefined>)[method];
    if (!guard || !Object.prototype.hasOwnProperty.call(guards.commands, method)) return { invalid: `unknown command "${method}"` };
    if (!guard(raw.params)) return { invalid: `bad params for command "${method}"` };
    return raw as unknown as CommandMessage<P>;
  }
  if (raw.kind === 'request') {
    if (!isIndex(raw.id)) return { invalid: 'request without id' };
    const guard = (guards.requests as Record<string, Guard<unknown> | undefined>)[method];
    if (!guard || !Object.prototype.hasOwnProperty.call(guards.requests, method)) return { invalid: `unknown request "${method}"` };
    if (!guard(raw.params)) return { invalid: `bad params for request "${method}"` };
    return raw as unknown as RequestMessage<P>;
  }
  return { invalid: `unknown kind "${String(raw.kind)}"` };
}

/** Checks the envelope of a message from the host (the host is trusted; this guards against stray messages). */
export function isHostMessage(raw: unknown): raw is ResponseMessage | { kind: 'notification'; method: string; params: unknown } {
  if (!isRecord(raw)) return false;
  if (raw.kind === 'response') return isIndex(raw.id) && typeof raw.ok === 'boolean';
  if (raw.kind === 'notification') return isString(raw.method);
  return false;
}
