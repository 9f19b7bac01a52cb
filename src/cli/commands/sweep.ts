import type { CliCommand, CommandContext } from '../command';
import type { OptionSpec } from '../args';
import { UsageError } from '../args';
import { LOSS_NAMES, isLossName } from '../../engine/train/losses/names';
import type { RequestedLoss } from '../../engine/train/choose-loss';
import { progressLogger, runnerOptions, runnerSettingsFrom, trainingOptions, trainOptionsFrom } from './train';
import { skipLines } from '../skip-lines';
import { jobContextFor } from '../job-context';
import type { ProgressListener } from '../../engine/util/job';
import { SWEEP_DEFAULTS, TRAIN_DEFAULTS } from '../../engine/defaults';

function list(ctx: CommandContext, name: string): string[] | undefined {
  const v = ctx.args.options[name];
  if (v === undefined) return undefined;
  const items = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

function numbers(ctx: CommandContext, name: string): number[] | undefined {
  const items = list(ctx, name);
  return items?.map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n)) throw new UsageError(`--${name}: "${s}" is not a number`);
    return n;
  });
}

// The grid axes take comma-separated lists, so they are strings here.
const gridNames = new Set(['loss', 'batch-size', 'epochs', 'lr', 'train-limit']);
const options: OptionSpec[] = [
  ...trainingOptions.map((o) =>
    gridNames.has(o.name) ? { name: o.name, kind: 'string' as const, description: `${o.description}; a comma-separated list sweeps it` } : o,
  ),
  { name: 'sweep-id', kind: 'string', description: 'the sweep id; the same id resumes it (default: sweep-<time>)' },
  ...runnerOptions,
  { name: 'concurrency', kind: 'number', description: `ray runner: runs training at once (default ${SWEEP_DEFAULTS.rayConcurrency}; the other runners train one at a time)` },
];

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'Run a grid of fine-tuning runs (loss × batch size × epochs × lr × data volume); resumable',
  usage:
    'embedlab sweep --train <file> [--eval <file>] --loss mnr,triplet --batch-size 16,32 --epochs 1,3 --lr 1e-3,3e-3 --train-limit 0.25,1 [--sweep-id <id>] [--out <dir>] [--runner builtin|python|ray [--ray-address …] [--concurrency N]] [--json]',
  options,
  async run(ctx) {
    const losses = list(ctx, 'loss') ?? [TRAIN_DEFAULTS.loss];
    for (const l of losses) if (l !== 'auto' && !isLossName(l)) throw new UsageError(`--loss: unknown loss "${l}" (one of auto, ${LOSS_NAMES.join(', ')})`);
    const grid = {
      loss: losses as RequestedLoss[],
      batchSize: numbers(ctx, 'batch-size'),
      epochs: numbers(ctx, 'epochs'),
      lr: numbers(ctx, 'lr'),
      trainLimit: numbers(ctx, 'train-limit'),
    };
    // trainOptionsFrom reads numbers; the grid axes are handled here.
    const stripped = { ...ctx.args.options };
    for (const n of gridNames) delete stripped[n];
    const base = trainOptionsFrom({ ...ctx, args: { ...ctx.args, options: stripped } });
    base.loss = grid.loss[0];
    const sweepId = typeof ctx.args.options['sweep-id'] === 'string' ? ctx.args.options['sweep-id'] : `sweep-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    const { sweepJob, SWEEP_RUN_STAGE } = await import('../../engine/jobs/train-run-jobs');
    const logProgress = progressLogger(ctx);
    const onProgress: ProgressListener = (p) => (p.stage === SWEEP_RUN_STAGE ? ctx.log(`sweep ${p.done}: ${p.message}`) : logProgress(p));
    const concurrency = typeof ctx.args.options.concurrency === 'number' ? ctx.args.options.concurrency : undefined;
    const result = await sweepJob({ sweepId, grid, base: { ...base, runner: runnerSettingsFrom(ctx) }, concurrency }, jobContextFor(ctx, onProgress));
    if (ctx.args.options.json) ctx.stdout(JSON.stringify(result));
    else
      ctx.stdout(
        result.runs
          .map((r) => `${r.run}  ${r.loss} bs=${r.batchSize ?? '-'} ep=${r.epochs ?? '-'} lr=${r.lr ?? '-'} n=${r.trainLimit ?? 'all'}  ${r.status}${r.skipped ? ' (done before)' : ''}  ${JSON.stringify(r.after)}`)
          .concat(skipLines(base.train.file, result.dataSkipped?.train), skipLines(base.eval?.file ?? 'the evaluation file', result.dataSkipped?.eval))
          .join('\n'),
      );
    return result.runs.some((r) => r.status === 'cancelled') ? 130 : 0;
  },
};
