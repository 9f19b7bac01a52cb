/**
 * Restores the webview panels after a restart (registerWebviewPanelSerializer): each
 * panel's restore key names the project folder (and dataset), from which the data
 * source is rebuilt; a project that is gone closes the panel.
 */
import type * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { HostContext } from './context';
import { MapPanel } from './panels/map/map-panel';
import { AnnotatePanel } from './panels/annotate/annotate-panel';
import { RunsPanel } from './panels/runs/runs-panel';
import { CleanPanel } from './panels/clean/clean-panel';
import { ProjectMapSource } from './sources/project-map-source';
import { ProjectAnnotationSource } from './sources/project-annotation-source';
import { loadSelection, parseDatasetPart } from './sources/annotation-selection';
import { ProjectRunsSource } from './sources/project-runs-source';
import { ProjectCleanSource } from './sources/project-clean-source';
import { readProjectSummary } from './project/summary';

/** Splits "<projectDir>#<dataset>" (the dataset part is optional). */
export function parseRestoreKey(key: string): { projectDir: string; dataset?: string } {
  const i = key.lastIndexOf('#');
  return i > 0 ? { projectDir: key.slice(0, i), dataset: key.slice(i + 1) } : { projectDir: key };
}

async function project(key: string) {
  const { projectDir, dataset } = parseRestoreKey(key);
  if (!existsSync(path.join(projectDir, 'project.json'))) return undefined;
  const summary = await readProjectSummary(projectDir);
  return { summary, dataset };
}

export function registerPanelSerializers(ctx: HostContext): vscode.Disposable[] {
  const uri = ctx.extension.extensionUri;
  const encoderOf = (encoder: string | undefined) => encoder ?? ctx.config().defaultEncoder;
  return [
    MapPanel.registerSerializer(uri, async (key) => {
      const p = await project(key);
      return p?.dataset ? new ProjectMapSource(ctx, p.summary.dir, p.dataset, encoderOf(p.summary.encoder)) : undefined;
    }, (m) => ctx.output.info(`[map] ${m}`)),
    AnnotatePanel.registerSerializer(uri, async (key) => {
      const p = await project(key);
      if (!p?.dataset) return undefined;
      // "news@<key>": a selection from the map; when its saved ids are gone, the whole dataset.
      const { dataset, selectionKey } = parseDatasetPart(p.dataset);
      const selection = selectionKey ? await loadSelection(p.summary.dir, dataset, selectionKey) : undefined;
      return new ProjectAnnotationSource(ctx, p.summary.dir, dataset, encoderOf(p.summary.encoder), p.summary.name, selection);
    }, (m) => ctx.output.info(`[annotate] ${m}`)),
    RunsPanel.registerSerializer(uri, async (key) => {
      const p = await project(key);
      return p ? new ProjectRunsSource(ctx, p.summary.dir, p.summary.name) : undefined;
    }, (m) => ctx.output.info(`[runs] ${m}`)),
    CleanPanel.registerSerializer(uri, async (key) => {
      const p = await project(key);
      return p?.dataset ? new ProjectCleanSource(ctx, p.summary.dir, p.dataset, p.summary.name) : undefined;
    }, (m) => ctx.output.info(`[clean] ${m}`)),
  ];
}
