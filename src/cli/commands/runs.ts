import * as path from 'node:path';
import type { CliCommand } from '../command';
import { jsonOption } from '../command';
import { listRuns } from '../../engine/train/runs';

function headline(m: Record<string, number> | undefined): string {
  if (!m) return '-';
  const key = ['spearman', 'top25', 'top10', 'mrr10', 'nmi'].find((k) => k in m) ?? Object.keys(m)[0];
  return key ? `${key} ${m[key].toFixed(4)}` : '-';
}

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'List the fine-tuning and evaluation runs of a project',
  usage: 'embedlab runs [--project <dir>] [--json]',
  options: [{ name: 'project', kind: 'string', description: 'project folder (default: the current folder); also accepts an --out folder' }, jsonOption],
  async run(ctx) {
    const root = path.resolve(typeof ctx.args.options.project === 'string' ? ctx.args.options.project : process.cwd());
    const runs = await listRuns(root);
    if (ctx.args.options.json) {
      ctx.stdout(
        JSON.stringify({
          root,
          runs: runs.map((r) => ({
            id: r.id,
            dir: r.dir,
            state: r.state,
            mode: r.summary?.mode,
            loss: r.summary?.loss,
            step: r.summary?.step,
            totalSteps: r.summary?.totalSteps,
            startedAt: r.summary?.startedAt,
            before: r.summary?.before,
            after: r.summary?.after,
            best: r.summary?.best,
          })),
        }),
      );
      return 0;
    }
    if (!runs.length) {
      ctx.stdout(`no runs under ${path.join(root, 'runs')}`);
      return 0;
    }
    ctx.stdout(
      runs
        .map(
          (r) =>
            `${r.id.padEnd(34)} ${r.state.padEnd(11)} ${(r.summary?.mode ?? '').padEnd(4)} ${(r.summary?.loss ?? '').padEnd(9)} ${String(r.summary?.step ?? 0).padStart(6)}/${String(r.summary?.totalSteps ?? 0).padEnd(6)} before ${headline(r.summary?.before)}  after ${headline(r.summary?.after)}`,
        )
        .join('\n'),
    );
    return 0;
  },
};
