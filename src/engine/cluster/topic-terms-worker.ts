/**
 * The script of the topic-terms worker thread (topic-terms-background.ts): the keywords' terms of
 * the texts it is sent (topicTermIds with its defaults), posted back with their arrays transferred.
 * Bundled on its own as dist/topic-terms-worker.js (scripts/build.mjs).
 */
import { parentPort } from 'node:worker_threads';
import { topicTermIds } from './topics';

const port = parentPort;
if (port) {
  port.on('message', (texts: string[]) => {
    try {
      const terms = topicTermIds(texts);
      port.postMessage(terms, [terms.df.buffer as ArrayBuffer, ...terms.docs.map((d) => d.buffer as ArrayBuffer)]);
    } catch (e) {
      port.postMessage(String((e instanceof Error && e.stack) || e));
    }
  });
}
