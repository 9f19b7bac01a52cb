/**
 * `embedlab train … --export-job <dir>`: a self-contained folder that trains the run anywhere,
 * without Embedding Lab: the data exactly as our loader accepted it and the batches as our
 * planner made them (job/), the base model (job/model/), the training script (embedlab_train/),
 * the requirements, run-config.json (the run record `runs import` restores), and a README with
 * `accelerate launch`, a Slurm sbatch script (slurm.sbatch) and `ray job submit`. The job writes
 * its run into run/ beside them (metrics.jsonl, summary.json, model/ with onnx/model.onnx).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { writeFileAtomic, writeJsonAtomic } from '../../util/fs';
import { runIdFor } from '../run-record';
import type { TrainRequest } from '../settings';
import { chooseRunLoss } from '../choose-loss';
import type { DataSkips } from '../runs';
import { checkName } from '../../util/names';
import { pythonPackageRoot } from './python-env';
import { planScriptJob, scriptRunConfig, writeScriptJob, type ScriptJobPlan } from './script-job';
import type { PythonJob } from './python-job';
import { exportedJobReadme, slurmScript, RAY_PIP_PACKAGES } from './export-job-text';

export const EXPORTED_JOB_SCHEMA_VERSION = 1;
/** The run record in an exported job folder (config.json once imported). */
export const EXPORTED_CONFIG = 'run-config.json';

export interface ExportJobResult {
  dir: string;
  runId: string;
  totalSteps: number;
  /** Files written, relative to `dir`. */
  files: string[];
  skipped?: DataSkips;
}

/** Copies the regular files of `from` into `to` (symbolic links and special files are left out; so is onnx/, which the job rewrites). */
async function copyModelFolder(from: string, to: string, written: string[], prefix: string): Promise<void> {
  for (const item of await fs.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, item.name);
    const dst = path.join(to, item.name);
    if (item.isDirectory()) {
      if (item.name === 'onnx' || item.name.startsWith('.')) continue;
      await copyModelFolder(src, dst, written, `${prefix}${item.name}/`);
    } else if (item.isFile()) {
      await writeFileAtomic(dst, await fs.readFile(src));
      written.push(`${prefix}${item.name}`);
    }
  }
}

async function checkEmptyTarget(dir: string): Promise<void> {
  try {
    const items = await fs.readdir(dir);
    if (items.length > 0) throw new InputError(`--export-job ${dir}: the folder is not empty; name a new or empty folder`, { field: 'export-job' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new InputError(`--export-job ${dir}: a file of that name exists`, { field: 'export-job' });
    throw e;
  }
}

/**
 * Writes the job package into `dir` (which must be empty or absent): job/ with its model, the
 * script, the requirements, run-config.json, slurm.sbatch and README.md. The folder `--export-job`
 * writes, and the working_dir a Ray Jobs submission uploads.
 */
export async function writeJobPackage(dir: string, runId: string, plan: ScriptJobPlan): Promise<{ job: PythonJob; files: string[] }> {
  checkName(runId, 'run id', 'run-id');
  const files: string[] = [];
  // The job names its model relative to job/, so the folder can move.
  const job = await writeScriptJob(path.join(dir, 'job'), runId, plan, 'auto', 'model');
  files.push('job/job.json', 'job/train.jsonl', ...(plan.data.eval ? ['job/eval.jsonl'] : []));
  await copyModelFolder(plan.baseDir, path.join(dir, 'job', 'model'), files, 'job/model/');
  const root = pythonPackageRoot();
  for (const name of (await fs.readdir(path.join(root, 'embedlab_train'))).filter((n) => n.endsWith('.py')).sort()) {
    await writeFileAtomic(path.join(dir, 'embedlab_train', name), await fs.readFile(path.join(root, 'embedlab_train', name)));
    files.push(`embedlab_train/${name}`);
  }
  for (const name of ['requirements.txt', 'requirements-ray.txt']) {
    await writeFileAtomic(path.join(dir, name), await fs.readFile(path.join(root, name)));
    files.push(name);
  }
  const createdAt = new Date().toISOString();
  await writeJsonAtomic(path.join(dir, EXPORTED_CONFIG), {
    ...scriptRunConfig(runId, createdAt, plan, job, { exportedJob: { schemaVersion: EXPORTED_JOB_SCHEMA_VERSION, createdAt } }),
    root: undefined,
    model: { folder: 'job/model', base: plan.baseDir },
  });
  files.push(EXPORTED_CONFIG);
  const facts = { runId, totalSteps: job.totalSteps, loss: job.loss, batch: plan.resolved.batchSize, pip: RAY_PIP_PACKAGES };
  await writeFileAtomic(path.join(dir, 'slurm.sbatch'), slurmScript(facts));
  await writeFileAtomic(path.join(dir, 'README.md'), exportedJobReadme(facts));
  files.push('slurm.sbatch', 'README.md');
  return { job, files };
}

export async function exportTrainJob(request: TrainRequest, target: string): Promise<ExportJobResult> {
  // The loss follows the data as for a run (choose-loss.ts).
  const options = await chooseRunLoss(request);
  const dir = path.resolve(target);
  await checkEmptyTarget(dir);
  const runId = runIdFor(options);
  checkName(runId, 'run id', 'run-id');
  const plan = await planScriptJob(options, 'python');
  const { job, files } = await writeJobPackage(dir, runId, plan);
  return { dir, runId, totalSteps: job.totalSteps, files, skipped: plan.skipped };
}
