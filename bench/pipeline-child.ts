/**
 * Child process of bench/pipeline.ts: the cluster command's work on one file in a fresh process
 * (read, fit the built-in encoder, encode, cluster, topics), so that its peak memory is its own.
 * Prints {n, seconds, nmi, clusters, outliersBefore, outliersAfter, maxRssMb}.
 * Usage: node --import tsx bench/pipeline-child.ts <file.jsonl> <kmeans|hdbscan>
 */
import { loadTexts } from '../src/engine/data/load-texts';
import { resolveEncoder } from '../src/engine/encoders/resolve';
import { clusterEmbeddings } from '../src/engine/cluster/pipeline';
import { nmi } from '../src/engine/metrics';

async function main(): Promise<void> {
  const [file, algo] = process.argv.slice(2);
  const t = performance.now();
  const loaded = await loadTexts(file, { template: '{title}. {description}', label: 'label' });
  const encoder = await resolveEncoder('builtin', { corpus: loaded.texts, seed: 42 });
  const x = await encoder.encode(loaded.texts, { role: 'passage' });
  const kmeansColumns = encoder.topicColumns;
  await encoder.dispose();
  const result =
    algo === 'kmeans'
      ? await clusterEmbeddings(x, loaded.texts, { algo: 'kmeans', k: 4, seed: 42, layout2d: false, topN: 10, kmeansColumns })
      : await clusterEmbeddings(x, loaded.texts, { algo: 'hdbscan', reassignOutliers: true, seed: 42, layout2d: false, topN: 10 });
  const seconds = (performance.now() - t) / 1000;
  const outliers = (labels: Int32Array) => labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);
  process.stdout.write(
    JSON.stringify({
      n: loaded.texts.length,
      seconds,
      nmi: nmi(loaded.labels!, result.labels),
      clusters: result.clusters.length,
      outliersBefore: outliers(result.labelsBeforeReassign),
      outliersAfter: outliers(result.labels),
      // maxRSS is in kilobytes on Linux and macOS.
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 1;
});
