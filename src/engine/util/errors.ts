/**
 * Errors about the user's input. The message always names where the problem is:
 * the file, and when known the line and the field, so the CLI and the extension can
 * show it as is.
 */
export interface InputLocation {
  file?: string;
  line?: number;
  field?: string;
}

export class InputError extends Error {
  override name = 'InputError';
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;

  constructor(problem: string, where: InputLocation = {}) {
    super(formatLocation(where) + problem);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

export function formatLocation(where: InputLocation): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.field) parts.push(`field "${where.field}"`);
  return parts.length ? parts.join(', ') + ': ' : '';
}

/** Plain-object form of an error, for crossing a process or worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}
