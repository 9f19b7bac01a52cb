/**
 * Reading command arguments: commands run from the palette (no argument) or from a
 * tree row (a ProjectNode). Also the project/dataset pickers shared by commands.
 */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import type { ProjectNode } from '../views/project-tree';
import { readProjectSummary, type DatasetSummary, type ProjectSummary } from '../project/summary';

export function asProjectNode(arg: unknown): ProjectNode | undefined {
  if (typeof arg === 'object' && arg !== null && 'projectDir' in arg && 'kind' in arg) return arg as ProjectNode;
  return undefined;
}

/** The project to act on (from a tree row, or picked), with its summary. */
export async function pickProject(ctx: HostContext, arg: unknown): Promise<ProjectSummary | undefined> {
  const dir = await ctx.projects.pick(asProjectNode(arg)?.projectDir);
  return dir ? readProjectSummary(dir) : undefined;
}

/** The dataset to act on: the tree row's, the only one, or the user's pick. */
export async function pickDataset(project: ProjectSummary, arg: unknown): Promise<DatasetSummary | undefined> {
  const node = asProjectNode(arg);
  if (node?.kind === 'dataset') return project.datasets.find((d) => d.name === node.key);
  if (project.datasets.length === 0) {
    const choice = await vscode.window.showInformationMessage(`Project "${project.name}" has no data yet.`, 'Import Data');
    if (choice) await vscode.commands.executeCommand('embeddingLab.importData', { kind: 'project', projectDir: project.dir, label: project.name });
    return undefined;
  }
  if (project.datasets.length === 1) return project.datasets[0];
  const picked = await vscode.window.showQuickPick(
    project.datasets.map((d) => ({ label: d.name, description: d.records !== undefined ? `${d.records} records` : 'missing', d })),
    // A step of a longer command: focus moving elsewhere must not cancel it.
    { title: 'Embedding Lab: choose a dataset', ignoreFocusOut: true },
  );
  return picked?.d;
}

/** The encoder spec a project uses (its own, else the setting). */
export function projectEncoder(ctx: HostContext, project: ProjectSummary): string {
  return project.encoder ?? ctx.config().defaultEncoder;
}

/** Shows an error from a command with a "Show Log" button. */
export async function showError(ctx: HostContext, what: string, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  ctx.output.error(`${what}: ${message}`);
  const choice = await vscode.window.showErrorMessage(`Embedding Lab: ${what} failed: ${message}`, 'Show Log');
  if (choice) ctx.output.show(true);
}
