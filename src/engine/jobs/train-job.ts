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
import { trainWithRunner, type DeviceName, type RunnerName, type RunnerSettings } from '../train/runners/runner';
import { type TrainResult, type TrainMode, type DataSource } from '../train/index';
import type { RequestedLoss } from '../train/choose-loss';
import { openProject, projectPaths, findDataset, datasetPath, type Project } from '../project/store';
import type { DatasetEntry } from '../project/schema';
import { effectiveLabel, standingMapLabels } from '../project/map-labels';
import { writeFileAtomic } from '../util/fs';
import { readDatasetFile } from '../project/dataset-file';
import { prescoresPath, readPrescores, standingPrescores } from '../project/prescores';
import { pairKey } from '../project/annotations';
import { createRng, shuffle } from '../util/random';
import { DEFAULT_SEED, TRAIN_DEFAULTS } from '../defaults';
import type { WeakLabelRecord } from '../train/settings';
import { annotatedPairTexts, pairLines, PAIR_FIELDS, type AnnotatedPairText } from './annotated-pairs';

export interface TrainJobParams {
  projectDir: string;
  /** "annotations", or the name of a dataset with labels. */
  data: string;
  /** "auto" (or absent): the loss follows the data, as in `embedlab train` (train/choose-loss.ts). */
  loss?: RequestedLoss;
  /** MNR/MegaBatch on annotated pairs: the lowest score that trains (default TRAIN_DEFAULTS.mnrMinScore). */
  minScore?: number;
  mode?: TrainMode;
  /** Absent: automatic (early stopping on the held-out part, up to the cap). */
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
  /**
   * With data "annotations": also train on pairs a language model pre-scored (prescores.jsonl) that
   * no person scored, as weak labels. Opt-in; the run's config records it, and its evaluation uses
   * human scores only.
   */
  llmWeakLabels?: boolean;
  /** ray: the cluster address. */
  rayAddress?: string;
  /** ray, a Jobs API address: the folder the cluster shares with this machine (the model comes back through it). */
  rayStorage?: string;
}

interface AnnotationData {
  source: DataSource;
  eval?: DataSource;
  weakLabels?: WeakLabelRecord;
}

async function annotationPairs(projectDir: string, options: JobOptions, weak?: { evalFraction: number; seed: number }): Promise<AnnotationData> {
  const { pairs } = await annotatedPairTexts(projectDir, options);
  const fields = { ...PAIR_FIELDS };
  const file = path.join(projectPaths(projectDir).cache, 'train-pairs.jsonl');
  if (!weak) {
    await writeFileAtomic(file, pairLines(pairs));
    return { source: { file, fields } };
  }
  // Weak labels: the held-out part comes from human scores only, the LLM's pairs only train.
  const human = shuffle([...pairs], createRng(weak.seed));
  const held = weak.evalFraction > 0 ? Math.max(1, Math.round(human.length * weak.evalFraction)) : 0;
  const machine = await llmOnlyPairs(projectDir, new Set(pairs.map((p) => pairKey(p.id1, p.id2))), options);
  await writeFileAtomic(file, pairLines([...human.slice(held), ...machine.pairs]));
  const record: WeakLabelRecord = { source: 'llm', models: machine.models, pairs: machine.pairs.length, humanPairs: human.length - held, heldOutHumanPairs: held };
  options.onProgress?.({ stage: 'warning', done: machine.pairs.length, total: machine.pairs.length + human.length, message: `training on ${machine.pairs.length} LLM pre-scored pairs (${machine.models.join(', ') || 'none'}) as weak labels besides ${human.length - held} human-scored pairs; evaluated on ${held} human-scored pairs` });
  if (!held) return { source: { file, fields }, weakLabels: record };
  const evalFile = path.join(projectPaths(projectDir).cache, 'train-pairs-eval.jsonl');
  await writeFileAtomic(evalFile, pairLines(human.slice(0, held)));
  return { source: { file, fields }, eval: { file: evalFile, fields }, weakLabels: record };
}

/** Standing LLM pre-scores of pairs no person scored, whose records are in a dataset. */
async function llmOnlyPairs(projectDir: string, human: ReadonlySet<string>, options: JobOptions): Promise<{ pairs: AnnotatedPairText[]; models: string[] }> {
  const standing = standingPrescores((await readPrescores(prescoresPath(projectDir))).entries);
  const project = await openProject(projectDir);
  const texts = new Map<string, string>();
  for (const d of project.config.datasets) for (const r of await readDatasetFile(datasetPath(project, d), options)) texts.set(r.id, r.text);
  const pairs: AnnotatedPairText[] = [];
  const models = new Set<string>();
  for (const [key, e] of standing) {
    const text1 = texts.get(e.id1);
    const text2 = texts.get(e.id2);
    if (human.has(key) || e.score === null || text1 === undefined || text2 === undefined) continue;
    pairs.push({ id1: e.id1, id2: e.id2, text1, text2, score: e.score });
    models.add(e.model);
  }
  return { pairs, models: [...models].sort() };
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
  let annotations: AnnotationData | undefined;
  if (params.llmWeakLabels && params.data !== 'annotations') throw new InputError('LLM weak labels apply to training on annotations only', { field: 'llmWeakLabels' });
  if (params.data === 'annotations') {
    const weak = params.llmWeakLabels ? { evalFraction: params.evalFraction ?? TRAIN_DEFAULTS.evalFraction, seed: params.seed ?? DEFAULT_SEED } : undefined;
    annotations = await annotationPairs(params.projectDir, options, weak);
    source = annotations.source;
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
    ...(annotations?.eval ? { eval: annotations.eval } : {}),
    ...(annotations?.weakLabels ? { weakLabels: annotations.weakLabels } : {}),
    loss: params.loss,
    minScore: params.minScore,
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
  }, runnerSettings(params));
}

/** The runner settings of the job (the ray address only for the ray runner). */
function runnerSettings(params: TrainJobParams): RunnerSettings {
  const settings: RunnerSettings = { runner: params.runner, python: params.python, device: params.device };
  if ((params.runner as string) === 'ray' && params.rayAddress) settings.rayAddress = params.rayAddress;
  if ((params.runner as string) === 'ray' && params.rayAddress && /^https?:\/\//i.test(params.rayAddress) && params.rayStorage) settings.rayStorage = params.rayStorage;
  return settings;
}
