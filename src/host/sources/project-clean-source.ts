/**
 * The host's implementation of the Clean Data panel's source: previews and applies through
 * the `clean` engine job (previews quietly in the status bar, cancellable; apply with a
 * cancellable progress notification), then refreshes the project view.
 */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import type { CleanSource } from '../panels/clean/clean-source';
import type { CleaningRuleSpec } from '../../engine/data/cleaning/rule';
import type { CleanJobResult } from '../../engine/jobs/clean-job';
import { openProject, findDataset } from '../../engine/project/store';

/** Longest example text kept whole; longer ones are excerpted around each change. */
const EXAMPLE_CHARS = 600;

export class ProjectCleanSource implements CleanSource {
  readonly title: string;
  readonly restoreKey: string;

  constructor(
    private readonly ctx: HostContext,
    private readonly projectDir: string,
    readonly dataset: string,
    projectName: string,
  ) {
    this.title = `${projectName} · ${dataset}`;
    this.restoreKey = `${projectDir}#${dataset}`;
  }

  async describe(): Promise<{ records: number; lastApplied: CleaningRuleSpec[] }> {
    const project = await openProject(this.projectDir);
    const d = findDataset(project, this.dataset);
    return { records: d.count, lastApplied: project.config.cleaning };
  }

  preview(rules: CleaningRuleSpec[], measureOnly: boolean[], examples: number, signal: AbortSignal): Promise<CleanJobResult | undefined> {
    return this.ctx.jobs.run(
      `Preview cleaning of ${this.dataset}`,
      { type: 'clean', params: { projectDir: this.projectDir, dataset: this.dataset, rules, measureOnly, examples, exampleChars: EXAMPLE_CHARS } },
      { notification: false, signal },
    );
  }

  async confirm(message: string, action: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
  }

  async apply(rules: CleaningRuleSpec[]): Promise<CleanJobResult | undefined> {
    const result = await this.ctx.jobs.run(`Clean ${this.dataset}`, {
      type: 'clean',
      params: { projectDir: this.projectDir, dataset: this.dataset, rules, apply: true, examples: 0 },
    });
    this.ctx.refreshProjects();
    return result;
  }
}
