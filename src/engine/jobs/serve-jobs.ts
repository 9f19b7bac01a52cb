/**
 * The engine child process's loop. The host forks it (with ELECTRON_RUN_AS_NODE=1 under
 * VS Code) and talks to it over the IPC channel with the messages of `protocol.ts`. One
 * process runs jobs concurrently; each has its own AbortController. Progress is throttled
 * per job. The process exits when its parent goes away.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { abortCallerGone, throttleProgress } from '../util/job';
import { serializeError } from '../util/errors';
import type { JobContext } from './handlers';
import { setTfjsWasmDir, tfjsWasmDirFromEnv } from '../env';
import { isToEngineMessage, type FromEngineMessage, type RunMessage } from './protocol';

/** Runs one job of any type the process knows (`runJobHandler` in the product; tests add theirs). */
export type JobRunner = (job: { type: string; params: unknown }, ctx: JobContext) => Promise<unknown>;

const running = new Map<number, AbortController>();

function send(message: FromEngineMessage): void {
  if (process.connected) process.send?.(message);
}

async function run(message: RunMessage, runJob: JobRunner): Promise<void> {
  const controller = new AbortController();
  running.set(message.id, controller);
  const onProgress = throttleProgress((progress) => send({ kind: 'progress', id: message.id, progress }), 100);
  try {
    const result = await runJob(message.job, { signal: controller.signal, onProgress, secrets: message.secrets ?? {} });
    send({ kind: 'result', id: message.id, result });
  } catch (err) {
    send({ kind: 'error', id: message.id, error: serializeError(err) });
  } finally {
    running.delete(message.id);
  }
}

/**
 * In the bundle (dist/engine-process.js) the tfjs wasm binaries sit next to the script
 * and node_modules is not shipped: tell the training backend where they are.
 */
function locateBundledAssets(): void {
  if (!tfjsWasmDirFromEnv() && existsSync(path.join(__dirname, 'tfjs-backend-wasm.wasm'))) setTfjsWasmDir(__dirname + path.sep);
}

/** Serves jobs over the IPC channel until the parent goes away. */
export function serveJobs(runJob: JobRunner): void {
  locateBundledAssets();
  if (!process.send) {
    process.stderr.write('engine-process: must be started with an IPC channel (child_process.fork)\n');
    process.exit(2);
  }
  process.on('message', (message: unknown) => {
    if (!isToEngineMessage(message)) {
      process.stderr.write(`engine-process: ignored a malformed message\n`);
      return;
    }
    if (message.kind === 'cancel') running.get(message.id)?.abort();
    else void run(message, runJob);
  });
  // The host went away (VS Code closed or crashed): cancel the jobs so they stop at a
  // checkpoint (runs record their state, files stay whole), then exit.
  process.on('disconnect', () => {
    for (const controller of running.values()) abortCallerGone(controller);
    const deadline = Date.now() + 2000;
    const poll = setInterval(() => {
      if (running.size === 0 || Date.now() > deadline) {
        clearInterval(poll);
        process.exit(0);
      }
    }, 50);
  });
  send({ kind: 'ready', pid: process.pid });
}
