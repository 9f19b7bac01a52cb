import * as path from 'node:path';
import type { CliCommand } from '../command';
import { jsonOption } from '../command';
import { UsageError } from '../args';
import { listRuns, type RunInfo } from '../../engine/train/runs';
import { runLabels, updateProjectRunMeta, type RunMetaLog } from '../../engine/train/run-meta';
import { formatMetric, headlineMetric } from '../../protocol/metric-names';

const ACTIONS = ['list', 'rename', 'tag', 'untag', 'note', 'import', 'watch'] as const;
type Action = (typeof ACTIONS)[number];

/** "Spearman 0.8123": the run's headline metric in the shared vocabulary. */
function headline(m: Record<string, number> | undefined): string {
  const key = headlineMetric(m);
  return key && m ? formatMetric(key, m[key]) : '-';
}

function metaJson(id: string, meta: RunMetaLog): object {
  return { id, name: meta.name ?? null, tags: meta.tags, notes: meta.notes, updatedAt: meta.updatedAt };
}

async function list(root: string, runs: RunInfo[], json: boolean, out: (t: string) => void): Promise<void> {
  const labelled = await Promise.all(runs.map(async (r) => ({ r, l: await runLabels(r) })));
  if (json) {
    out(
      JSON.stringify({
        root,
        runs: labelled.map(({ r, l }) => ({
          id: r.id,
          name: l.name,
          named: l.named,
          tags: l.tags,
          notes: l.notes,
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
    return;
  }
  if (!runs.length) {
    out(`no runs under ${path.join(root, 'runs')}`);
    return;
  }
  out(
    labelled
      .map(({ r, l }) => {
        const head = `${l.name}${l.tags.length ? `  [${l.tags.join(', ')}]` : ''}`;
        const detail = `  ${r.id}  ${r.state}  step ${r.summary?.step ?? 0}/${r.summary?.totalSteps ?? 0}  before ${headline(r.summary?.before)}  after ${headline(r.summary?.after)}`;
        return `${head}\n${detail}${l.notes ? `\n  notes: ${l.notes.split('\n')[0]}${l.notes.includes('\n') ? ' …' : ''}` : ''}`;
      })
      .join('\n'),
  );
}

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'List the runs of a project with their names and tags; rename, tag or annotate a run',
  usage: [
    'embedlab runs [list] [--project <dir>] [--json]',
    '       embedlab runs rename <id> <name> [--project <dir>]   (an empty name restores the default)',
    '       embedlab runs tag <id> <tag>… [--project <dir>]',
    '       embedlab runs untag <id> <tag>… [--project <dir>]',
    '       embedlab runs note <id> <text> [--project <dir>]     (an empty text clears the notes)',
    '       embedlab runs import <job or run folder> [--run-id <id>] [--overwrite] [--project <dir>]   (a finished exported job, or a run trained elsewhere)',
    '       embedlab runs watch <id> [--project <dir>]   (follow a Ray Jobs run again after its runner stopped: curves, status; Ctrl-C stops the job)',
  ].join('\n'),
  options: [
    { name: 'project', kind: 'string', description: 'project folder (default: the current folder); also accepts an --out folder' },
    { name: 'run-id', kind: 'string', description: 'import: the id of the imported run (default: its own)' },
    { name: 'overwrite', kind: 'boolean', description: 'import: replace a run of the same id' },
    jsonOption,
  ],
  async run(ctx) {
    const root = path.resolve(typeof ctx.args.options.project === 'string' ? ctx.args.options.project : process.cwd());
    const [first, ...rest] = ctx.args.positionals;
    if (first !== undefined && !(ACTIONS as readonly string[]).includes(first)) throw new UsageError(`unknown action "${first}": use ${ACTIONS.join(', ')}`);
    const action = (first ?? 'list') as Action;
    const json = Boolean(ctx.args.options.json);
    if (action === 'list') {
      if (rest.length) throw new UsageError('runs list takes no arguments');
      await list(root, await listRuns(root), json, ctx.stdout);
      return 0;
    }
    if (action === 'import') {
      if (rest.length !== 1) throw new UsageError('runs import takes one folder: an exported job (after it ran) or a run folder');
      const { importRunJob } = await import('../../engine/jobs/train-run-jobs');
      const runId = typeof ctx.args.options['run-id'] === 'string' ? ctx.args.options['run-id'] : undefined;
      const r = await importRunJob({ from: rest[0], root, runId, overwrite: ctx.args.options.overwrite === true });
      ctx.stdout(
        json
          ? JSON.stringify(r)
          : `imported ${r.id} (${r.status}, ${r.steps}/${r.totalSteps} steps, ${r.runner} runner, ${r.modelFiles} model files) into ${r.dir}` +
              (r.skippedMetricLines ? `\n${r.skippedMetricLines} metrics line cut off at the end left out` : ''),
      );
      return 0;
    }
    if (action === 'watch') {
      if (rest.length !== 1) throw new UsageError('runs watch takes one run id');
      const { watchRunJob } = await import('../../engine/jobs/train-run-jobs');
      const { jobContextFor } = await import('../job-context');
      const { printResult, progressLogger } = await import('./train');
      const r = await watchRunJob({ run: `run:${rest[0]}`, root }, jobContextFor(ctx, progressLogger(ctx)));
      printResult(ctx, r);
      return r.status === 'cancelled' ? 130 : 0;
    }
    const [id, ...values] = rest;
    if (!id) throw new UsageError(`runs ${action} needs a run id (see \`embedlab runs\`)`);
    let meta: RunMetaLog;
    let done: string;
    if (action === 'rename') {
      if (values.length !== 1) throw new UsageError('runs rename takes one name: quote it if it has spaces');
      meta = await updateProjectRunMeta(root, id, { name: values[0] });
      done = meta.name ? `renamed ${id} to "${meta.name}"` : `${id} has its default name again`;
    } else if (action === 'note') {
      if (values.length !== 1) throw new UsageError('runs note takes one text: quote it if it has spaces');
      meta = await updateProjectRunMeta(root, id, { notes: values[0] });
      done = meta.notes ? `notes of ${id} saved` : `notes of ${id} cleared`;
    } else {
      if (!values.length) throw new UsageError(`runs ${action} needs at least one tag`);
      meta = await updateProjectRunMeta(root, id, { tagChange: action === 'tag' ? { add: values } : { remove: values } });
      done = `tags of ${id}: ${meta.tags.length ? meta.tags.join(', ') : '(none)'}`;
    }
    ctx.stdout(json ? JSON.stringify(metaJson(id, meta)) : done);
    return 0;
  },
};
