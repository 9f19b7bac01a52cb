/**
 * Child process of bench/onnx.ts: loads a model folder, encodes the texts of a JSON file in one
 * encode() call, and prints {seconds, cpuSeconds, maxRssMb, baselineRssMb, rows, planSha} — peak memory
 * of a process that holds only this encoder, and a digest of its batch plan (the text indices in
 * batch order), which the Python peer prints too, so that the bench can check both ran the same batches.
 * Usage: node --import tsx bench/onnx-encode-child.ts <model dir> <texts.json> <batch size> <intra-op threads>
 */
import * as fs from 'node:fs';
import { createOnnxEncoder } from '../src/engine/encoders/onnx/onnx-encoder';
import { planDigest } from './plan-digest';

async function main(): Promise<void> {
  const [dir, textsFile, batch, threads] = process.argv.slice(2);
  const texts = JSON.parse(fs.readFileSync(textsFile, 'utf8')) as string[];
  const encoder = await createOnnxEncoder(dir, { batchSize: Number(batch) || 32, threads: Number(threads) || undefined });
  await encoder.encode(texts.slice(0, 32)); // warm-up
  const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
  const cpu = process.cpuUsage();
  const t = performance.now();
  const m = await encoder.encode(texts);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  // maxRSS is in kilobytes on Linux and macOS.
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const order = encoder.planBatches(texts).flatMap((b) => b.indices);
  await encoder.dispose();
  const planSha = planDigest(order);
  const cpuSeconds = (used.user + used.system) / 1e6;
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds, maxRssMb, baselineRssMb, rows: m.rows, planSha }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 1;
});
