/**
 * The host's implementation of the cluster map's data source, with engine jobs: the
 * points (`mapPoints`: layout, clusters, texts) are computed once per panel and kept;
 * neighbours come from the `neighbours` job; search is a case-insensitive substring
 * match on the texts; labels given on the map are appended to <project>/labels.jsonl.
 */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HostContext } from '../context';
import type { MapDataSource } from '../panels/map/map-data-source';
import type { MapPoints, Neighbour } from '../../protocol/map';

export class ProjectMapSource implements MapDataSource {
  readonly title: string;
  readonly restoreKey: string;
  private points: Promise<MapPoints> | undefined;

  constructor(
    private readonly ctx: HostContext,
    private readonly projectDir: string,
    private readonly dataset: string,
    private readonly encoder: string,
  ) {
    this.title = dataset;
    this.restoreKey = `${projectDir}#${dataset}`;
  }

  getPoints(): Promise<MapPoints> {
    if (!this.points) {
      this.points = this.ctx.jobs
        .run(`Cluster map of ${this.dataset}`, {
          type: 'mapPoints',
          params: { projectDir: this.projectDir, dataset: this.dataset, encoder: this.encoder, seed: this.ctx.config()['cluster.seed'], cacheDir: this.ctx.cacheDir() },
        })
        .then((r) => {
          if (!r) throw new Error('cancelled');
          return r;
        });
      this.points.catch(() => {
        this.points = undefined;
      });
    }
    return this.points;
  }

  async neighbours(index: number, k: number): Promise<Neighbour[]> {
    return this.ctx.jobs.quick({
      type: 'neighbours',
      params: { projectDir: this.projectDir, dataset: this.dataset, encoder: this.encoder, index, k, cacheDir: this.ctx.cacheDir(), seed: this.ctx.config()['cluster.seed'] },
    });
  }

  async search(query: string): Promise<Int32Array> {
    const q = query.trim().toLowerCase();
    if (!q) return new Int32Array(0);
    const p = await this.getPoints();
    const hits: number[] = [];
    p.texts.forEach((t, i) => {
      if (t.toLowerCase().includes(q)) hits.push(i);
    });
    return Int32Array.from(hits);
  }

  async labelRecords(indices: readonly number[], label: string): Promise<void> {
    const p = await this.getPoints();
    const time = new Date().toISOString();
    const lines = indices.filter((i) => i >= 0 && i < p.ids.length).map((i) => JSON.stringify({ dataset: this.dataset, id: p.ids[i], label, time }) + '\n');
    const file = path.join(this.projectDir, 'labels.jsonl');
    const handle = await fs.open(file, 'a');
    try {
      await handle.appendFile(lines.join(''), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.ctx.output.info(`labelled ${lines.length} records of ${this.dataset} as "${label}" (${file})`);
  }

  async annotateSelection(indices: readonly number[]): Promise<void> {
    this.ctx.output.info(`annotate a selection of ${indices.length} records`);
    await vscode.commands.executeCommand('embeddingLab.annotatePairs', { kind: 'dataset', projectDir: this.projectDir, key: this.dataset, label: this.dataset });
  }
}
