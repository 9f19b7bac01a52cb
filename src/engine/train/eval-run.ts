/**
 * Evaluation-only runs: score an encoder, untrained, on evaluation data, and record it as a
 * run (mode "eval") so base models can be compared side by side with fine-tuned ones.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { resolveEncoder, type EncoderContext } from '../encoders/resolve';
import type { JobOptions } from '../util/job';
import { loadTrainingSet, setTexts, type DataFields, type DataKind } from './training-data';
import { sha256File } from '../util/hash-file';
import { embedDistinct, rowsOf } from './embedding-table';
import { selectRows } from '../util/matrix';
import { evalClusters, evalLabelGroups, evalPairs, evalScoredPairs, labelIds, type EvalMetrics } from './evaluate';
import { kmeans } from '../cluster/kmeans';
import { createRunFolder, newRunDir, newRunId, runFiles, writeSummary, type DataSkips, type RunSummary } from './runs';
import { writeJsonAtomic } from '../util/fs';
import { versions } from './versions';

export interface EvalRunOptions extends JobOptions {
  root: string;
  runId?: string;
  /** Replace an existing run of the same id (otherwise reusing an id is an error). */
  overwrite?: boolean;
  file: string;
  fields?: DataFields;
  /** Default: scored when a score field exists, labelled with a label, else pairs. */
  kind?: DataKind;
  encoder?: string;
  encoderContext?: EncoderContext;
  /** Clusters for texts (k-means NMI/purity). Default: number of labels. */
  clusters?: number;
  seed?: number;
  /** Any skipped row is an error naming its file, line and field. */
  strict?: boolean;
}

export interface EvalRunResult {
  run: string;
  id: string;
  encoder: string;
  encoderId: string;
  metrics: EvalMetrics;
  /** Rows of the file that were skipped, as `import` reports them. */
  skipped: DataSkips;
}

export async function evaluateEncoderRun(options: EvalRunOptions): Promise<EvalRunResult> {
  const t0 = Date.now();
  const fields = options.fields ?? {};
  const kind: DataKind = options.kind ?? (fields.label ? 'labelled' : fields.text2 || fields.text1 ? (fields.score === '' ? 'pairs' : 'scored') : 'scored');
  const set = await loadTrainingSet(options.file, kind, fields, options);
  const seed = options.seed ?? 42;
  const spec = options.encoder ?? 'builtin';
  const id = options.runId ?? newRunId('eval');
  const dir = await newRunDir(options.root, id, options.overwrite);
  const texts = setTexts(set);
  const encoder = await resolveEncoder(spec, { ...(options.encoderContext ?? {}), corpus: options.encoderContext?.corpus ?? texts, seed, signal: options.signal, onProgress: options.onProgress });
  let metrics: EvalMetrics;
  let encoderId: string;
  try {
    encoderId = encoder.id;
    const table = await embedDistinct(encoder, texts, options);
    const m = (t: readonly string[]) => selectRows(table.matrix, rowsOf(table, t));
    if (set.kind === 'scored') metrics = evalScoredPairs(m(set.text1), m(set.text2), set.scores);
    else if (set.kind === 'pairs') metrics = evalPairs(m(set.anchors), m(set.positives));
    else if (set.kind === 'labelled') metrics = evalLabelGroups(m(set.texts), labelIds(set.labels).ids, seed);
    else {
      const ids = set.labels ? labelIds(set.labels) : undefined;
      const km = await kmeans(m(set.texts), { k: options.clusters ?? ids?.names.length ?? 8, seed, signal: options.signal });
      metrics = ids ? evalClusters(km.labels, ids.ids) : { inertia: km.inertia };
    }
  } finally {
    await encoder.dispose();
  }
  const now = new Date().toISOString();
  await createRunFolder(dir, options.overwrite ?? false);
  const files = runFiles(dir);
  await writeJsonAtomic(files.config, {
    schemaVersion: 1,
    id,
    mode: 'eval',
    encoder: spec,
    encoderId,
    data: { eval: { file: path.resolve(options.file), sha256: await sha256File(options.file), fields, kind, ...set.skipped } },
    seed,
    versions: versions(),
  });
  await fs.writeFile(files.metrics, JSON.stringify({ step: 0, eval: metrics }) + '\n');
  const summary: RunSummary = {
    schemaVersion: 1,
    id,
    status: 'completed',
    mode: 'eval',
    startedAt: new Date(t0).toISOString(),
    updatedAt: now,
    finishedAt: now,
    pid: process.pid,
    host: os.hostname(),
    step: 0,
    totalSteps: 0,
    before: metrics,
    after: metrics,
    durationMs: Date.now() - t0,
    skipped: { eval: set.skipped },
  };
  await writeSummary(dir, summary);
  return { run: dir, id, encoder: spec, encoderId, metrics, skipped: { eval: set.skipped } };
}
