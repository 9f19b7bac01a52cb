import * as path from 'node:path';
import type { CliCommand, CommandContext } from '../command';
import { encoderOption, jsonOption, seedOption } from '../command';
import type { OptionSpec } from '../args';
import { UsageError } from '../args';
import { LOSS_NAMES } from '../../engine/train/losses/names';
import type { RequestedLoss } from '../../engine/train/choose-loss';
import { trainingLines } from '../../engine/train/result-lines';
import type { LossOptions } from '../../engine/train/losses/index';
import type { DataFields, DataKind } from '../../engine/train/training-data';
import type { TrainResult } from '../../engine/train/trainer';
import type { TrainFileParams } from '../../engine/jobs/train-run-jobs';
import type { HeadKind } from '../../engine/train/heads/index';
import type { Progress } from '../../engine/util/job';
import { skipLines } from '../skip-lines';
import { isAlwaysShown, progressLine } from '../progress';
import { DEVICE_NAMES, RUNNER_NAMES, type DeviceName, type RunnerName, type RunnerSettings } from '../../engine/train/runners/runner';
import { jobContextFor } from '../job-context';
import { TRAIN_DEFAULTS } from '../../engine/defaults';

// The training modules are loaded on first use with import(): they pull in TensorFlow.js
// (seconds to load), which no other command needs.

/** Options shared by `train` and `sweep`. */
export const trainingOptions: readonly OptionSpec[] = [
  { name: 'train', kind: 'string', description: 'training data file (CSV, JSONL or JSON)' },
  { name: 'eval', kind: 'string', description: 'held-out evaluation file (default: hold out --eval-fraction of --train)' },
  {
    name: 'loss',
    kind: 'string',
    description: 'training loss; auto: follows the data (scored pairs: cosine; labels: mnr on same-label pairs; pairs: mnr)',
    choices: ['auto', ...LOSS_NAMES],
    default: TRAIN_DEFAULTS.loss,
  },
  { name: 'min-score', kind: 'number', description: 'mnr/megabatch on scored pairs: only pairs scored at or above this train', default: TRAIN_DEFAULTS.mnrMinScore },
  { name: 'mode', kind: 'string', description: 'head: train a head on frozen embeddings; full: all weights', choices: ['head', 'full'], default: TRAIN_DEFAULTS.mode },
  encoderOption,
  { name: 'text1', kind: 'string', description: 'field of the first text of a pair (default text1)' },
  { name: 'text2', kind: 'string', description: 'field of the second text of a pair (default text2)' },
  { name: 'score', kind: 'string', description: 'field of the 0–1 pair score (default score)' },
  { name: 'text', kind: 'string', description: 'text template for labelled texts, e.g. "{title}. {description}" (default {text})' },
  { name: 'label', kind: 'string', description: 'label field (similarity groups; triplet, mnr on labels, dec evaluation)' },
  {
    name: 'epochs',
    kind: 'number',
    description: `epochs (default auto: with evaluation data up to ${TRAIN_DEFAULTS.maxEpochs}, stopping early and keeping the best; without, from the data size); with evaluation data, the cap`,
  },
  { name: 'patience', kind: 'number', description: 'stop after N evaluations without improvement (0: never stop early)', default: TRAIN_DEFAULTS.patience },
  { name: 'batch-size', kind: 'number', description: 'batch size', default: TRAIN_DEFAULTS.batchSize },
  { name: 'lr', kind: 'number', description: `peak learning rate (AdamW; default ${TRAIN_DEFAULTS.headLearningRate} in head mode, ${TRAIN_DEFAULTS.fullLearningRate} in full mode)` },
  { name: 'max-steps', kind: 'number', description: 'stop after this many steps' },
  { name: 'warmup', kind: 'number', description: 'fraction of steps for linear warm-up', default: TRAIN_DEFAULTS.warmupRatio },
  { name: 'weight-decay', kind: 'number', description: 'AdamW weight decay', default: TRAIN_DEFAULTS.weightDecay },
  { name: 'eval-every', kind: 'number', description: 'evaluate every N steps (default: each epoch)' },
  { name: 'eval-fraction', kind: 'number', description: 'fraction of --train held out when there is no --eval', default: TRAIN_DEFAULTS.evalFraction },
  { name: 'train-limit', kind: 'number', description: 'train on at most N examples (≤ 1: a fraction)' },
  { name: 'head', kind: 'string', description: 'head mode: the trainable head', choices: ['skip-linear', 'mlp'], default: TRAIN_DEFAULTS.head },
  { name: 'hidden', kind: 'number', description: 'MLP head hidden width' },
  { name: 'dropout', kind: 'number', description: "full mode: dropout probability (default: the model's config.json)" },
  { name: 'mini-batch', kind: 'number', description: 'full mode: texts per forward pass with a gradient cache (CachedMNRL), so --batch-size can exceed memory' },
  { name: 'scale', kind: 'number', description: 'mnr/cosent similarity scale (default 20)' },
  { name: 'symmetric', kind: 'boolean', description: 'mnr: symmetric form' },
  { name: 'margin', kind: 'number', description: 'triplet margin (default 5 euclidean)' },
  { name: 'distance', kind: 'string', description: 'triplet distance', choices: ['euclidean', 'cosine'] },
  { name: 'clusters', kind: 'number', description: 'dec: number of clusters (default: number of labels)' },
  { name: 'out', kind: 'string', description: 'folder to hold runs/ (default: --project, else the current folder)' },
  { name: 'project', kind: 'string', description: 'project folder (runs go to <project>/runs/)' },
  { name: 'backend', kind: 'string', description: 'TensorFlow.js backend', choices: ['auto', 'tensorflow', 'wasm', 'cpu'], default: TRAIN_DEFAULTS.backend },
  { name: 'strict', kind: 'boolean', description: 'any skipped row (unreadable, empty text, no label) is an error naming its file, line and field' },
  seedOption,
  jsonOption,
];

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === 'string' ? v : undefined;
}
function num(ctx: CommandContext, name: string): number | undefined {
  const v = ctx.args.options[name];
  return typeof v === 'number' ? v : undefined;
}

export function fieldsFrom(ctx: CommandContext): DataFields {
  return { text1: str(ctx, 'text1'), text2: str(ctx, 'text2'), score: str(ctx, 'score'), text: str(ctx, 'text'), label: str(ctx, 'label') };
}

export function rootFrom(ctx: CommandContext): string {
  return path.resolve(str(ctx, 'out') ?? str(ctx, 'project') ?? process.cwd());
}

/** The training job the CLI flags describe (without run id). */
export function trainOptionsFrom(ctx: CommandContext): TrainFileParams {
  const trainFile = str(ctx, 'train');
  if (!trainFile) throw new UsageError('--train <file> is required');
  const loss = (str(ctx, 'loss') ?? TRAIN_DEFAULTS.loss) as RequestedLoss;
  const lossOptions: LossOptions = {
    scale: num(ctx, 'scale'),
    symmetric: ctx.args.options.symmetric === true || undefined,
    margin: num(ctx, 'margin'),
    distance: str(ctx, 'distance') as LossOptions['distance'],
    clusters: num(ctx, 'clusters'),
  };
  const fields = fieldsFrom(ctx);
  const evalFile = str(ctx, 'eval');
  const root = rootFrom(ctx);
  return {
    root,
    train: { file: trainFile, fields },
    eval: evalFile ? { file: evalFile } : undefined,
    evalFraction: num(ctx, 'eval-fraction'),
    trainLimit: num(ctx, 'train-limit'),
    loss,
    minScore: num(ctx, 'min-score'),
    lossOptions: JSON.parse(JSON.stringify(lossOptions)) as LossOptions,
    mode: (str(ctx, 'mode') ?? TRAIN_DEFAULTS.mode) as TrainFileParams['mode'],
    encoder: str(ctx, 'encoder'),
    projectDir: str(ctx, 'project') ?? root,
    head: { kind: (str(ctx, 'head') ?? TRAIN_DEFAULTS.head) as HeadKind, hidden: num(ctx, 'hidden') },
    dropout: num(ctx, 'dropout'),
    miniBatch: num(ctx, 'mini-batch'),
    epochs: num(ctx, 'epochs'),
    patience: num(ctx, 'patience'),
    batchSize: num(ctx, 'batch-size'),
    lr: num(ctx, 'lr'),
    warmupRatio: num(ctx, 'warmup'),
    weightDecay: num(ctx, 'weight-decay'),
    maxSteps: num(ctx, 'max-steps'),
    evalEvery: num(ctx, 'eval-every'),
    seed: num(ctx, 'seed'),
    backend: (str(ctx, 'backend') ?? TRAIN_DEFAULTS.backend) as TrainFileParams['backend'],
    strict: ctx.args.options.strict === true || undefined,
  };
}

/** Where the steps run: the builtin tfjs trainer, sentence-transformers on a local Python, or on a Ray cluster. */
export const runnerOptions: readonly OptionSpec[] = [
  {
    name: 'runner',
    kind: 'string',
    description: 'builtin: TensorFlow.js, no install; python: sentence-transformers on your Python (full mode); ray: the same, data-parallel on a Ray cluster',
    choices: RUNNER_NAMES,
    default: 'builtin',
  },
  { name: 'python', kind: 'string', description: 'python and ray runners: the interpreter (default $EMBEDLAB_PYTHON, else python3)' },
  { name: 'device', kind: 'string', description: 'python runner: torch device (default auto: cuda, mps, else cpu)', choices: DEVICE_NAMES },
  {
    name: 'ray-address',
    kind: 'string',
    description:
      'ray runner: the cluster: http(s)://host:8265 submits through its Ray Jobs API; host:6379, ray://host:10001 or auto run the driver here (default $EMBEDLAB_RAY_ADDRESS, else $RAY_ADDRESS)',
  },
  { name: 'ray-storage', kind: 'string', description: 'ray runner, Jobs API: a folder the cluster and this machine share (same path), where the job writes its run; its model is copied into the run at the end' },
  { name: 'ray-workers', kind: 'number', description: 'ray runner: Ray Train workers, the data-parallel processes (default 1)' },
  { name: 'use-gpu', kind: 'boolean', description: 'ray runner: one GPU per worker' },
];

export function runnerSettingsFrom(ctx: CommandContext): RunnerSettings {
  const runner = (str(ctx, 'runner') ?? 'builtin') as RunnerName;
  return {
    runner,
    python: str(ctx, 'python'),
    device: str(ctx, 'device') as DeviceName | undefined,
    rayAddress: str(ctx, 'ray-address'),
    rayWorkers: num(ctx, 'ray-workers'),
    useGpu: ctx.args.options['use-gpu'] === true ? true : undefined,
    rayStorage: str(ctx, 'ray-storage'),
  };
}

/** Where a run's steps ran, for the result line. */
function whereTrained(r: TrainResult): string {
  if (r.runner === 'ray') return `ray on ${r.ray?.address ?? '?'}, ${r.ray?.workers ?? 1} worker(s), job ${r.ray?.submissionId ?? r.ray?.jobId ?? '?'}`;
  if (r.runner === 'python') return `python on ${r.device ?? 'auto'}`;
  return r.backend;
}

/** Logs progress on stderr, one line per stage change or every ~2 s (retries, waits and warnings always). */
export function progressLogger(ctx: CommandContext): (p: Progress) => void {
  let last = 0;
  let stage = '';
  return (p) => {
    const now = Date.now();
    if (isAlwaysShown(p)) return ctx.log(progressLine(p));
    if (p.stage === stage && now - last < 2000 && !(p.total > 0 && p.done >= p.total)) return;
    last = now;
    stage = p.stage;
    ctx.log(progressLine(p));
  };
}

function fmt(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
}

/** The skip lines of a run's data files (train, then eval), for the text output. */
function runSkipLines(r: Pick<TrainResult, 'skipped'>, files: { train?: string; eval?: string }): string[] {
  return [...skipLines(files.train ?? 'the training file', r.skipped?.train), ...skipLines(files.eval ?? 'the evaluation file', r.skipped?.eval)];
}

export function printResult(ctx: CommandContext, r: TrainResult, files: { train?: string; eval?: string } = {}): void {
  if (ctx.args.options.json) {
    ctx.stdout(JSON.stringify(r));
    return;
  }
  ctx.stdout(
    [
      `run     ${r.run} (${r.status}, ${r.steps}/${r.totalSteps} steps, ${(r.durationMs / 1000).toFixed(1)} s, ${whereTrained(r)})`,
      `before  ${fmt(r.before)}`,
      `after   ${fmt(r.after)}${r.best ? ` (best at step ${r.best.step}${r.best.epoch !== undefined ? `, epoch ${r.best.epoch}` : ''})` : ''}`,
      ...trainingLines(r),
      ...runSkipLines(r, files),
    ].join('\n'),
  );
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Fine-tune an encoder (head mode: a head on frozen embeddings; full mode: every weight of a BERT-family model) and record the run',
  usage:
    'embedlab train --train <file> [--loss auto|mnr|cosent|cosine|triplet|megabatch|dec] --mode head|full [--encoder …] [--text1 <field> --text2 <field> | --text "<template>" --label <field>] [--epochs N] [--batch-size N] [--lr X] [--eval <file>] [--seed N] [--out <dir>] [--json]\n' +
    '       embedlab train --resume <run folder | run:<id>> [--project <dir>] [--json]\n' +
    '       embedlab train --eval-only --eval <file> [--encoder …] [--text1 … --text2 … | --text … --label …] [--json]',
  options: [
    ...trainingOptions,
    { name: 'run-id', kind: 'string', description: 'name the run: letters, digits, ".", "-", "_" (default: time-loss-random); an id in use is refused' },
    { name: 'overwrite', kind: 'boolean', description: 'replace an existing run of the same --run-id' },
    { name: 'resume', kind: 'string', description: 'resume a cancelled or interrupted run' },
    { name: 'eval-only', kind: 'boolean', description: 'score the encoder on --eval without training (an evaluation run)' },
    { name: 'export-job', kind: 'string', description: 'full mode: write a self-contained job folder (data, base model, script, requirements, README with accelerate/Slurm/Ray commands) instead of training; bring it back with `embedlab runs import`' },
    ...runnerOptions,
  ],
  async run(ctx) {
    const job = jobContextFor(ctx, progressLogger(ctx));
    // Loaded on first use: the training jobs pull in TensorFlow.js.
    const { trainFileJob, resumeRunJob, evalRunJob } = await import('../../engine/jobs/train-run-jobs');
    const runner = runnerSettingsFrom(ctx);
    const resume = str(ctx, 'resume');
    if (resume) {
      const r = await resumeRunJob({ run: resume, root: str(ctx, 'out') ?? str(ctx, 'project'), python: runner.python, device: runner.device, rayAddress: runner.rayAddress }, job);
      printResult(ctx, r);
      return r.status === 'cancelled' ? 130 : 0;
    }
    if (ctx.args.options['eval-only']) {
      const file = str(ctx, 'eval') ?? str(ctx, 'train');
      if (!file) throw new UsageError('--eval <file> is required with --eval-only');
      const fields = fieldsFrom(ctx);
      const loss = str(ctx, 'loss');
      const kind: DataKind =
        loss === 'dec' ? 'texts' : fields.label ? 'labelled' : loss === 'mnr' || loss === 'megabatch' ? 'pairs' : 'scored';
      const r = await evalRunJob(
        {
          root: rootFrom(ctx),
          runId: str(ctx, 'run-id'),
          overwrite: ctx.args.options.overwrite === true,
          file,
          fields,
          kind,
          encoder: str(ctx, 'encoder'),
          projectDir: str(ctx, 'project') ?? rootFrom(ctx),
          clusters: num(ctx, 'clusters'),
          seed: num(ctx, 'seed'),
          strict: ctx.args.options.strict === true || undefined,
        },
        job,
      );
      if (ctx.args.options.json) ctx.stdout(JSON.stringify({ run: r.run, id: r.id, encoder: r.encoder, before: r.metrics, after: r.metrics, skipped: r.skipped }));
      else ctx.stdout([`run     ${r.run}`, `metrics ${fmt(r.metrics)}`, ...runSkipLines(r, { eval: file })].join('\n'));
      return 0;
    }
    const options = trainOptionsFrom(ctx);
    const exportDir = str(ctx, 'export-job');
    if (exportDir) {
      if (runner.runner !== 'builtin' || runner.python || runner.rayAddress) throw new UsageError('--export-job writes a job to run elsewhere: it takes no --runner, --python or --ray-address');
      const { exportTrainJobFile } = await import('../../engine/jobs/train-run-jobs');
      const x = await exportTrainJobFile({ ...options, runId: str(ctx, 'run-id'), exportDir }, job);
      if (ctx.args.options.json) ctx.stdout(JSON.stringify(x));
      else
        ctx.stdout(
          [
            `job     ${x.dir} (run ${x.runId}, ${x.totalSteps} steps, ${x.files.length} files)`,
            `run it  see ${path.join(x.dir, 'README.md')} (python -m embedlab_train job --out run; accelerate launch; sbatch slurm.sbatch; ray job submit)`,
            `then    embedlab runs import ${x.dir} --project <project>`,
            ...runSkipLines(x, { train: options.train.file, eval: options.eval?.file }),
          ].join('\n'),
        );
      return 0;
    }
    const r = await trainFileJob({ ...options, runId: str(ctx, 'run-id'), overwrite: ctx.args.options.overwrite === true, runner }, job);
    printResult(ctx, r, { train: options.train.file, eval: options.eval?.file });
    return r.status === 'cancelled' ? 130 : 0;
  },
};
