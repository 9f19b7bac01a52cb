/**
 * A head-mode run: its settings and data, checked before anything is written, its config.json,
 * and the head model (head-trainable.ts) handed to the training loop.
 */
import * as path from 'node:path';
import { useTrainingBackend } from '../backend';
import { sha256File } from '../../util/hash-file';
import { runFiles } from '../runs';
import { versions } from '../versions';
import { dataSkips, runDataRecord } from '../run-record';
import { resolveSettings, stripJob, type CheckpointState, type TrainOptions, type TrainResult } from '../settings';
import { prepareData } from '../prepare-data';
import { runTrainingLoop } from '../loop';
import { openHeadTrainable } from './head-trainable';

/** Trains (or resumes, given its checkpoint state) the head-mode run in `dir`. */
export async function trainHead(options: TrainOptions, dir: string, resume: CheckpointState | undefined): Promise<TrainResult> {
  const t0 = Date.now();
  const backend = await useTrainingBackend(options.backend ?? 'auto');

  // Data, checked before anything is written; the epochs follow from it.
  const data = await prepareData(options, resolveSettings(options));
  const r = data.resolved;
  const trainHash = await sha256File(options.train.file);
  const evalHash = options.eval ? await sha256File(options.eval.file) : undefined;
  const runId = path.basename(dir);

  return runTrainingLoop({
    dir,
    mode: 'head',
    options,
    resolved: r,
    resume,
    backend,
    t0,
    skipped: dataSkips(options, data),
    notes: data.notes,
    config: ({ id, startedAt }) => ({
      schemaVersion: 1,
      id,
      root: path.dirname(path.dirname(dir)),
      createdAt: startedAt,
      mode: 'head',
      options: stripJob(options),
      resolved: r,
      head: { kind: options.head?.kind ?? 'skip-linear', hidden: options.head?.hidden },
      encoder: options.encoder ?? 'builtin',
      data: runDataRecord(options, data, { train: trainHash, eval: evalHash }, data.train.kind === 'texts' ? 0 : r.evalFraction),
      versions: { ...versions(), backend },
    }),
    open: (saved) => openHeadTrainable({ options, resolved: r, data, modelDir: runFiles(dir).model, runId }, saved),
  });
}
