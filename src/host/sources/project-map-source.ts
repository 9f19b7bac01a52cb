/**
 * The host's implementation of the cluster map's data source, with engine jobs:
 * - points: `mapPoints` (the dataset's saved clustering — layout, clusters, topics — made
 *   with the settings' algorithm when there is none yet), kept until `invalidate`;
 * - neighbours: `neighbours` (the saved kNN graph);
 * - search: `mapSearch` (substring matches plus the records closest in meaning);
 * - labels given on the map are appended (fsynced) to <project>/labels.jsonl through the
 *   project store (map-labels.ts); the map, the tree view and fine-tuning read them back;
 *   clearing them appends clear entries (the records fall back to their own labels);
 * - "Annotate selection" opens pair annotation on the selected records only;
 * - a row of the map's table opens its record as a read-only document beside the map.
 */
import * as vscode from 'vscode';
import type { HostContext } from '../context';
import type { MapDataSource } from '../panels/map/map-data-source';
import type { MapPoints, MapSearchHits, Neighbour } from '../../protocol/map';
import { appendMapLabels, clearMapLabels, mapLabelsPath } from '../../engine/project/map-labels';
import { clusterDefaults } from '../commands/cluster-plan';
import { datasetJobParams } from '../commands/dataset-job-params';
import { readDataset } from '../../engine/jobs/dataset-embeddings';
import { recordMarkdown, recordTitle } from '../views/record-document';

/** The restore key of a dataset's map (one map panel per dataset). */
export function mapRestoreKey(projectDir: string, dataset: string): string {
  return `${projectDir}#${dataset}`;
}

export class ProjectMapSource implements MapDataSource {
  readonly title: string;
  readonly restoreKey: string;
  private points: Promise<MapPoints> | undefined;
  /** Label and clear writes run in the order the user gave them (a quick "Clear label" after labelling). */
  private labelWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: HostContext,
    private readonly projectDir: string,
    private readonly dataset: string,
    private readonly encoder: string,
  ) {
    this.title = dataset;
    this.restoreKey = mapRestoreKey(projectDir, dataset);
  }

  private get params() {
    return datasetJobParams(this.ctx.config(), this.ctx.cacheDir(), { projectDir: this.projectDir, dataset: this.dataset, encoder: this.encoder });
  }

  getPoints(): Promise<MapPoints> {
    if (!this.points) {
      const settings = clusterDefaults(this.ctx.config());
      this.points = this.ctx.jobs
        .run(`Cluster map of ${this.dataset}`, { type: 'mapPoints', params: { ...this.params, settings } }, { notification: false })
        .then((r) => {
          if (!r) throw new Error('cancelled');
          this.ctx.output.info(`[map] ${this.dataset}: ${r.ids.length} points, ${r.caption}${r.computed ? ' (clustered now)' : ' (saved clustering)'}`);
          return r;
        });
      this.points.catch(() => {
        this.points = undefined;
      });
    }
    return this.points;
  }

  invalidate(): void {
    this.points = undefined;
  }

  async neighbours(index: number, k: number): Promise<Neighbour[]> {
    return this.ctx.jobs.quick({ type: 'neighbours', params: { ...this.params, index, k } });
  }

  async search(query: string): Promise<MapSearchHits> {
    const r = await this.ctx.jobs.quick({ type: 'mapSearch', params: { ...this.params, query, k: 20 } });
    return { indices: r.text, semantic: r.semantic };
  }

  labelRecords(indices: readonly number[], label: string): Promise<void> {
    return this.inOrder(() => this.writeLabels(indices, label));
  }

  clearLabels(indices: readonly number[]): Promise<number> {
    return this.inOrder(() => this.writeClears(indices));
  }

  private inOrder<T>(write: () => Promise<T>): Promise<T> {
    const next = this.labelWrites.then(write, write);
    this.labelWrites = next.catch(() => undefined);
    return next;
  }

  private async writeLabels(indices: readonly number[], label: string): Promise<void> {
    const p = await this.getPoints();
    const ids = indices.filter((i) => i >= 0 && i < p.ids.length).map((i) => p.ids[i]);
    const file = mapLabelsPath(this.projectDir);
    const written = await appendMapLabels(file, this.dataset, ids, label);
    // The cached points carry the old labels: the next getPoints reads labels.jsonl again.
    this.invalidate();
    this.ctx.refreshProjects();
    this.ctx.output.info(`labelled ${written.length} records of ${this.dataset} as "${label.trim()}" (${file})`);
  }

  private async writeClears(indices: readonly number[]): Promise<number> {
    const p = await this.getPoints();
    const ids = indices.filter((i) => i >= 0 && i < p.ids.length).map((i) => p.ids[i]);
    const file = mapLabelsPath(this.projectDir);
    const written = await clearMapLabels(file, this.dataset, ids);
    if (written.length > 0) {
      this.invalidate();
      this.ctx.refreshProjects();
    }
    this.ctx.output.info(`cleared the map labels of ${written.length} of ${ids.length} selected records of ${this.dataset} (${file})`);
    return written.length;
  }

  async annotateSelection(indices: readonly number[]): Promise<void> {
    const p = await this.getPoints();
    const ids = [...new Set(indices.filter((i) => i >= 0 && i < p.ids.length).map((i) => p.ids[i]))];
    this.ctx.output.info(`annotate a selection of ${ids.length} records of ${this.dataset}`);
    await vscode.commands.executeCommand('embeddingLab.annotatePairs', { kind: 'dataset', projectDir: this.projectDir, key: this.dataset, label: this.dataset, selection: ids });
  }

  /** Opens the record at a point index (found by its id: the file may have changed) beside the map. */
  async openRecord(index: number): Promise<void> {
    try {
      const p = await this.getPoints();
      const id = p.ids[index];
      if (id === undefined) throw new Error(`the map has no point ${index} (it has ${p.ids.length})`);
      const { records } = await readDataset(this.projectDir, this.dataset);
      const record = records.find((r) => r.id === id);
      if (!record) throw new Error(`dataset "${this.dataset}" has no record "${id}" any more; the map refreshes`);
      await this.ctx.reports.show(recordTitle(record, this.dataset), recordMarkdown(record, { dataset: this.dataset }), { column: vscode.ViewColumn.Beside, preserveFocus: true });
    } catch (e) {
      void vscode.window.showErrorMessage(`Embedding Lab: the record was not opened: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
