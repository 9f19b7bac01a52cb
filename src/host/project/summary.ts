/**
 * A quick, read-only summary of a project folder for the tree view: datasets with their
 * sizes, annotation count, runs with status and key metric, encoders. It never throws on
 * a damaged project: problems are listed in `problems` so the tree can show them.
 * No `vscode` import (unit-tested in plain Node).
 */
import { promises as fs, createReadStream } from 'node:fs';
import * as path from 'node:path';
import { readAnnotations, currentAnnotations } from '../../engine/project/annotations';
import { readMapLabels, currentMapLabels, mapLabelsPath, type MapLabelEntry } from '../../engine/project/map-labels';
import { readTextFile } from '../../engine/util/fs';
import { defaultRunName, readRunMeta } from '../../engine/train/run-meta';
import { formatMetric, headlineMetric } from '../../protocol/metric-names';

export interface DatasetSummary {
  name: string;
  file: string;
  /** Records in the dataset file (lines of JSONL), or undefined when unreadable. */
  records?: number;
  /**
   * Records with a label: their own from the data, or one given on the cluster map
   * (labels.jsonl, overriding). Undefined when the dataset file is unreadable.
   */
  labelled?: number;
}

export interface RunSummary {
  id: string;
  status: string;
  /** A key metric for the tree in the shared vocabulary, e.g. "Spearman 0.812". */
  metric?: string;
  /** The run's name (given, or the readable default) and tags (runs/<id>/meta.jsonl). */
  name?: string;
  tags?: string[];
  kind?: string;
  createdAt?: string;
}

export interface ProjectSummary {
  dir: string;
  name: string;
  schemaVersion: number;
  encoder?: string;
  datasets: DatasetSummary[];
  annotations: number;
  runs: RunSummary[];
  encoders: string[];
  problems: string[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON file; a leading UTF-8 byte order mark is accepted. */
async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readTextFile(file));
}

/** Counts non-empty lines without loading the file into memory. */
export async function countLines(file: string): Promise<number> {
  let count = 0;
  let lastWasNewline = true;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 10) {
        if (!lastWasNewline) count++;
        lastWasNewline = true;
      } else if (chunk[i] !== 13) {
        lastWasNewline = false;
      }
    }
  }
  if (!lastWasNewline) count++;
  return count;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** True when `file` is a project.json (an object with a numeric schemaVersion). */
export async function isProjectFile(file: string): Promise<boolean> {
  try {
    const json = await readJson(file);
    return isRecord(json) && typeof json.schemaVersion === 'number';
  } catch {
    return false;
  }
}

function datasetList(project: Json): { name: string; file: string; hasLabels: boolean }[] {
  const raw = project.datasets;
  const out: { name: string; file: string; hasLabels: boolean }[] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'string') out.push({ name, file: value, hasLabels: true });
    else if (isRecord(value)) {
      const file = typeof value.file === 'string' ? value.file : typeof value.path === 'string' ? value.path : `data/${name}.jsonl`;
      // Without a label field on import, no record has a label of its own (the file need not be parsed).
      out.push({ name: typeof value.name === 'string' ? value.name : name, file, hasLabels: typeof value.label === 'string' && value.label !== '' });
    }
  };
  if (Array.isArray(raw)) raw.forEach((d, i) => add(isRecord(d) && typeof d.name === 'string' ? d.name : `dataset ${i + 1}`, d));
  else if (isRecord(raw)) for (const [name, d] of Object.entries(raw)) add(name, d);
  return out;
}

function encoderSpec(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    for (const key of ['spec', 'id', 'name', 'model']) if (typeof value[key] === 'string') return value[key] as string;
  }
  return undefined;
}

/** The run's headline metric after training, named by the shared vocabulary ("Spearman 0.812"). */
function keyMetric(summary: Json): string | undefined {
  const metrics = isRecord(summary.after) ? summary.after : isRecord(summary.metrics) ? summary.metrics : undefined;
  const key = headlineMetric(metrics);
  if (key && metrics) return formatMetric(key, metrics[key] as number);
  const best = summary.best;
  if (isRecord(best) && typeof best.metric === 'string' && typeof best.value === 'number') return formatMetric(best.metric, best.value);
  return undefined;
}

async function readRuns(dir: string, problems: string[]): Promise<RunSummary[]> {
  const runsDir = path.join(dir, 'runs');
  let names: string[];
  try {
    names = (await fs.readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const runs: RunSummary[] = [];
  for (const id of names.sort()) {
    const run: RunSummary = { id, status: 'unknown' };
    let config: unknown;
    let summaryJson: Json | undefined;
    for (const file of ['config.json', 'summary.json', 'status.json']) {
      const full = path.join(runsDir, id, file);
      if (!(await exists(full))) continue;
      try {
        const json = await readJson(full);
        if (!isRecord(json)) continue;
        if (file === 'config.json') config = json;
        if (file === 'summary.json') summaryJson = json;
        if (typeof json.status === 'string') run.status = json.status;
        if (typeof json.kind === 'string') run.kind = json.kind;
        if (typeof json.mode === 'string' && !run.kind) run.kind = json.mode;
        if (typeof json.createdAt === 'string') run.createdAt = json.createdAt;
        if (typeof json.startedAt === 'string') run.createdAt = json.startedAt;
        if (file === 'summary.json') {
          run.metric = keyMetric(json) ?? run.metric;
          if (run.status === 'unknown') run.status = 'completed';
        }
      } catch (err) {
        problems.push(`runs/${id}/${file}: ${(err as Error).message}`);
      }
    }
    const meta = await readRunMeta(path.join(runsDir, id)).catch((err: Error) => {
      problems.push(`runs/${id}/meta.jsonl: ${err.message}`);
      return undefined;
    });
    for (const p of meta?.problems ?? []) problems.push(`runs/${id}/meta.jsonl:${p.line}${p.field ? ` (${p.field})` : ''}: ${p.reason}`);
    run.name = meta?.name ?? defaultRunName(config, summaryJson as { loss?: string; mode?: string; startedAt?: string } | undefined);
    run.tags = meta?.tags ?? [];
    runs.push(run);
  }
  return runs;
}

/**
 * Counts the records of a dataset file that have a label: their own (`label` of the
 * record line, when `ownLabels`) or a map label; lines that do not parse are skipped.
 */
export async function countLabelled(file: string, ownLabels: boolean, mapLabels: ReadonlyMap<string, string>): Promise<number> {
  if (!ownLabels && mapLabels.size === 0) return 0;
  let count = 0;
  for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isRecord(rec)) continue;
    const id = typeof rec.id === 'string' ? rec.id : undefined;
    if ((id !== undefined && mapLabels.has(id)) || (ownLabels && typeof rec.label === 'string')) count++;
  }
  return count;
}

/** Reads the summary of the project whose project.json is in `dir`. */
export async function readProjectSummary(dir: string): Promise<ProjectSummary> {
  const problems: string[] = [];
  const summary: ProjectSummary = {
    dir,
    name: path.basename(dir),
    schemaVersion: 0,
    datasets: [],
    annotations: 0,
    runs: [],
    encoders: [],
    problems,
  };
  let project: Json;
  try {
    const json = await readJson(path.join(dir, 'project.json'));
    if (!isRecord(json)) throw new Error('not a JSON object');
    project = json;
  } catch (err) {
    problems.push(`project.json: ${(err as Error).message}`);
    return summary;
  }
  if (typeof project.schemaVersion === 'number') summary.schemaVersion = project.schemaVersion;
  else problems.push('project.json: field "schemaVersion" is missing');
  if (typeof project.name === 'string' && project.name.trim()) summary.name = project.name;
  summary.encoder = encoderSpec(project.encoder);

  let mapLabelEntries: MapLabelEntry[] = [];
  try {
    const labels = await readMapLabels(mapLabelsPath(dir));
    mapLabelEntries = labels.entries;
    for (const p of labels.problems.slice(0, 3)) problems.push(`labels.jsonl:${p.line}: ${p.field ? `field "${p.field}" ` : ''}${p.reason}`);
  } catch (err) {
    problems.push(`labels.jsonl: ${(err as Error).message}`);
  }
  for (const d of datasetList(project)) {
    const ds: DatasetSummary = { name: d.name, file: d.file };
    try {
      ds.records = await countLines(path.resolve(dir, d.file));
      ds.labelled = await countLabelled(path.resolve(dir, d.file), d.hasLabels, currentMapLabels(mapLabelEntries, d.name));
    } catch {
      problems.push(`dataset "${d.name}": ${d.file} is missing`);
    }
    summary.datasets.push(ds);
  }
  const annotationsFile = path.join(dir, 'annotations.jsonl');
  if (await exists(annotationsFile)) {
    // Scored pairs as they stand (corrections and undos folded in), not log lines.
    const log = await readAnnotations(annotationsFile);
    summary.annotations = currentAnnotations(log.entries).scores.size;
    for (const p of log.problems.slice(0, 3)) problems.push(`annotations.jsonl:${p.line}: ${p.reason}`);
  }
  summary.runs = await readRuns(dir, problems);

  const encoders = new Set<string>();
  if (summary.encoder) encoders.add(summary.encoder);
  if (Array.isArray(project.encoders)) for (const e of project.encoders) { const s = encoderSpec(e); if (s) encoders.add(s); }
  for (const run of summary.runs) if (run.status === 'completed') encoders.add(`run:${run.id}`);
  summary.encoders = [...encoders];
  return summary;
}
