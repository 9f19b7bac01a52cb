/** Embed, Cluster, Find Similar (and opening a found record), Export Clusters (CSV). */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CommandFactory } from './types';
import type { HostContext } from '../context';
import type { ClusteringSettings } from '../../engine/project/cluster-cache';
import { pickProject, pickDataset, projectEncoder, showError } from './args';
import { clusterChoices, clusterDefaults, describeClusterResult, parseK } from './cluster-plan';
import { mapRestoreKey } from '../sources/project-map-source';
import { listClusterings } from '../../engine/project/cluster-cache';
import { clusteringChoices, describeSimilarEmbeddings, encoderChoices, encoderDisplayName } from './encoder-choices';
import { datasetJobParams } from './dataset-job-params';
import { recordMarkdown, recordTitle } from '../views/record-document';
import { readProjectSummary } from '../project/summary';

export const embedDataset: CommandFactory = (ctx) => async (arg?: unknown) => {
  const project = await pickProject(ctx, arg);
  const dataset = project && (await pickDataset(project, arg));
  if (!project || !dataset) return;
  try {
    const params = datasetJobParams(ctx.config(), ctx.cacheDir(), { projectDir: project.dir, dataset: dataset.name, encoder: projectEncoder(ctx, project) });
    const result = await ctx.jobs.run(`Embed ${dataset.name}`, { type: 'embed', params });
    if (!result) return;
    const choice = await vscode.window.showInformationMessage(
      `Embedding Lab: embedded ${result.embeddings.rows} texts of "${dataset.name}" with ${encoderDisplayName(params.encoder, project.runs)} (${result.embeddings.cols} dimensions) in ${result.seconds.toFixed(1)} s` +
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
    { title: 'Embedding Lab: Cluster — algorithm', ignoreFocusOut: true },
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
      { title: `Embedding Lab: Export Clusters of "${dataset.name}": which clustering (encoder or fine-tuned run)?`, ignoreFocusOut: true },
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

/**
 * Find Similar: the query, the encoder, then a result to open. Its steps ignore focus-out, as
 * Fine-tune…'s do: the cluster map beside them may take focus and would close them silently.
 */
export const findSimilar: CommandFactory = (ctx) => async (arg?: unknown) => {
  const editor = vscode.window.activeTextEditor;
  let query = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  if (!query && typeof arg === 'string') query = arg;
  if (!query) {
    query = (await vscode.window.showInputBox({ title: 'Embedding Lab: Find Similar', prompt: 'Text to search for (or select text in an editor first)', ignoreFocusOut: true })) ?? '';
  }
  if (!query.trim()) return;
  const project = await pickProject(ctx, typeof arg === 'object' ? arg : undefined);
  const dataset = project && (await pickDataset(project, typeof arg === 'object' ? arg : undefined));
  if (!project || !dataset) return;
  // The encoder: the project's, another of its encoders, or a fine-tuned run.
  const choices = encoderChoices(project, projectEncoder(ctx, project));
  let encoder = choices[0].spec;
  if (choices.length > 1) {
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.label, description: c.description, spec: c.spec })),
      { title: `Embedding Lab: Find Similar in "${dataset.name}": search with which encoder?`, ignoreFocusOut: true },
    );
    if (!picked) return;
    encoder = picked.spec;
  }
  const encoderName = encoderDisplayName(encoder, project.runs);
  try {
    // The same parameters as Embed and the map: the saved fit, cached embeddings and the map's search session are reused.
    const params = datasetJobParams(ctx.config(), ctx.cacheDir(), { projectDir: project.dir, dataset: dataset.name, encoder });
    const result = await ctx.jobs.run(`Find Similar in ${dataset.name}`, { type: 'similar', params: { ...params, query, k: 20 } });
    if (!result) return;
    const source = describeSimilarEmbeddings(result.embeddings);
    ctx.output.info(`find similar in ${dataset.name} with ${encoderName}: ${result.hits.length} results${source ? `; embeddings: ${source}` : ''}`);
    const picked = await vscode.window.showQuickPick(
      result.hits.map((h) => ({ label: h.text.replace(/\s+/g, ' ').slice(0, 120), description: `${h.score.toFixed(3)} · ${h.id}`, hit: h })),
      { title: `Most similar in "${dataset.name}" (${encoderName}): choose one to open it and show it on the map`, matchOnDescription: true, ignoreFocusOut: true },
    );
    if (!picked) return;
    await openRecord(ctx, project.dir, dataset.name, picked.hit.index, { score: picked.hit.score, encoderName });
  } catch (err) {
    await showError(ctx, 'Find Similar', err);
  }
};

/** Opens a record as a read-only document and shows it on the dataset's map (opened when it is not). */
export async function openRecord(ctx: HostContext, projectDir: string, dataset: string, index: number, context: { score?: number; encoderName?: string } = {}): Promise<void> {
  const { readDataset } = await import('../../engine/jobs/dataset-embeddings');
  const { records } = await readDataset(projectDir, dataset);
  const record = records[index];
  if (!record) throw new Error(`dataset "${dataset}" has no record ${index} (it has ${records.length}); it may have changed since the search`);
  const { MapPanel } = await import('../panels/map/map-panel');
  const { ProjectMapSource } = await import('../sources/project-map-source');
  const project = await readProjectSummary(projectDir);
  const map = MapPanel.get(mapRestoreKey(projectDir, dataset)) ?? MapPanel.show(ctx.extension.extensionUri, new ProjectMapSource(ctx, projectDir, dataset, projectEncoder(ctx, project)), (m) => ctx.output.info(`[map] ${m}`));
  map.reveal();
  map.notify('focusRecord', { index });
  await ctx.reports.show(recordTitle(record, dataset), recordMarkdown(record, { dataset, ...context }), { column: vscode.ViewColumn.Beside });
}
