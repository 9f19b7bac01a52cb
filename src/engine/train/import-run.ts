/**
 * `embedlab runs import <dir>`: a run trained elsewhere (an exported job's run/, or any run
 * folder the python or ray runner wrote) brought into a project's runs/. Everything read is
 * checked: summary.json's fields, every metrics.jsonl line (a line cut off at the end, as a
 * killed job leaves it, is skipped and counted), the model folder (sentence-transformers layout
 * with onnx/model.onnx), and every path copied stays inside its folder (symbolic links are refused).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { pathExists, readTextFile, writeFileAtomic, writeJsonAtomic } from '../util/fs';
import { checkName } from '../util/names';
import { resolveInside } from '../util/paths';
import { createRunFolder, newRunDir, runFiles, type RunSummary } from './runs';
import { EXPORTED_CONFIG } from './runners/export-job';

export interface ImportRunResult {
  id: string;
  dir: string;
  status: string;
  runner: string;
  steps: number;
  totalSteps: number;
  /** metrics.jsonl lines left out (a line cut off at the end). */
  skippedMetricLines: number;
  modelFiles: number;
}

const STATUSES = ['completed', 'cancelled'];
const RUNNERS = ['python', 'ray'];

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message})`, { file });
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkSummary(value: unknown, file: string): RunSummary {
  if (!isRecord(value)) throw new InputError(`${file}: not a run summary (a JSON object)`, { file });
  const need = (field: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(value[field])) throw new InputError(`${file}: the field "${field}" must be ${what} (got ${JSON.stringify(value[field])})`, { file, field });
  };
  need('status', (v) => typeof v === 'string', 'a string');
  if (value.status === 'running' || value.status === 'failed')
    throw new InputError(`${file}: the run is ${String(value.status)}${value.error ? ` (${String(value.error)})` : ''}; only a completed or cancelled run can be imported`, {
      file,
      field: 'status',
    });
  need('status', (v) => STATUSES.includes(v as string), `one of ${STATUSES.join(', ')}`);
  need('runner', (v) => RUNNERS.includes(v as string), `one of ${RUNNERS.join(', ')}`);
  need('mode', (v) => v === 'full', '"full"');
  need('loss', (v) => typeof v === 'string', 'a string');
  need('step', (v) => Number.isInteger(v) && (v as number) >= 0, 'a whole number ≥ 0');
  need('totalSteps', (v) => Number.isInteger(v) && (v as number) >= 0, 'a whole number ≥ 0');
  for (const key of ['before', 'after', 'last'])
    if (value[key] !== undefined) need(key, (v) => isRecord(v) && Object.values(v).every((x) => typeof x === 'number'), 'an object of numbers');
  return value as unknown as RunSummary;
}

/** The metric lines, checked; a cut-off last line is left out and counted. */
async function readMetricLines(file: string): Promise<{ lines: string[]; skipped: number }> {
  const text = await readTextFile(file);
  const raw = text.split('\n');
  const lines: string[] = [];
  let skipped = 0;
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i].trim();
    if (!l) continue;
    let v: unknown;
    try {
      v = JSON.parse(l) as unknown;
    } catch {
      if (i === raw.length - 1 || (i === raw.length - 2 && raw[raw.length - 1] === '')) {
        skipped++; // cut off by a killed job
        continue;
      }
      throw new InputError(`${file}:${i + 1}: not JSON`, { file, line: i + 1 });
    }
    if (!isRecord(v) || !Number.isInteger(v.step)) throw new InputError(`${file}:${i + 1}: the field "step" must be a whole number`, { file, line: i + 1, field: 'step' });
    if (v.loss !== undefined && typeof v.loss !== 'number' && v.loss !== null) throw new InputError(`${file}:${i + 1}: the field "loss" must be a number`, { file, line: i + 1, field: 'loss' });
    lines.push(JSON.stringify(v));
  }
  return { lines, skipped };
}

/** The regular files under `dir`, as relative paths; a symbolic link or special file is an error. */
async function modelFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const item of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? path.join(rel, item.name) : item.name;
    resolveInside(dir, r, 'model');
    if (item.isSymbolicLink()) throw new InputError(`${path.join(dir, r)}: a symbolic link in the model folder; copy the real files`, { file: path.join(dir, r) });
    if (item.isDirectory()) out.push(...(await modelFiles(dir, r)));
    else if (item.isFile()) out.push(r);
    else throw new InputError(`${path.join(dir, r)}: not a regular file`, { file: path.join(dir, r) });
  }
  return out;
}

/** Finds the run folder in `from`: an exported job's run/, or `from` itself. */
async function runFolderIn(from: string): Promise<{ run: string; config?: string }> {
  if (await pathExists(path.join(from, 'run', 'summary.json'))) return { run: path.join(from, 'run'), config: path.join(from, EXPORTED_CONFIG) };
  if (await pathExists(path.join(from, 'summary.json'))) return { run: from, config: path.join(from, 'config.json') };
  if (await pathExists(path.join(from, EXPORTED_CONFIG))) throw new InputError(`${from}: the exported job has not run yet (no run/summary.json); run it first (see its README.md)`, { file: from });
  throw new InputError(`${from}: neither an exported job (run/summary.json) nor a run folder (summary.json)`, { file: from });
}

/** A run folder from elsewhere, every part checked: its summary, metrics lines and model files. */
export interface CheckedRunFolder {
  summaryFile: string;
  summary: RunSummary;
  metrics: { lines: string[]; skipped: number };
  modelDir: string;
  /** The model's files, relative to modelDir. */
  modelFiles: string[];
}

/** Reads and checks a finished run folder (summary.json, metrics.jsonl, model/ with onnx/model.onnx). */
export async function checkRunFolder(run: string): Promise<CheckedRunFolder> {
  const summaryFile = path.join(run, 'summary.json');
  const summary = checkSummary(parseJson(await readTextFile(summaryFile), summaryFile), summaryFile);
  const metrics = await readMetricLines(path.join(run, 'metrics.jsonl'));
  const modelDir = path.join(run, 'model');
  for (const need of ['modules.json', path.join('onnx', 'model.onnx')])
    if (!(await pathExists(path.join(modelDir, need))))
      throw new InputError(`${path.join(modelDir, need)}: missing; the run's model must be in the sentence-transformers layout with onnx/model.onnx`, { file: path.join(modelDir, need) });
  return { summaryFile, summary, metrics, modelDir, modelFiles: await modelFiles(modelDir) };
}

/** Copies a checked run's model and metrics into the project's run folder `dir` (which exists). */
export async function copyCheckedRun(checked: CheckedRunFolder, dir: string): Promise<void> {
  const target = runFiles(dir);
  for (const f of checked.modelFiles) await writeFileAtomic(resolveInside(path.join(dir, 'model'), f, 'model'), await fs.readFile(path.join(checked.modelDir, f)));
  await writeFileAtomic(target.metrics, checked.metrics.lines.map((l) => l + '\n').join(''));
}

export async function importRun(fromDir: string, root: string, options: { runId?: string; overwrite?: boolean } = {}): Promise<ImportRunResult> {
  const from = path.resolve(fromDir);
  const { run, config: configFile } = await runFolderIn(from);
  const checked = await checkRunFolder(run);
  const { summary, summaryFile } = checked;
  const config = configFile && (await pathExists(configFile)) ? parseJson(await readTextFile(configFile), configFile) : undefined;
  if (config !== undefined && !isRecord(config)) throw new InputError(`${configFile}: not a run record (a JSON object)`, { file: configFile });
  const id = options.runId ?? (typeof summary.id === 'string' ? summary.id : undefined);
  if (!id) throw new InputError(`${summaryFile}: no run id; name one with --run-id`, { file: summaryFile, field: 'id' });
  checkName(id, 'run id', 'run-id');

  // Every check passed: now the project's run folder.
  const dir = await newRunDir(root, id, options.overwrite);
  await createRunFolder(dir, options.overwrite === true);
  const target = runFiles(dir);
  await copyCheckedRun(checked, dir);
  const importedAt = new Date().toISOString();
  await writeJsonAtomic(target.config, { ...(config ?? { schemaVersion: 1, mode: 'full' }), id, runner: summary.runner, imported: { from, at: importedAt } });
  if (await pathExists(path.join(run, 'train.log'))) await writeFileAtomic(path.join(dir, 'train.log'), await fs.readFile(path.join(run, 'train.log')));
  await writeJsonAtomic(target.summary, { ...summary, id, pid: undefined, updatedAt: importedAt });
  return {
    id,
    dir,
    status: summary.status,
    runner: summary.runner!,
    steps: summary.step,
    totalSteps: summary.totalSteps,
    skippedMetricLines: checked.metrics.skipped,
    modelFiles: checked.modelFiles.length,
  };
}
