/**
 * The script of a term-counting worker thread (term-count-threads.ts): one TermCounter over the
 * texts it is sent, chunk after chunk; `finish` sends the counts back. Bundled on its own as
 * dist/term-count-worker.js (scripts/build.mjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TermCounter, transferList } from './term-counter';
import type { TermOptions } from './tokenize';

/** A request to the worker: count these texts, or send the counts back. */
export type TermCountRequest = { texts: string[] } | { finish: true };

const port = parentPort;
if (port) {
  const counter = new TermCounter(workerData as TermOptions);
  port.on('message', (request: TermCountRequest) => {
    try {
      if ('texts' in request) {
        for (const text of request.texts) counter.add(text);
        port.postMessage(null);
      } else {
        const counts = counter.result();
        port.postMessage(counts, transferList(counts));
      }
    } catch (e) {
      port.postMessage(String((e instanceof Error && e.stack) || e));
    }
  });
}
