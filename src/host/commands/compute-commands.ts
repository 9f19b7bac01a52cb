/** Embed, Cluster, Find Similar, Export Clusters (CSV). */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CommandFactory } from './types';
import { pickProject, pickDataset, projectEncoder, showError } from './args';

export const embedDataset: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  try {
    const source = { projectDir: project.dir, dataset: dataset.name };
    const encoder = projectEncoder(ctx, project);
    const result = await ctx.jobs.run(`Embed ${dataset.name}`, {
      type: 'embed',
      params: { ...source, encoder, cacheDir: ctx.cacheDir(), offline: ctx.config().offline, seed: ctx.config()['cluster.seed'] },
    });
    if (!result) return;
    void vscode.window.showInformationMessage(
      `Embedding Lab: embedded ${result.embeddings.rows} texts of "${dataset.name}" with ${result.encoderId} (${result.embeddings.cols} dimensions) in ${result.seconds.toFixed(1)} s` +
        (result.cached ? ` (${result.cached.hits} from the cache, ${result.cached.embedded} new).` : '.'),
    );
  } catch (err) {
    await showError(ctx, 'Embed', err);
  }
};

async function runKMeans(ctx: Parameters<CommandFactory>[0], arg: unknown) {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return undefined;
  const kText = await vscode.window.showInputBox({ title: 'Number of clusters (k-means)', value: '8', validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 2 ? undefined : 'an integer ≥ 2') });
  if (!kText) return undefined;
  const result = await ctx.jobs.run(`Cluster ${dataset.name}`, {
    type: 'kmeans',
    params: { projectDir: project.dir, dataset: dataset.name, k: Number(kText), encoder: projectEncoder(ctx, project), cacheDir: ctx.cacheDir(), seed: ctx.config()['cluster.seed'] },
  });
  return result && { project, dataset, result };
}

export const clusterDataset: CommandFactory = (ctx) => async (arg?: unknown) => {
  try {
    const out = await runKMeans(ctx, arg);
    if (!out) return;
    const sizes = new Map<number, number>();
    for (const l of out.result.labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    const text = [...sizes.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `#${c}: ${n}`).join(', ');
    ctx.output.info(`clusters of ${out.dataset.name}: ${text}`);
    void vscode.window.showInformationMessage(`Embedding Lab: ${sizes.size} clusters in "${out.dataset.name}" (${text}).`);
  } catch (err) {
    await showError(ctx, 'Cluster', err);
  }
};

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const exportClusters: CommandFactory = (ctx) => async (arg?: unknown) => {
  try {
    const out = await runKMeans(ctx, arg);
    if (!out) return;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(out.project.dir, `${out.dataset.name}-clusters.csv`)),
      filters: { CSV: ['csv'] },
    });
    if (!target) return;
    const lines = ['id,cluster'];
    out.result.ids.forEach((id, i) => lines.push(`${csvCell(id)},${out.result.labels[i]}`));
    await vscode.workspace.fs.writeFile(target, Buffer.from(lines.join('\n') + '\n', 'utf8'));
    void vscode.window.showInformationMessage(`Embedding Lab: wrote ${out.result.ids.length} rows to ${vscode.workspace.asRelativePath(target)}.`);
  } catch (err) {
    await showError(ctx, 'Export Clusters', err);
  }
};

export const findSimilar: CommandFactory = (ctx) => async (arg?: unknown) => {
  const editor = vscode.window.activeTextEditor;
  let query = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  if (!query && typeof arg === 'string') query = arg;
  if (!query) {
    query = (await vscode.window.showInputBox({ title: 'Embedding Lab: Find Similar', prompt: 'Text to search for (or select text in an editor first)' })) ?? '';
  }
  if (!query.trim()) return;
  const project = await pickProject(ctx, typeof arg === 'object' ? arg : undefined);
  const dataset = project && (await pickDataset(project, typeof arg === 'object' ? arg : undefined));
  if (!project || !dataset) return;
  try {
    const result = await ctx.jobs.run('Find Similar', {
      type: 'similar',
      params: { projectDir: project.dir, dataset: dataset.name, query, k: 20, encoder: projectEncoder(ctx, project), cacheDir: ctx.cacheDir() },
    });
    if (!result) return;
    await vscode.window.showQuickPick(
      result.hits.map((h) => ({ label: `${h.score.toFixed(3)}  ${h.text.slice(0, 120)}`, description: h.id })),
      { title: `Most similar in "${dataset.name}" (${result.encoderId})`, matchOnDescription: true },
    );
  } catch (err) {
    await showError(ctx, 'Find Similar', err);
  }
};
