/** Rename Run: from a run row of the project tree (or the palette, then a pick), with an input box. */
import * as vscode from 'vscode';
import type { CommandFactory } from './types';
import { asProjectNode, pickProject, showError } from './args';
import { runNameProblem } from '../../protocol/run-meta';

export const renameRun: CommandFactory = (ctx) => async (arg?: unknown) => {
  try {
    const project = await pickProject(ctx, arg);
    if (!project) return;
    const node = asProjectNode(arg);
    let runId = node?.kind === 'run' ? node.key : undefined;
    if (!runId) {
      if (project.runs.length === 0) {
        void vscode.window.showInformationMessage(`Embedding Lab: "${project.name}" has no runs yet.`);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        project.runs.map((r) => ({ label: r.name ?? r.id, description: [r.status, r.metric].filter(Boolean).join(' · '), detail: r.id, id: r.id })),
        { title: 'Rename Run: which run?', ignoreFocusOut: true },
      );
      runId = picked?.id;
    }
    if (!runId) return;
    const current = project.runs.find((r) => r.id === runId);
    const name = await vscode.window.showInputBox({
      title: `Rename run ${runId}`,
      prompt: 'A name for this run (empty: the default name made from its config)',
      value: current?.name ?? '',
      validateInput: (v) => runNameProblem(v),
    });
    if (name === undefined) return;
    const { updateProjectRunMeta } = await import('../../engine/train/run-meta');
    await updateProjectRunMeta(project.dir, runId, { name });
    ctx.refreshProjects();
    const { RunsPanel } = await import('../panels/runs/runs-panel');
    RunsPanel.get(project.dir)?.notify('runsChanged', {});
  } catch (err) {
    await showError(ctx, 'Rename Run', err);
  }
};

/** Set Up Python for Fine-tuning…: the python runner's status, and on request a venv with its requirements (confirmed first). */
export const setUpPython: CommandFactory = (ctx) => async () => {
  try {
    const { pythonStatus, offerPythonSetup } = await import('./python-setup');
    const status = await pythonStatus(ctx);
    if (status.ok) {
      const again = await vscode.window.showInformationMessage(
        `Embedding Lab: the python runner can train with ${status.python} (Python ${status.version}, devices: ${status.devices.join(', ')}).`,
        'Create a Separate Venv…',
      );
      if (!again) return;
    } else ctx.output.info(`python runner: ${status.problem}`);
    await offerPythonSetup(ctx);
  } catch (err) {
    await showError(ctx, 'Set Up Python', err);
  }
};
