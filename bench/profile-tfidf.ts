/**
 * Times the built-in encoder's TF-IDF stage (fitTfidf, then transformTfidf on the same texts) on a
 * JSONL file of {title, description} rows, wall and CPU (process.cpuUsage, all threads), and prints
 * a digest of the model and views so that runs with different thread counts can be compared.
 *   node --import tsx bench/profile-tfidf.ts <file.jsonl> [threads] [repeats]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultBuiltinOptions } from '../src/engine/encoders/builtin/options';
import { fitTfidf, transformTfidf, type TfidfViews } from '../src/engine/encoders/builtin/tfidf';

const [file, threadsArg, repeatsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-tfidf.ts <file.jsonl> [threads] [repeats]');
const texts = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => {
    const r = JSON.parse(l) as { title?: string; description?: string; text?: string };
    return r.text ?? `${r.title}. ${r.description}`;
  });
const threads = threadsArg ? Number(threadsArg) : undefined;
const repeats = repeatsArg ? Number(repeatsArg) : 3;

function digest(views: TfidfViews, terms: readonly string[]): string {
  const h = createHash('sha256');
  h.update(terms.join('\n'));
  for (const v of [views.topic, views.lexical]) {
    h.update(new Uint8Array(v.indptr.buffer, v.indptr.byteOffset, v.indptr.byteLength));
    h.update(new Uint8Array(v.indices.buffer, v.indices.byteOffset, v.indices.byteLength));
    h.update(new Uint8Array(v.values.buffer, v.values.byteOffset, v.values.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}

async function main(): Promise<void> {
  const options = defaultBuiltinOptions;
  for (let r = 0; r < repeats; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { model, views } = await fitTfidf(texts, options, threads ? { threads } : {});
    const t1 = performance.now();
    const cpu1 = process.cpuUsage(cpu0);
    const again = await transformTfidf(texts.slice(0, 2000), model, threads ? { threads } : {});
    const t2 = performance.now();
    const cpuMs = (cpu1.user + cpu1.system) / 1000;
    console.log(
      `fit ${texts.length} texts: ${(t1 - t0).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU; ` +
        `transform 2000: ${(t2 - t1).toFixed(0)} ms; ${model.terms.length} terms; digest ${digest(views, model.terms)} / ${digest(again, [])}`,
    );
  }
}

void main();
