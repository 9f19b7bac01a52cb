/**
 * Child process of bench/onnx.ts: loads a model folder, encodes the texts of a JSON file in one
 * encode() call, and prints {seconds, maxRssMb, baselineRssMb} — peak memory of a process that
 * holds only this encoder. Usage: node --import tsx bench/onnx-encode-child.ts <model dir> <texts.json> <batch size>
 */
import * as fs from 'node:fs';
import { createOnnxEncoder } from '../src/engine/encoders/onnx/onnx-encoder';

async function main(): Promise<void> {
  const [dir, textsFile, batch] = process.argv.slice(2);
  const texts = JSON.parse(fs.readFileSync(textsFile, 'utf8')) as string[];
  const encoder = await createOnnxEncoder(dir, { batchSize: Number(batch) || 32 });
  await encoder.encode(texts.slice(0, 32)); // warm-up
  const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
  const t = performance.now();
  const m = await encoder.encode(texts);
  const seconds = (performance.now() - t) / 1000;
  await encoder.dispose();
  // maxRSS is in kilobytes on Linux and macOS.
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, maxRssMb, baselineRssMb, rows: m.rows }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 1;
});
