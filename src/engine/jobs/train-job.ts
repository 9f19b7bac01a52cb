/**
 * The `train` job: a fine-tune run on a project's data, as the "Fine-tune…" command
 * asks for it. Data is either a dataset (labelled texts: MNR/triplet over same-label
 * pairs; a label given on the cluster map, labels.jsonl, overrides the record's own, and
 * the labelled records are then written to .cache/ for the trainer) or the project's
 * annotations (scored pairs, joined with the dataset texts and written to .cache/).
 * The run lands in <project>/runs/.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import type { JobOptions } from '../util/job';
import type { EncoderContext } from '../encoders/provider';
import type { JobSecrets } from './protocol';
import { trainWithRunner, type DeviceName, type RunnerName } from '../train/runners/runner';
import { type TrainResult, type TrainMode, type LossName, type DataSource } from '../train/index';
import { openProject, projectPaths, findDataset, datasetPath, type Project } from '../project/store';
import type { DatasetEntry } from '../project/schema';
import { effectiveLabel, standingMapLabels } from '../project/map-labels';
import { writeFileAtomic } from '../util/fs';
import { readDatasetFile } from '../project/dataset-file';
import { annotatedPairTexts, pairLines, PAIR_FIELDS } from './annotated-pairs';

export interface TrainJobParams {
  projectDir: string;
  /** "annotations", or the name of a dataset with labels. */
  data: string;
  loss: LossName;
  mode?: TrainMode;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  encoder?: string;
  seed?: number;
  evalFraction?: number;
  trainLimit?: number;
  cacheDir?: string;
  /** Where the steps run (default builtin); python: the interpreter (else EMBEDLAB_PYTHON, python3) and device. */
  runner?: RunnerName;
  python?: string;
  device?: DeviceName;
}

async function annotationPairs(projectDir: string, options: JobOptions): Promise<DataSource> {
  const { pairs } = await annotatedPairTexts(projectDir, options);
  const file = path.join(projectPaths(projectDir).cache, 'train-pairs.jsonl');
  await writeFileAtomic(file, pairLines(pairs));
  return { file, fields: { ...PAIR_FIELDS } };
}

/**
 * A dataset's labelled texts with the map's labels overriding the records' own: the
 * records that have a label after that, written to .cache/train-labelled-<dataset>.jsonl.
 */
async function labelledWithMapLabels(project: Project, dataset: DatasetEntry, mapLabels: ReadonlyMap<string, string>, options: JobOptions): Promise<DataSource> {
  const lines: string[] = [];
  for (const r of await readDatasetFile(datasetPath(project, dataset), options)) {
    const label = effectiveLabel(r, mapLabels);
    if (label !== undefined) lines.push(JSON.stringify({ id: r.id, text: r.text, label }));
  }
  if (lines.length < 2) throw new InputError(`only ${lines.length} record(s) of "${dataset.name}" have a label; label more records on the cluster map`, { field: 'data' });
  const file = path.join(project.paths.cache, `train-labelled-${dataset.name}.jsonl`);
  await writeFileAtomic(file, lines.join('\n') + '\n');
  return { file, fields: { text: '{text}', label: 'label' } };
}

/** Runs a fine-tune on project data; resolves when the run ends (or is cancelled). */
export async function trainJob(
  params: TrainJobParams,
  options: JobOptions & { secrets: JobSecrets; encoderProviders?: EncoderContext['providers'] },
): Promise<TrainResult> {
  let source: DataSource;
  if (params.data === 'annotations') {
    source = await annotationPairs(params.projectDir, options);
  } else {
    const project = await openProject(params.projectDir);
    const dataset = findDataset(project, params.data);
    const mapLabels = await standingMapLabels(params.projectDir, dataset.name);
    if (mapLabels.size > 0) source = await labelledWithMapLabels(project, dataset, mapLabels, options);
    else if (!dataset.label) throw new InputError(`dataset "${dataset.name}" has no label field and no labels given on the cluster map; fine-tune on annotations, label records on the map, or import it with a label`, { field: 'data' });
    else source = { file: datasetPath(project, dataset), fields: { text: '{text}', label: 'label' } };
  }
  return trainWithRunner({
    root: params.projectDir,
    train: source,
    loss: params.loss,
    mode: params.mode ?? 'head',
    epochs: params.epochs,
    batchSize: params.batchSize,
    lr: params.lr,
    encoder: params.encoder,
    seed: params.seed,
    evalFraction: params.evalFraction,
    trainLimit: params.trainLimit,
    signal: options.signal,
    onProgress: options.onProgress,
    encoderContext: {
      projectDir: params.projectDir,
      cacheDir: params.cacheDir,
      hfToken: options.secrets.hfToken,
      apiKey: options.secrets.apiKey,
      providers: options.encoderProviders,
    },
  }, { runner: params.runner, python: params.python, device: params.device });
}
