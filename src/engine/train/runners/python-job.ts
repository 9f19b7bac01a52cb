/**
 * The job folder the python runner hands to python/embedlab_train: job.json (the resolved
 * settings and the batch plan, so both runners train on the same batches), train.jsonl and
 * eval.jsonl holding exactly the rows our loader accepted (skipped rows were reported once,
 * by the loader), in the columns sentence-transformers' losses take.
 */
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { writeFileAtomic, writeJsonAtomic } from '../../util/fs';
import { labelIds } from '../evaluate';
import type { TrainingSet } from '../training-data';
import type { LossOptions } from '../losses/index';
import type { Resolved } from '../trainer';
import type { StepSchedule } from '../run-record';
import type { DeviceName } from './runner';

export const JOB_SCHEMA_VERSION = 1;

export interface PythonJob {
  schemaVersion: typeof JOB_SCHEMA_VERSION;
  runId: string;
  /** The base model folder (absolute, or relative to the job folder). */
  model: string;
  kind: 'scored' | 'pairs' | 'labelled';
  loss: Resolved['loss'];
  lossOptions: LossOptions;
  miniBatch?: number;
  dropout?: number;
  maxSeqLength?: number;
  lr: number;
  weightDecay: number;
  seed: number;
  totalSteps: number;
  warmupSteps: number;
  evalEvery: number;
  checkpointEvery: number;
  /** The least seconds of training between two checkpoints of the `checkpointEvery` cadence (0: none; absent in older jobs). */
  checkpointMinSeconds?: number;
  device: DeviceName;
  /** Evaluations without improvement before the run stops early (0: never), as the builtin loop. */
  patience: number;
  /** The run's notes (loss choice, data filter, small evaluation set), copied into summary.json. */
  notes: string[];
  /** Every epoch's batches, as row numbers of train.jsonl. */
  plan: number[][][];
}

/** The rows of a set in the job's columns (labels as ids in first-seen order). */
export function jobRows(set: TrainingSet): Record<string, string | number>[] {
  switch (set.kind) {
    case 'scored':
      return set.text1.map((t, i) => ({ sentence1: t, sentence2: set.text2[i], score: set.scores[i] }));
    case 'pairs':
      return set.anchors.map((t, i) => ({ anchor: t, positive: set.positives[i] }));
    case 'labelled': {
      const ids = labelIds(set.labels).ids;
      return set.texts.map((t, i) => ({ text: t, label: ids[i] }));
    }
    case 'texts':
      throw new InputError('the python runner does not train on plain texts (the dec loss trains in head mode, on the builtin runner)', { field: 'loss' });
  }
}

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r) + '\n').join('');

/** Writes job.json, train.jsonl and (when there is held-out data) eval.jsonl into `dir`. */
export async function writePythonJob(
  dir: string,
  job: Omit<PythonJob, 'schemaVersion' | 'kind' | 'plan' | 'totalSteps' | 'warmupSteps' | 'evalEvery' | 'checkpointEvery'>,
  data: { train: TrainingSet; eval?: TrainingSet },
  schedule: StepSchedule,
): Promise<PythonJob> {
  const kind = data.train.kind;
  if (kind === 'texts') throw new InputError('the python runner does not train on plain texts', { field: 'loss' });
  if (kind === 'labelled' && job.loss === 'mnr')
    throw new InputError('MNR over label groups trains on the builtin runner only (its false-negative mask is not in sentence-transformers); give (text1, text2) pairs, or use --loss triplet', {
      field: 'loss',
    });
  const full: PythonJob = {
    schemaVersion: JOB_SCHEMA_VERSION,
    ...job,
    kind,
    totalSteps: schedule.totalSteps,
    warmupSteps: schedule.warmup,
    evalEvery: schedule.evalEvery,
    checkpointEvery: schedule.checkpointEvery,
    plan: schedule.plan.map((e) => e.batches),
  };
  await writeFileAtomic(path.join(dir, 'train.jsonl'), jsonl(jobRows(data.train)));
  if (data.eval && data.eval.kind !== 'texts') await writeFileAtomic(path.join(dir, 'eval.jsonl'), jsonl(jobRows(data.eval)));
  await writeJsonAtomic(path.join(dir, 'job.json'), full);
  return full;
}
