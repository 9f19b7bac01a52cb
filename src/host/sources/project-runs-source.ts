/**
 * The host's implementation of the run comparison panel's data source: reads
 * <project>/runs/<id>/{config.json, metrics.jsonl, summary.json} with the engine's run
 * helpers and flattens them for the table, the metric bars and the curves.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { HostContext } from '../context';
import type { RunsSource } from '../panels/runs/runs-source';
import type { Curve, ExportFormat, MetricName, RunMapStage, RunStatus, RunSummary } from '../../protocol/runs';
import type { MapPoints } from '../../protocol/map';
import { findRun, listRuns, readMetrics, runFiles } from '../../engine/train/runs';
import { clusterDefaults } from '../commands/cluster-plan';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Engine metric names → the panel's metric names. */
function panelMetrics(evalMetrics: unknown): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  if (!isRecord(evalMetrics)) return out;
  const num = (k: string) => (typeof evalMetrics[k] === 'number' ? (evalMetrics[k] as number) : undefined);
  const pick: [MetricName, string[]][] = [
    ['spearman', ['spearman']],
    ['topkSameLabel', ['topkSameLabel', 'topk', 'top10', 'top25', 'top1']],
    ['purity', ['purity']],
    ['nmi', ['nmi']],
    ['ari', ['ari']],
    ['silhouette', ['silhouette']],
  ];
  for (const [name, keys] of pick) {
    for (const k of keys) {
      const v = num(k);
      if (v !== undefined) {
        out[name] = v;
        break;
      }
    }
  }
  return out;
}

/** Flattens the run options for the config table. */
export function flatConfig(options: unknown, prefix = ''): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  if (!isRecord(options)) return out;
  for (const [k, v] of Object.entries(options)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else if (isRecord(v)) Object.assign(out, flatConfig(v, key));
  }
  return out;
}

/** Loss and evaluation curves from metrics.jsonl rows. */
export function curvesOf(rows: Json[]): Curve[] {
  const curves = new Map<string, Curve>();
  const add = (name: string, step: number, value: number) => {
    let c = curves.get(name);
    if (!c) curves.set(name, (c = { name, points: [] }));
    c.points.push({ step, value });
  };
  for (const row of rows) {
    const step = typeof row.step === 'number' ? row.step : undefined;
    if (step === undefined) continue;
    if (typeof row.loss === 'number') add('loss', step, row.loss);
    if (isRecord(row.eval)) for (const [k, v] of Object.entries(row.eval)) if (typeof v === 'number') add(`eval ${k}`, step, v);
  }
  return [...curves.values()];
}

export class ProjectRunsSource implements RunsSource {
  readonly title: string;
  readonly restoreKey: string;

  constructor(
    private readonly ctx: HostContext,
    private readonly projectDir: string,
    projectName: string,
  ) {
    this.title = projectName;
    this.restoreKey = projectDir;
  }

  async getRuns(): Promise<RunSummary[]> {
    const runs = await listRuns(this.projectDir);
    const out: RunSummary[] = [];
    for (const run of runs) {
      const s = run.summary;
      const rows = await readMetrics(run.dir);
      const status: RunStatus = run.state === 'interrupted' ? 'failed' : (run.state as RunStatus);
      out.push({
        id: run.id,
        name: [s?.loss, s?.mode].filter(Boolean).join(' · ') || run.id,
        status,
        createdAt: s?.startedAt ?? '',
        durationMs: s?.durationMs,
        config: flatConfig(isRecord(run.config) && isRecord(run.config.options) ? run.config.options : run.config),
        metrics: panelMetrics(s?.after ?? s?.last),
        ...(s?.before ? { before: panelMetrics(s.before) } : {}),
        curves: curvesOf(rows),
      });
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The `runMap` job: the dataset embedded with the run's encoder (or its base), clustered and laid out like the map (saved in the project cache). */
  async getRunMap(runId: string, stage: RunMapStage): Promise<MapPoints> {
    // The id comes from the webview: it must name one of the project's runs.
    await findRun(this.projectDir, runId);
    const settings = clusterDefaults(this.ctx.config());
    const points = await this.ctx.jobs.run(
      `Map of run ${runId} (${stage})`,
      { type: 'runMap', params: { projectDir: this.projectDir, runId, stage, settings, seed: settings.seed, cacheDir: this.ctx.cacheDir(), offline: this.ctx.config().offline } },
      { notification: false },
    );
    if (!points) throw new Error('cancelled');
    return points;
  }

  async saveExport(format: ExportFormat, content: string): Promise<string | undefined> {
    const ext = format === 'csv' ? 'csv' : 'md';
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.projectDir, `runs-comparison.${ext}`)),
      filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
    this.ctx.output.info(`run comparison exported to ${target.fsPath}`);
    return target.fsPath;
  }

  async openRun(runId: string): Promise<void> {
    const run = await findRun(this.projectDir, runId);
    const file = vscode.Uri.file(runFiles(run.dir).summary);
    await vscode.window.showTextDocument(file, { preview: true });
  }
}
