/**
 * Child process for log-concurrency.test.ts: appends entries through the engine's real
 * log writers as fast as it can, while other processes do the same to the same file.
 * With `cutEvery` > 0 it also leaves a cut-off line (what a writer killed mid-write
 * leaves) after every `cutEvery`-th append. Prints `{"acked": n, "cuts": k}` at the end:
 * every entry it counts was acknowledged (its append resolved).
 *   node --import tsx test/unit/project/log-append-worker.ts <labels|annotations> <file> <writer> <count> <cutEvery>
 */
import { appendFileSync } from 'node:fs';
import { appendMapLabels } from '../../../src/engine/project/map-labels';
import { appendAnnotation } from '../../../src/engine/project/annotations';

const [kind, file, writer, countArg, cutArg] = process.argv.slice(2);
const count = Number(countArg);
const cutEvery = Number(cutArg);

async function main(): Promise<void> {
  let acked = 0;
  let cuts = 0;
  for (let round = 0; acked < count; round++) {
    if (kind === 'labels') {
      const size = Math.min(count - acked, 1 + (round % 40));
      const ids = Array.from({ length: size }, (_, k) => `${writer}-${acked + k}`);
      await appendMapLabels(file, 'news', ids, `label-${writer}`);
      acked += size;
    } else {
      await appendAnnotation(file, { id1: `${writer}-${acked}`, id2: 'pair', score: 0.5, annotator: writer });
      acked++;
    }
    if (cutEvery > 0 && round % cutEvery === cutEvery - 1) {
      appendFileSync(file, kind === 'labels' ? `{"schemaVersion":1,"dataset":"news","id":"cut-${writer}-${cuts}","lab` : `{"schemaVersion":1,"id1":"cut-${writer}-${cuts}","id2":"pa`);
      cuts++;
    }
  }
  // End with a whole entry, so the last cut line (if any) is ended as well.
  if (kind === 'labels') await appendMapLabels(file, 'news', [`${writer}-end`], `label-${writer}`);
  else await appendAnnotation(file, { id1: `${writer}-end`, id2: 'pair', score: 0.5, annotator: writer });
  process.stdout.write(JSON.stringify({ acked: acked + 1, cuts }) + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
