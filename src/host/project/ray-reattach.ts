/**
 * When the workspace's projects open: the runs submitted through the Ray Jobs API whose runner
 * is gone (the editor closed while they trained) are followed again, each as a `resumeRun` job
 * (the engine re-attaches: status polled, the log read from where metrics.jsonl ended, cancel
 * from the job's notification stops the Ray job). The logic is the engine's (ray-jobs-runner.ts).
 */
import type { HostContext } from '../context';
import { detachedRayJobRuns } from '../../engine/train/runners/ray-record';

export async function reattachRayRuns(ctx: HostContext): Promise<void> {
  for (const project of await ctx.projects.summaries()) {
    for (const run of await detachedRayJobRuns(project.dir)) {
      ctx.output.info(`re-attaching to the Ray Jobs run ${run.id} of ${project.name}`);
      void ctx.jobs
        .run(`Ray run ${run.id} (re-attached)`, { type: 'resumeRun', params: { run: run.dir, root: project.dir } }, {
          onProgress: (p) => {
            if ((p.stage === 'log' || p.stage === 'warning') && p.message) ctx.output.info(`[ray] ${p.message}`);
          },
        })
        .then(
          (r) => r && ctx.output.info(`Ray run ${run.id}: ${r.status}`),
          (e: Error) => ctx.output.error(`Ray run ${run.id}: ${e.message}`),
        )
        .finally(() => ctx.refreshProjects());
    }
  }
}
