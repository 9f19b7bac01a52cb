/**
 * The status-bar item for running jobs: a spinner, the job title and its overall percentage
 * (the plain stage name in the tooltip, see job-progress.ts);
 * clicking it cancels the running job(s). Hidden when idle.
 */
import * as vscode from 'vscode';
import { progressLine, type ProgressView } from '../job-progress';

interface RunningJob {
  title: string;
  progress?: ProgressView;
}

export class JobStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly jobs = new Map<number, RunningJob>();
  private nextKey = 1;

  constructor() {
    this.item = vscode.window.createStatusBarItem('embeddingLab.job', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Embedding Lab job';
    this.item.command = 'embeddingLab.cancelJob';
  }

  /** Shows a job; returns its key for `update` and `end`. */
  begin(title: string): number {
    const key = this.nextKey++;
    this.jobs.set(key, { title });
    this.render();
    return key;
  }

  update(key: number, progress: ProgressView): void {
    const job = this.jobs.get(key);
    if (!job) return;
    job.progress = progress;
    this.render();
  }

  end(key: number): void {
    this.jobs.delete(key);
    this.render();
  }

  private render(): void {
    const jobs = [...this.jobs.values()];
    if (jobs.length === 0) {
      this.item.hide();
      return;
    }
    const last = jobs[jobs.length - 1];
    const p = last.progress;
    const pct = p?.percent !== undefined ? ` ${p.percent}%` : '';
    const more = jobs.length > 1 ? ` (+${jobs.length - 1})` : '';
    this.item.text = `$(sync~spin) ${last.title}${pct}${more}`;
    this.item.tooltip = `Embedding Lab: ${jobs.map((j) => j.title).join(', ')}${p ? ` — ${progressLine(p)}` : ''}\nClick to cancel.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
