/** Embed, Cluster, Find Similar, Export Clusters (CSV). */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CommandFactory } from './types';
import type { HostContext } from '../context';
import type { ClusteringSettings } from '../../engine/project/cluster-cache';
import { pickProject, pickDataset, projectEncoder, showError } from './args';
import { clusterChoices, clusterDefaults, describeClusterResult, parseK } from './cluster-plan';
import { mapRestoreKey } from '../sources/project-map-source';
import { listClusterings } from '../../engine/project/cluster-cache';
import { clusteringChoices } from './encoder-choices';

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
    const choice = await vscode.window.showInformationMessage(
      `Embedding Lab: embedded ${result.embeddings.rows} texts of "${dataset.name}" with ${result.encoderId} (${result.embeddings.cols} dimensions) in ${result.seconds.toFixed(1)} s` +
        (result.cached ? ` (${result.cached.hits} from the cache, ${result.cached.embedded} new).` : '.'),
      'Cluster',
    );
    if (choice === 'Cluster') await vscode.commands.executeCommand('embeddingLab.clusterDataset', { kind: 'dataset', projectDir: project.dir, key: dataset.name, label: dataset.name });
  } catch (err) {
    await showError(ctx, 'Embed', err);
  }
};

/** Asks how to cluster (algorithm, then k for a fixed-k k-means); undefined when the user backs out. */
async function askClusterSettings(ctx: HostContext): Promise<ClusteringSettings | undefined> {
  const picked = await vscode.window.showQuickPick(
    clusterChoices(ctx.config()).map((c) => ({ label: c.label, detail: c.detail, description: c.isDefault ? 'default' : undefined, choice: c })),
    { title: 'Embedding Lab: Cluster — algorithm' },
  );
  if (!picked) return undefined;
  const settings = picked.choice.settings;
  if (picked.choice.id !== 'kmeans-k') return settings;
  const kText = await vscode.window.showInputBox({
    title: 'Embedding Lab: Cluster — number of clusters (k-means)',
    value: String(settings.k ?? 8),
    validateInput: (v) => (typeof parseK(v) === 'number' ? undefined : 'an integer ≥ 2'),
  });
  const k = kText === undefined ? undefined : parseK(kText);
  return typeof k === 'number' ? { ...settings, k } : undefined;
}

/** Tells an open cluster map of this dataset to reload (its clustering changed). */
async function refreshOpenMap(projectDir: string, dataset: string, reason: string): Promise<void> {
  const { MapPanel } = await import('../panels/map/map-panel');
  MapPanel.get(mapRestoreKey(projectDir, dataset))?.refresh(reason);
}

export const clusterDataset: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  const settings = await askClusterSettings(ctx);
  if (!settings) return;
  try {
    const result = await ctx.jobs.run(`Cluster ${dataset.name}`, {
      type: 'cluster',
      params: { projectDir: project.dir, dataset: dataset.name, encoder: projectEncoder(ctx, project), settings, seed: settings.seed, cacheDir: ctx.cacheDir(), offline: ctx.config().offline },
    });
    if (!result) return;
    const text = describeClusterResult(dataset.name, result);
    ctx.output.info(`cluster ${dataset.name}: ${text} (${result.file})`);
    await refreshOpenMap(project.dir, dataset.name, 'clustered again');
    const choice = await vscode.window.showInformationMessage(`Embedding Lab: ${text}`, 'Open Cluster Map');
    if (choice) await vscode.commands.executeCommand('embeddingLab.openClusterMap', { kind: 'dataset', projectDir: project.dir, key: dataset.name, label: dataset.name });
  } catch (err) {
    await showError(ctx, 'Cluster', err);
  }
};

export const exportClusters: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  const current = projectEncoder(ctx, project);
  const choices = clusteringChoices((await listClusterings(project.dir, dataset.name)).map((c) => c.header), current, project.runs);
  let encoder = current;
  if (choices.length > 1) {
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.label, description: c.description, spec: c.spec })),
      { title: `Embedding Lab: Export Clusters of "${dataset.name}": which clustering (encoder or fine-tuned run)?` },
    );
    if (!picked) return;
    encoder = picked.spec;
  }
  const target = await vscode.window.showSaveDialog({
    title: 'Embedding Lab: Export Clusters (CSV)',
    defaultUri: vscode.Uri.file(path.join(project.dir, `${dataset.name}-clusters${encoder.startsWith('run:') ? `-${encoder.slice(4).replace(/[^\w.-]+/g, '_')}` : ''}.csv`)),
    filters: { CSV: ['csv'] },
  });
  if (!target) return;
  try {
    const settings = clusterDefaults(ctx.config());
    const result = await ctx.jobs.run(`Export clusters of ${dataset.name}`, {
      type: 'exportClusters',
      params: { projectDir: project.dir, dataset: dataset.name, encoder, settings, seed: settings.seed, cacheDir: ctx.cacheDir(), offline: ctx.config().offline, out: target.fsPath },
    });
    if (!result) return;
    ctx.output.info(`exported ${result.rows} rows (${result.clusters} clusters) to ${result.file}`);
    void vscode.window.showInformationMessage(
      `Embedding Lab: wrote ${result.rows} rows (${result.clusters} clusters${result.computed ? ', clustered now' : ''}) to ${vscode.workspace.asRelativePath(target)}.`,
    );
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
