/**
 * The active loop in the extension: per project, a scheduler (engine/annotate/active-loop-scheduler)
 * fed with the number of scored pairs after each save of the annotation panel; each round is the
 * `activeLoopTrain` engine job, run in the background in the engine process (status bar only,
 * no notification; cancellable from the status bar). A status-bar item shows the loop's Spearman
 * on the held-out annotations ("Active loop: Spearman 0.41 → 0.58 (n=60)"); open annotation
 * panels hear of each change and of each new run (their "uncertain" suggestions then use it).
 */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import { ActiveLoopScheduler } from '../../engine/annotate/active-loop-scheduler';
import { activeLoopRounds, latestCompletedRound } from '../../engine/jobs/active-loop-history';
import { activeLoopLine, activeLoopTrend, type ActiveLoopRound, type ActiveLoopStatus } from '../../protocol/active-loop';

export interface ActiveLoopChange {
  projectDir: string;
  status: ActiveLoopStatus;
  /** A round just finished with a run the suggestions can use. */
  newRun: boolean;
}

interface ProjectLoop {
  scheduler: ActiveLoopScheduler;
  rounds: ActiveLoopRound[];
  training?: { annotations: number; controller: AbortController };
  problem?: string;
  /** Where the next round trains: the dataset being annotated and the project's encoder. */
  target: { dataset: string; encoder: string };
}

export const CANCEL_ACTIVE_LOOP_COMMAND = 'embeddingLab.cancelActiveLoop';

export class ActiveLoop implements vscode.Disposable {
  private readonly loops = new Map<string, Promise<ProjectLoop>>();
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<ActiveLoopChange>();
  readonly onDidChange = this.changed.event;
  /** The project the status bar shows (the last one annotated). */
  private shown: string | undefined;

  constructor(private readonly ctx: Pick<HostContext, 'config' | 'jobs' | 'output' | 'cacheDir' | 'refreshProjects'>) {
    this.item = vscode.window.createStatusBarItem('embeddingLab.activeLoop', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'Embedding Lab active loop';
  }

  private get every(): number {
    return Math.max(0, Math.floor(this.ctx.config()['activeLoop.every']));
  }

  private loop(projectDir: string, target: ProjectLoop['target']): Promise<ProjectLoop> {
    let p = this.loops.get(projectDir);
    if (!p) {
      p = activeLoopRounds(projectDir)
        .catch(() => [] as ActiveLoopRound[])
        .then((rounds) => {
          const state: ProjectLoop = {
            rounds,
            target,
            // the next round comes `every` annotations after the last round's
            scheduler: new ActiveLoopScheduler({ every: this.every, baseline: rounds.at(-1)?.annotations ?? 0, start: (count) => this.train(projectDir, state, count) }),
          };
          return state;
        });
      this.loops.set(projectDir, p);
    }
    return p;
  }

  /** After a save in the annotation panel: the scored pairs (all annotators) there are now. */
  async annotated(projectDir: string, target: ProjectLoop['target'], scoredPairs: number): Promise<void> {
    const loop = await this.loop(projectDir, target);
    loop.target = target;
    loop.scheduler.setEvery(this.every);
    loop.scheduler.annotated(scoredPairs);
    this.shown = projectDir;
    this.emit(projectDir, loop, false);
  }

  /** The loop's status for a project (read from its runs the first time). */
  async status(projectDir: string, target: ProjectLoop['target']): Promise<ActiveLoopStatus> {
    return this.statusOf(await this.loop(projectDir, target));
  }

  /** "run:active-loop-<n>" of the latest completed round, for the suggestions; undefined before the first. */
  async latestRun(projectDir: string, target: ProjectLoop['target']): Promise<string | undefined> {
    if (this.every === 0) return undefined;
    const r = latestCompletedRound((await this.loop(projectDir, target)).rounds);
    return r ? `run:${r.runId}` : undefined;
  }

  /** Cancels the running round of every project; true when there was one. */
  async cancel(): Promise<boolean> {
    let any = false;
    for (const p of this.loops.values()) {
      const loop = await p;
      if (loop.training) {
        loop.training.controller.abort();
        any = true;
      }
    }
    return any;
  }

  private statusOf(loop: ProjectLoop): ActiveLoopStatus {
    const every = this.every;
    return {
      every,
      state: loop.training ? 'training' : every === 0 ? 'off' : 'idle',
      ...(loop.training ? { training: { annotations: loop.training.annotations, queued: loop.scheduler.state === 'running+queued' } } : {}),
      ...(loop.scheduler.untilNext !== undefined ? { untilNext: loop.scheduler.untilNext } : {}),
      rounds: loop.rounds,
      ...(loop.problem ? { problem: loop.problem } : {}),
    };
  }

  private async train(projectDir: string, loop: ProjectLoop, annotations: number): Promise<void> {
    const controller = new AbortController();
    loop.training = { annotations, controller };
    loop.problem = undefined;
    this.emit(projectDir, loop, false);
    let newRun = false;
    try {
      const config = this.ctx.config();
      const r = await this.ctx.jobs.run(`Active loop (${annotations} annotations)`, {
        type: 'activeLoopTrain',
        params: {
          projectDir,
          dataset: loop.target.dataset,
          encoder: loop.target.encoder,
          // the seed the suggestions fit the built-in encoder with, so the run's base is the same fit
          seed: config['cluster.seed'],
          cacheDir: this.ctx.cacheDir(),
        },
      }, { notification: false, signal: controller.signal });
      if (!r) {
        loop.problem = 'the last round was cancelled';
      } else {
        newRun = r.status === 'completed';
        if (r.noSpearman) loop.problem = `no Spearman yet: ${r.noSpearman}`;
        this.ctx.output.info(`active loop: ${r.runId} ${r.status} on ${r.trained} pairs, ${r.heldOut} held out${r.spearman ? `, Spearman ${r.spearman.base.toFixed(3)} → ${r.spearman.run.toFixed(3)}` : ''}`);
      }
    } catch (e) {
      loop.problem = `the last round failed: ${e instanceof Error ? e.message : String(e)}`;
      this.ctx.output.error(`active loop: ${loop.problem}`);
    } finally {
      loop.training = undefined;
      loop.rounds = await activeLoopRounds(projectDir).catch(() => loop.rounds);
      this.ctx.refreshProjects();
      this.emit(projectDir, loop, newRun);
    }
  }

  private emit(projectDir: string, loop: ProjectLoop, newRun: boolean): void {
    const status = this.statusOf(loop);
    if (this.shown === undefined || this.shown === projectDir) this.render(status);
    this.changed.fire({ projectDir, status, newRun });
  }

  private render(status: ActiveLoopStatus): void {
    if (status.state === 'off' && status.rounds.length === 0) {
      this.item.hide();
      return;
    }
    const icon = status.state === 'training' ? '$(sync~spin)' : '$(pulse)';
    this.item.text = `${icon} ${activeLoopLine(status)}`;
    const trend = activeLoopTrend(status);
    const lines = [
      'Embedding Lab active loop: a head-mode run on the annotations after every ' + `${status.every} new ones; Spearman on the held-out annotations (never trained on), base encoder → run.`,
      ...(trend ? [`By round: ${trend}`] : []),
      ...(status.problem ? [status.problem] : []),
      status.state === 'training' ? 'Click to cancel the running round.' : status.untilNext !== undefined ? `Next round after ${status.untilNext} more annotation(s).` : '',
    ].filter(Boolean);
    this.item.tooltip = lines.join('\n');
    this.item.command = status.state === 'training' ? CANCEL_ACTIVE_LOOP_COMMAND : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const p of this.loops.values()) void p.then((l) => {
      l.scheduler.dispose();
      l.training?.controller.abort();
    });
    this.item.dispose();
    this.changed.dispose();
  }
}
