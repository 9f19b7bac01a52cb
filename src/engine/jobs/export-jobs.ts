/**
 * Exports:
 * - `exportClusters`: a dataset's clusters as CSV (id, cluster, topic keywords, map x/y,
 *   label — the record's own, overridden by a label given on the map — and the record's text,
 *   quoted as RFC 4180 needs), from the saved
 *   clustering (made first when there is none or the data changed);
 * - `exportModel`: a trained run's model folder copied out of the project. A run whose
 *   model/ is in the sentence-transformers layout (modules.json) is exported as that
 *   folder, loadable by sentence-transformers and by `--encoder <folder>`. A head run
 *   (model/model.json + head.safetensors on a base encoder) is exported as a run folder
 *   (model/, config.json, summary.json) that `--encoder <folder>` loads. It holds no training
 *   text: a built-in base encoder travels as its fit (base-encoder.bin), never as its corpus.
 * Both write to a temp name and rename, so a cancelled or failed export leaves nothing half-written.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { writeFileAtomic, pathExists } from '../util/fs';
import { csvCell } from '../util/csv';
import { checkpoint, type JobOptions } from '../util/job';
import type { DatasetRecord } from '../project/dataset-file';
import type { SavedClustering } from '../project/cluster-cache';
import { locateProjectRun, runFiles, readSummary } from '../train/runs';
import { resolveInside } from '../util/paths';
import { BASE_ENCODER_FILE, LEGACY_BASE_CORPUS_FILE, loadBaseCorpus, saveBaseEncoder } from '../train/base-encoder-fit';
import { resolveEncoder } from '../encoders/resolve';
import { freshClustering, type ClusterJobParams } from './cluster-job';
import { effectiveLabel, standingMapLabels } from '../project/map-labels';
import type { EngineJobOptions } from './dataset-embeddings';
import { shownClusterTopics } from './cluster-members';
import { projectPaths } from '../project/store';

export interface ExportClustersParams extends ClusterJobParams {
  /** The CSV file to write. */
  out: string;
}

export interface ExportClustersResult {
  file: string;
  rows: number;
  clusters: number;
  /** True when the clustering had to be computed first. */
  computed: boolean;
}

export interface ExportModelParams {
  projectDir: string;
  runId: string;
  /** The folder to export into; the model lands in <target>/<runId>/. */
  target: string;
}

export interface ExportModelResult {
  dir: string;
  layout: 'sentence-transformers' | 'embedlab-head';
  files: number;
  bytes: number;
}

/**
 * The CSV text of a clustering: one row per record, in dataset order, the text last. With topic
 * names (the user's or an LLM's, from topics.json), a `name` column follows the keywords.
 */
export function clustersCsv(records: readonly DatasetRecord[], clustering: SavedClustering, names: ReadonlyMap<number, string> = new Map()): string {
  const topics = new Map(clustering.header.clusters.map((c) => [c.id, c.keywords.slice(0, 5).join(' ')]));
  const hasLabels = records.some((r) => r.label !== undefined);
  const hasNames = names.size > 0;
  const lines = [['id', 'cluster', 'topic', ...(hasNames ? ['name'] : []), 'x', 'y', ...(hasLabels ? ['label'] : []), 'text'].join(',')];
  records.forEach((r, i) => {
    const c = clustering.labels[i];
    const cells: (string | number)[] = [
      r.id,
      c,
      c < 0 ? 'outlier' : topics.get(c) ?? '',
      ...(hasNames ? [names.get(c) ?? ''] : []),
      Number(clustering.coords[2 * i].toFixed(5)),
      Number(clustering.coords[2 * i + 1].toFixed(5)),
    ];
    if (hasLabels) cells.push(r.label ?? '');
    cells.push(r.text);
    lines.push(cells.map(csvCell).join(','));
  });
  return lines.join('\n') + '\n';
}

export async function exportClustersJob(params: ExportClustersParams, options: EngineJobOptions): Promise<ExportClustersResult> {
  const { out, ...cluster } = params;
  const { records, clustering, computed } = await freshClustering(cluster, options);
  const mapLabels = await standingMapLabels(params.projectDir, params.dataset);
  const labelled = mapLabels.size ? records.map((r): DatasetRecord => { const label = effectiveLabel(r, mapLabels); return label === undefined ? r : { ...r, label }; }) : records;
  const shown = await shownClusterTopics(projectPaths(params.projectDir).topics, records, clustering);
  const names = new Map(shown.flatMap((t) => (t.name ? [[t.id, t.name] as const] : [])));
  await writeFileAtomic(out, clustersCsv(labelled, clustering, names));
  return { file: out, rows: records.length, clusters: clustering.header.clusters.length, computed };
}

async function copyTree(
  from: string,
  to: string,
  options: JobOptions,
  count: { files: number; bytes: number },
  skip: ReadonlySet<string> = new Set(),
): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    await checkpoint(options.signal);
    if (skip.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTree(src, dst, options, count);
    else if (entry.isFile()) {
      await fs.copyFile(src, dst);
      count.files++;
      count.bytes += (await fs.stat(dst)).size;
    }
  }
}

const HEAD_README = (runId: string, baseEncoder: string): string =>
  `# Embedding Lab run ${runId}\n\n` +
  `A head fine-tuned on top of the base encoder \`${baseEncoder}\`: \`model/model.json\` describes it,\n` +
  '`model/head.safetensors` holds its weights, and `model/base-encoder.bin`, when the base is the built-in\n' +
  'encoder, its fit (vocabulary, term weights, SVD components, seeds). `config.json` and `summary.json` record\n' +
  'the settings and metrics of the run. No record of the training data is included. Use this folder as an encoder:\n\n' +
  '```\nembedlab embed <file> --text "{text}" --encoder <this folder>\n```\n\n' +
  'or choose it with "Embedding Lab: Choose Encoder" → Local model folder.\n';

/** For a run that kept its built-in base encoder's corpus instead of its fit: fits it again (or loads the project's cached fit) and writes the fit. */
async function exportBaseEncoderFit(modelDir: string, outDir: string, projectDir: string, count: { files: number; bytes: number }): Promise<void> {
  if (await pathExists(path.join(modelDir, BASE_ENCODER_FILE))) return;
  const corpus = await loadBaseCorpus(modelDir);
  if (!corpus) return;
  const info = JSON.parse(await fs.readFile(path.join(modelDir, 'model.json'), 'utf8')) as { baseEncoder?: string };
  const encoder = await resolveEncoder(info.baseEncoder ?? 'builtin', { projectDir, corpus: corpus.texts, seed: corpus.seed });
  try {
    await saveBaseEncoder(outDir, encoder);
  } finally {
    await encoder.dispose();
  }
  count.files++;
  count.bytes += (await fs.stat(path.join(outDir, BASE_ENCODER_FILE))).size;
}

export async function exportModelJob(params: ExportModelParams, options: EngineJobOptions): Promise<ExportModelResult> {
  const runDir = await locateProjectRun(params.projectDir, params.runId, 'config.json');
  if (!runDir) throw new InputError(`no run ${JSON.stringify(params.runId)} in ${path.join(params.projectDir, 'runs')}`, { field: 'runId' });
  const files = runFiles(runDir);
  const summary = await readSummary(runDir);
  if (summary && summary.status !== 'completed') throw new InputError(`the run is ${summary.status}; only a completed run has a model to export`, { file: files.summary });
  if (!(await pathExists(files.model))) throw new InputError('the run has no model/ folder', { file: runDir });
  const runId = path.basename(runDir);
  const dest = resolveInside(params.target, runId, 'runId');
  if (await pathExists(dest)) throw new InputError('already exists; choose another folder or remove it', { file: dest });
  const stLayout = await pathExists(path.join(files.model, 'modules.json'));
  const tmp = path.join(path.dirname(dest), `.${runId}.${process.pid}.export-tmp`);
  await fs.rm(tmp, { recursive: true, force: true });
  const count = { files: 0, bytes: 0 };
  try {
    if (stLayout) {
      await copyTree(files.model, tmp, options, count);
    } else {
      // The training texts stay in the project: an older run's base-corpus.json is replaced by the fit it describes.
      await copyTree(files.model, path.join(tmp, 'model'), options, count, new Set([LEGACY_BASE_CORPUS_FILE]));
      await exportBaseEncoderFit(files.model, path.join(tmp, 'model'), params.projectDir, count);
      for (const f of [files.config, files.summary]) {
        if (!(await pathExists(f))) continue;
        await fs.copyFile(f, path.join(tmp, path.basename(f)));
        count.files++;
        count.bytes += (await fs.stat(f)).size;
      }
      const info = JSON.parse(await fs.readFile(files.modelJson, 'utf8')) as { baseEncoder?: string };
      const readme = HEAD_README(runId, info.baseEncoder ?? 'unknown');
      await fs.writeFile(path.join(tmp, 'README.md'), readme, 'utf8');
      count.files++;
      count.bytes += Buffer.byteLength(readme);
    }
    await fs.rename(tmp, dest);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return { dir: dest, layout: stLayout ? 'sentence-transformers' : 'embedlab-head', files: count.files, bytes: count.bytes };
}
