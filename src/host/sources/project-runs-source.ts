/**
 * The host's implementation of the run comparison panel's data source: reads
 * <project>/runs/<id>/{config.json, metrics.jsonl, summary.json} with the engine's run
 * helpers and flattens them for the table, the metric bars and the curves.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { HostContext } from '../context';
import type { RunsSource } from '../panels/runs/runs-source';
import type { Curve, ExportFormat, MetricName, RunMapStage, RunMetaResult, RunStatus, RunSummary } from '../../protocol/runs';
import type { RunMetaPatch } from '../../protocol/run-meta';
import type { MapPoints } from '../../protocol/map';
import { findRun, listRuns, readMetrics, runFiles, type RunInfo } from '../../engine/train/runs';
import { runLabels, updateProjectRunMeta } from '../../engine/train/run-meta';
import { clusterDefaults } from '../commands/cluster-plan';
import { encoderCoherence } from '../../engine/jobs/encoder-coherence';
import { trainingLines } from '../../engine/train/result-lines';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The engine's notes on a run (loss chosen, pairs kept, a small evaluation set, epochs, an early stop), as sentences. */
export function trainingNotesOf(s: Parameters<typeof trainingLines>[0]): string[] {
  return trainingLines(s).map((l) => l.replace(/^note\s+/, ''));
}

/** The numeric metrics of an evaluation, under the engine's keys (named by `protocol/metric-names.ts`). */
export function panelMetrics(evalMetrics: unknown): Record<MetricName, number> {
  const out: Record<MetricName, number> = {};
  if (!isRecord(evalMetrics)) return out;
  for (const [k, v] of Object.entries(evalMetrics)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * The config the table and the diff show: what the run was asked for (`options`) with the
 * values it resolved to (defaults filled in), the training mode and base encoder, and the
 * runner when the run records one.
 */
export function runConfig(config: unknown, summary: { mode?: string; runner?: unknown } | undefined): Record<string, string | number | boolean | null> {
  const c = isRecord(config) ? config : {};
  const options = isRecord(c.options) ? c.options : isRecord(config) ? config : {};
  const resolved = isRecord(c.resolved) ? c.resolved : {};
  const flat = flatConfig({ ...options, ...resolved });
  const mode = typeof c.mode === 'string' ? c.mode : summary?.mode;
  if (mode !== undefined) flat.mode = mode;
  if (typeof c.encoder === 'string') flat.encoder = c.encoder;
  const runner = typeof c.runner === 'string' ? c.runner : typeof summary?.runner === 'string' ? summary.runner : undefined;
  if (runner !== undefined) flat.runner = runner;
  return flat;
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

/** How many evaluation examples of a run were also training examples (config.json's data.eval.overlapsTraining). */
export function evalOverlapOf(config: unknown): number {
  const data = isRecord(config) && isRecord(config.data) ? config.data : {};
  const ev = isRecord(data.eval) ? data.eval : {};
  return typeof ev.overlapsTraining === 'number' && ev.overlapsTraining > 0 ? ev.overlapsTraining : 0;
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
    const out: RunSummary[] = [];
    for (const run of await listRuns(this.projectDir)) out.push(await this.summarize(run));
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The runs still training, with their curves so far (for the panel's live updates). */
  async runningRuns(): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const run of await listRuns(this.projectDir)) if (run.state === 'running') out.push(await this.summarize(run));
    return out;
  }

  /** One run as the panel shows it: status, labels, config, metrics before and after, curves. */
  private async summarize(run: RunInfo): Promise<RunSummary> {
    const s = run.summary;
    const rows = await readMetrics(run.dir);
    const status: RunStatus = run.state === 'interrupted' ? 'failed' : (run.state as RunStatus);
    const labels = await runLabels(run);
    // LLM-judged coherence of the run's clusters, when "Judge Clusters with LLM…" was run on its map.
    const coherence = await encoderCoherence(this.projectDir, `run:${run.id}`).catch(() => undefined);
    const metrics = panelMetrics(s?.after ?? s?.last);
    if (coherence) metrics.llmCoherence = coherence.mean;
    return {
      id: run.id,
      name: labels.name,
      defaultName: labels.defaultName,
      named: labels.named,
      tags: labels.tags,
      notes: labels.notes,
      status,
      createdAt: s?.startedAt ?? '',
      durationMs: s?.durationMs,
      config: runConfig(run.config, s as { mode?: string; runner?: unknown } | undefined),
      metrics,
      ...(s?.before ? { before: panelMetrics(s.before) } : {}),
      ...(coherence ? { coherenceJudgedBy: `${coherence.models.join(', ')} (${coherence.judged} of ${coherence.clusters} clusters)` } : {}),
      ...(evalOverlapOf(run.config) ? { evalOverlap: evalOverlapOf(run.config) } : {}),
      ...(s && trainingNotesOf(s).length ? { trainingNotes: trainingNotesOf(s) } : {}),
      curves: curvesOf(rows),
    };
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

  /** Renames, tags or annotates a run: the id is checked against the project's runs, the values by the engine. */
  async setRunMeta(runId: string, patch: RunMetaPatch): Promise<RunMetaResult> {
    const meta = await updateProjectRunMeta(this.projectDir, runId, patch);
    const labels = await runLabels(await findRun(this.projectDir, runId));
    this.ctx.refreshProjects();
    return { name: labels.name, named: labels.named, tags: meta.tags, notes: meta.notes };
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
