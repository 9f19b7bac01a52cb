/**
 * The script of a term-counting worker thread (term-count-threads.ts): one TermCounter over the
 * texts it is sent, chunk after chunk; then, for its share of the texts, the vocabulary, the rows
 * of distinct columns once the columns are chosen, and the rows of both views once weighed.
 * Bundled on its own as dist/term-count-worker.js (scripts/build.mjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { columnCounts, type ColumnCounts, type TermColumnMaps } from './column-counts';
import { TermCounter, vocabularyBuffers, type TermLists } from './term-counter';
import { buildViews, type ViewWeights } from './tfidf-rows';
import type { TermOptions } from './tokenize';

/** A request to the worker; each is answered by one message. */
export type TermCountRequest =
  | { texts: string[] }
  | { finish: true }
  | { columns: TermColumnMaps & { cols: number } }
  | { views: ViewWeights };

const port = parentPort;
if (port) {
  const counter = new TermCounter(workerData as TermOptions);
  let lists: TermLists | undefined;
  let counted: ColumnCounts | undefined;
  port.on('message', (request: TermCountRequest) => {
    try {
      if ('texts' in request) {
        for (const text of request.texts) counter.add(text);
        port.postMessage(null);
      } else if ('finish' in request) {
        const { textStart, terms, counts, ...vocabulary } = counter.result();
        lists = { textStart, terms, counts };
        port.postMessage(vocabulary, vocabularyBuffers(vocabulary));
      } else if ('columns' in request) {
        if (!lists) throw new Error('columns asked for before finish');
        const { wordColumn, charColumn, cols } = request.columns;
        counted = columnCounts([{ counts: lists, wordColumn, charColumn }], cols);
        lists = undefined;
        // A copy: the rows are kept here for the views.
        port.postMessage(counted);
      } else {
        if (!counted) throw new Error('views asked for before columns');
        const views = buildViews(counted, request.views);
        counted = undefined;
        const buffers = [views.topic, views.lexical].flatMap((v) => [v.indptr.buffer, v.indices.buffer, v.values.buffer] as ArrayBuffer[]);
        port.postMessage(views, buffers);
      }
    } catch (e) {
      port.postMessage(String((e instanceof Error && e.stack) || e));
    }
  });
}
