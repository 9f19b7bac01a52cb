/**
 * Finds the projects in the open workspace: folders with a project.json that has a
 * schemaVersion. The active project is the one last used (remembered per workspace),
 * else the only one, else the user picks.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { isProjectFile, readProjectSummary, type ProjectSummary } from './summary';

const ACTIVE_KEY = 'embeddingLab.activeProject';

export class ProjectLocator {
  constructor(private readonly state: vscode.Memento) {}

  /** Project folders in the workspace, sorted. */
  async findProjectDirs(): Promise<string[]> {
    const files = await vscode.workspace.findFiles('**/project.json', '{**/node_modules/**,**/.git/**,**/.cache/**}', 200);
    const dirs: string[] = [];
    for (const uri of files) {
      if (uri.scheme === 'file' && (await isProjectFile(uri.fsPath))) dirs.push(path.dirname(uri.fsPath));
    }
    return dirs.sort();
  }

  async summaries(): Promise<ProjectSummary[]> {
    return Promise.all((await this.findProjectDirs()).map((d) => readProjectSummary(d)));
  }

  setActive(dir: string): Thenable<void> {
    return this.state.update(ACTIVE_KEY, dir);
  }

  /**
   * The project to act on: `hint` (a tree item's project), the remembered one, the
   * only one, or the user's pick. Undefined (after telling the user) when there is none.
   */
  async pick(hint?: string): Promise<string | undefined> {
    if (hint) {
      await this.setActive(hint);
      return hint;
    }
    const dirs = await this.findProjectDirs();
    if (dirs.length === 0) {
      const choice = await vscode.window.showInformationMessage('No Embedding Lab project in this workspace.', 'New Project');
      if (choice) await vscode.commands.executeCommand('embeddingLab.newProject');
      return undefined;
    }
    const remembered = this.state.get<string>(ACTIVE_KEY);
    if (remembered && dirs.includes(remembered)) return remembered;
    if (dirs.length === 1) return dirs[0];
    const picked = await vscode.window.showQuickPick(
      dirs.map((d) => ({ label: path.basename(d), description: vscode.workspace.asRelativePath(d), dir: d })),
      { title: 'Embedding Lab: choose a project', ignoreFocusOut: true },
    );
    if (picked) await this.setActive(picked.dir);
    return picked?.dir;
  }
}
