/** New Project, Import Data, Clean Data, Choose Encoder, Refresh. */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CommandFactory } from './types';
import { pickProject, showError, asProjectNode } from './args';
import { validateProjectName } from '../project/scaffold';
import { createProject, updateProject } from '../../engine/project/store';
import { isTextLikeField, labelFieldChoices } from './import-fields';

export const newProject: CommandFactory = (ctx) => async () => {
  const folders = vscode.workspace.workspaceFolders;
  if (!folders?.length) {
    void vscode.window.showWarningMessage('Embedding Lab: open a folder first; the project is created inside it.');
    return;
  }
  const name = await vscode.window.showInputBox({
    title: 'Embedding Lab: New Project',
    prompt: 'Project name (a folder of that name is created in the workspace)',
    value: 'my-project',
    validateInput: validateProjectName,
  });
  if (!name) return;
  let root = folders[0].uri.fsPath;
  if (folders.length > 1) {
    const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Where to create the project' });
    if (!picked) return;
    root = picked.uri.fsPath;
  }
  const dir = path.join(root, name.trim());
  try {
    const project = await createProject(dir, { name: name.trim(), encoder: ctx.config().defaultEncoder, seed: ctx.config()['cluster.seed'] });
    const file = project.paths.projectFile;
    await ctx.projects.setActive(dir);
    ctx.output.info(`created project ${file}`);
    ctx.refreshProjects();
    const choice = await vscode.window.showInformationMessage(`Embedding Lab: project "${name}" created.`, 'Import Data');
    if (choice) await vscode.commands.executeCommand('embeddingLab.importData', { kind: 'project', projectDir: dir, label: name });
  } catch (err) {
    await showError(ctx, 'New Project', err);
  }
};

export const importData: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  if (!project) return;
  const uris = await vscode.window.showOpenDialog({
    title: 'Embedding Lab: Import Data',
    canSelectMany: false,
    defaultUri: vscode.Uri.file(project.dir),
    filters: { 'Data (CSV, JSONL, JSON)': ['csv', 'tsv', 'jsonl', 'ndjson', 'json'] },
  });
  const file = uris?.[0]?.fsPath;
  if (!file) return;
  try {
    const peek = await ctx.jobs.quick({ type: 'peek', params: { file, rows: 5 } });
    const textFields = await vscode.window.showQuickPick(
      peek.fields.map((f) => ({ label: f, description: String(peek.sample[0]?.[f] ?? '').slice(0, 80), picked: isTextLikeField(f) })),
      { title: 'Fields that make the text (in this order)', canPickMany: true, ignoreFocusOut: true },
    );
    if (!textFields?.length) return;
    const template = await vscode.window.showInputBox({
      title: 'Text template',
      prompt: 'Fields in braces, e.g. "{title}. {summary}"',
      value: textFields.map((f) => `{${f.label}}`).join('. '),
    });
    if (!template) return;
    const labelPick = await vscode.window.showQuickPick(
      labelFieldChoices(peek.fields),
      { title: 'Label field (optional: for metrics and colouring)', ignoreFocusOut: true },
    );
    if (!labelPick) return;
    const name = await vscode.window.showInputBox({
      title: 'Dataset name',
      value: path.basename(file).replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-'),
      validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Use letters, digits, ".", "-" or "_"'),
    });
    if (!name) return;
    const idField = peek.fields.find((f) => f.toLowerCase() === 'id');
    const result = await ctx.jobs.run('Import Data', { type: 'import', params: { projectDir: project.dir, file, name, template, label: labelPick.field, idField } });
    if (!result) return;
    ctx.refreshProjects();
    const first = result.skippedRows[0];
    const skipped = result.skipped ? `, ${result.skipped} rows skipped${first ? ` (first: line ${first.line}: ${first.reason})` : ''}` : '';
    void vscode.window.showInformationMessage(`Embedding Lab: imported ${result.imported} records into "${name}"${skipped}.`);
  } catch (err) {
    await showError(ctx, 'Import Data', err);
  }
};

export const chooseEncoder: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  if (!project) return;
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(package) Built-in', description: 'offline TF-IDF/LSA, fitted on the project', choice: 'builtin' },
      { label: '$(folder) Local model folder', description: 'a sentence-transformers folder with an ONNX model', choice: 'folder' },
      { label: '$(cloud-download) Hugging Face model id', description: 'e.g. sentence-transformers/all-MiniLM-L6-v2', choice: 'hub' },
      { label: '$(globe) OpenAI-compatible endpoint', description: '…/v1/embeddings', choice: 'endpoint' },
    ],
    { title: `Embedding Lab: encoder for "${project.name}" (now: ${project.encoder ?? 'builtin'})` },
  );
  if (!kind) return;
  let spec: string | undefined;
  if (kind.choice === 'builtin') spec = 'builtin';
  else if (kind.choice === 'folder') {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Model folder' });
    spec = uris?.[0]?.fsPath;
  } else if (kind.choice === 'hub') {
    spec = await vscode.window.showInputBox({ title: 'Hugging Face model id', value: 'sentence-transformers/all-MiniLM-L6-v2', validateInput: (v) => (/^[\w.-]+\/[\w.-]+$/.test(v) ? undefined : 'owner/name') });
    if (spec && !(await ctx.secrets.get('hfToken'))) ctx.output.info('no Hugging Face token set (only needed for private or gated models)');
  } else {
    spec = await vscode.window.showInputBox({ title: 'Endpoint URL', value: ctx.config()['endpoint.url'] || 'http://127.0.0.1:8080/v1/embeddings', validateInput: (v) => (/^https?:\/\//.test(v) ? undefined : 'http(s)://…') });
    if (spec && !(await ctx.secrets.get('apiKey'))) {
      const set = await vscode.window.showInformationMessage('Does the endpoint need an API key? It is kept in secret storage.', 'Set API Key');
      if (set) await vscode.commands.executeCommand('embeddingLab.setApiKey');
    }
  }
  if (!spec) return;
  try {
    const chosen = spec;
    await updateProject(project.dir, (config) => {
      config.encoder = chosen;
    });
    ctx.refreshProjects();
    void vscode.window.showInformationMessage(`Embedding Lab: "${project.name}" now uses ${spec}.`);
  } catch (err) {
    await showError(ctx, 'Choose Encoder', err);
  }
};

export const refreshProject: CommandFactory = (ctx) => () => {
  ctx.refreshProjects();
};

export { asProjectNode };
