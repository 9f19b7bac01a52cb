import type { HostContext } from '../context';

/** A command handler factory: gets the host context once, returns the handler. */
export type CommandFactory = (ctx: HostContext) => (...args: unknown[]) => unknown;
