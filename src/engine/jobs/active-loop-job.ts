/**
 * The `activeLoopTrain` job: one round of the active loop. The project's scored pairs are
 * split into a fixed held-out part (annotate/held-out.ts; never trained on) and the rest; a
 * head-mode run with a score-aware loss (CoSENT) trains on the rest and is evaluated on the
 * held-out part (Spearman, before and after). The run is an ordinary run, "active-loop-<round>",
 * named so and tagged "active-loop" in its meta.jsonl, with its round in config.json.
 * Cancellable like any training (it stops after the current batch).
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { ACTIVE_LOOP_DEFAULTS } from '../defaults';
import { InputError } from '../util/errors';
import { writeFileAtomic } from '../util/fs';
import { openProject, findDataset, datasetPath, projectPaths } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { splitHeldOut } from '../annotate/held-out';
import { trainWithRunner } from '../train/runners/runner';
import { runsDir, runDirFor } from '../train/runs';
import { appendRunMeta } from '../train/run-meta';
import type { TrainResult } from '../train/index';
import type { JobContext } from './job-context';
import { annotatedPairTexts, pairLines, PAIR_FIELDS, type AnnotatedPairText } from './annotated-pairs';

export const ACTIVE_LOOP_TAG = 'active-loop';
const RUN_PREFIX = 'active-loop-';
/** An evaluation period no run reaches: the loop then evaluates once, after the last step. */
const FINAL_EVALUATION_ONLY = 1_000_000_000;

export interface ActiveLoopTrainParams {
  projectDir: string;
  /** The dataset being annotated: a built-in base encoder is fitted on its texts, as for the map and the suggestions. */
  dataset: string;
  /** The base encoder (the project's). */
  encoder: string;
  seed?: number;
  cacheDir?: string;
  heldOutPercent?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
}

export interface ActiveLoopTrainResult {
  runId: string;
  round: number;
  status: TrainResult['status'];
  annotations: number;
  trained: number;
  heldOut: number;
  /** Spearman on the held-out pairs, when there are enough of them. */
  spearman?: { base: number; run: number };
  /** Why there is no Spearman. */
  noSpearman?: string;
}

/** The next round: one more than the highest "active-loop-<n>" under runs/. */
export async function nextActiveLoopRound(projectDir: string): Promise<number> {
  const names = await fs.readdir(runsDir(projectDir)).catch(() => [] as string[]);
  let max = 0;
  for (const n of names) {
    const m = /^active-loop-(\d+)$/.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/** Why the held-out pairs cannot give a Spearman, or undefined when they can. */
export function heldOutProblem(heldOut: readonly AnnotatedPairText[], min: number = ACTIVE_LOOP_DEFAULTS.minHeldOut): string | undefined {
  if (heldOut.length < min) return `${heldOut.length} held-out pair${heldOut.length === 1 ? '' : 's'} (Spearman needs ${min})`;
  if (heldOut.every((p) => p.score === heldOut[0].score)) return `the ${heldOut.length} held-out pairs all have the score ${heldOut[0].score}`;
  return undefined;
}

export async function activeLoopTrainJob(params: ActiveLoopTrainParams, ctx: JobContext): Promise<ActiveLoopTrainResult> {
  const d = ACTIVE_LOOP_DEFAULTS;
  const percent = params.heldOutPercent ?? d.heldOutPercent;
  const { pairs, scored } = await annotatedPairTexts(params.projectDir, ctx);
  const { train, heldOut } = splitHeldOut(pairs, percent);
  if (train.length < 2) throw new InputError(`only ${train.length} of ${pairs.length} scored pairs are outside the held-out part; annotate a few more pairs first`, { field: 'annotations' });
  const noSpearman = heldOutProblem(heldOut);
  const project = await openProject(params.projectDir);
  const corpus = (await readDatasetFile(datasetPath(project, findDataset(project, params.dataset)), ctx)).map((r) => r.text);
  const round = await nextActiveLoopRound(params.projectDir);
  const runId = `${RUN_PREFIX}${round}`;
  // Per round, so that each run's config.json names the files it trained and was scored on.
  const folder = path.join(projectPaths(params.projectDir).cache, 'active-loop');
  const trainFile = path.join(folder, `${runId}-train.jsonl`);
  const heldOutFile = path.join(folder, `${runId}-held-out.jsonl`);
  await writeFileAtomic(trainFile, pairLines(train));
  if (heldOut.length) await writeFileAtomic(heldOutFile, pairLines(heldOut));
  const result = await trainWithRunner({
    root: params.projectDir,
    runId,
    train: { file: trainFile, fields: { ...PAIR_FIELDS } },
    ...(noSpearman ? {} : { eval: { file: heldOutFile, fields: { ...PAIR_FIELDS } } }),
    evalFraction: 0,
    // One evaluation, at the end: the held-out pairs measure the run and never choose its checkpoint.
    evalEvery: FINAL_EVALUATION_ONLY,
    loss: d.loss,
    mode: 'head',
    epochs: params.epochs ?? d.epochs,
    batchSize: params.batchSize ?? d.batchSize,
    lr: params.lr ?? d.lr,
    encoder: params.encoder,
    seed: params.seed,
    activeLoop: { round, annotations: scored, trained: train.length, heldOut: heldOut.length, heldOutPercent: percent },
    signal: ctx.signal,
    onProgress: ctx.onProgress,
    encoderContext: {
      projectDir: params.projectDir,
      cacheDir: params.cacheDir,
      corpus,
      ...(params.seed !== undefined ? { seed: params.seed } : {}),
      hfToken: ctx.secrets.hfToken,
      apiKey: ctx.secrets.apiKey,
      providers: ctx.encoderProviders,
    },
  });
  await appendRunMeta(runDirFor(params.projectDir, runId), {
    name: runId,
    tags: [ACTIVE_LOOP_TAG],
    notes: `Active loop round ${round}: trained on ${train.length} of ${scored} scored pairs; ${heldOut.length} held out (${percent}% of pairs, chosen by their ids, never trained on).`,
  });
  const base = result.before.spearman;
  const run = result.after.spearman;
  return {
    runId,
    round,
    status: result.status,
    annotations: scored,
    trained: train.length,
    heldOut: heldOut.length,
    ...(base !== undefined && run !== undefined ? { spearman: { base, run } } : { noSpearman: noSpearman ?? 'no evaluation' }),
  };
}
