/**
 * The python runner's environment as the extension sees it: whether the configured (or found)
 * Python can train, the runners available to Fine-tune…, and the venv the user may ask for.
 * Nothing is installed without the user confirming the exact commands and packages.
 */
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HostContext } from '../context';
import { describeVenvPlan, venvPlan, type PythonStatus, type RunnerAvailability, type VenvPlan } from './fine-tune-runner';
import { runVenvPlan } from './venv-install';
import { CancelledError, isCancelledError } from '../../engine/util/job';

/** Checks the Python of the settings (else EMBEDLAB_PYTHON, else python3) in the engine's way: runs the shipped package's --check. */
export async function pythonStatus(ctx: HostContext): Promise<PythonStatus> {
  const { checkPythonEnvironment, pythonCommand } = await import('../../engine/train/runners/python-env');
  const python = pythonCommand(ctx.config().python);
  try {
    const env = await checkPythonEnvironment(python);
    return { ok: true, python: env.python, version: env.version, devices: env.devices, cudaName: env.cudaName };
  } catch (e) {
    return { ok: false, python, problem: (e as Error).message };
  }
}

/** What Fine-tune… can offer: the python runner's status, the configured Ray address, and whether the engine has a ray runner. */
export async function runnerAvailability(ctx: HostContext): Promise<RunnerAvailability> {
  const { RUNNER_NAMES } = await import('../../engine/train/runners/runner');
  const python = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Embedding Lab: looking for a Python with sentence-transformers' }, () => pythonStatus(ctx));
  if (!python.ok) ctx.output.info(`python runner unavailable: ${python.problem}`);
  const rayAddress = ctx.config()['ray.address'].trim() || undefined;
  return { python, rayAddress, engineHasRay: (RUNNER_NAMES as readonly string[]).includes('ray') };
}

/** Runs one command, its output lines in the log; rejects on a non-zero exit or a cancel. */
function runLogged(ctx: HostContext, command: string[], token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve, reject) => {
    ctx.output.info(`$ ${command.join(' ')}`);
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = (d: Buffer) => {
      for (const line of d.toString('utf8').split(/\r?\n/)) if (line.trim()) ctx.output.info(`[setup] ${line}`);
    };
    child.stdout.on('data', log);
    child.stderr.on('data', log);
    const cancel = token.onCancellationRequested(() => child.kill('SIGTERM'));
    child.on('error', (e) => {
      cancel.dispose();
      reject(e);
    });
    child.on('close', (code, signal) => {
      cancel.dispose();
      if (code === 0) resolve();
      else if (token.isCancellationRequested) reject(new CancelledError('the Python setup was cancelled'));
      else reject(new Error(`${path.basename(command[0])} exited with ${code ?? signal}; see the Embedding Lab log`));
    });
  });
}

/** The venv Embedding Lab offers: in its global storage, from the current Python, with python/requirements.txt. */
export async function proposedVenv(ctx: HostContext): Promise<VenvPlan> {
  const { pythonCommand, pythonPackageRoot } = await import('../../engine/train/runners/python-env');
  const requirements = path.join(pythonPackageRoot(), 'requirements.txt');
  const text = await fs.readFile(requirements, 'utf8');
  return venvPlan(pythonCommand(ctx.config().python), path.join(ctx.extension.globalStorageUri.fsPath, 'python-venv'), requirements, text);
}

/**
 * Shows exactly what would be installed and, only when the user confirms, creates the venv,
 * installs the requirements and points embeddingLab.python at it. Returns the new status,
 * or undefined when the user declined or cancelled (a venv folder the setup made is then removed).
 */
export async function offerPythonSetup(ctx: HostContext): Promise<PythonStatus | undefined> {
  const plan = await proposedVenv(ctx);
  const detail = describeVenvPlan(plan);
  ctx.output.info(detail);
  const answer = await vscode.window.showInformationMessage(
    'Embedding Lab: create a Python environment for the python runner? It installs PyTorch and sentence-transformers (about 1 GB with the CPU wheels).',
    { modal: true, detail },
    'Create and Install',
  );
  if (answer !== 'Create and Install') return undefined;
  await fs.mkdir(path.dirname(plan.dir), { recursive: true });
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Embedding Lab: setting up Python', cancellable: true },
      (progress, token) =>
        runVenvPlan(plan, (command, i) => {
          progress.report({ message: `${i === 0 ? 'creating the venv' : 'installing the requirements (see the log)'}` });
          return runLogged(ctx, command, token);
        }),
    );
  } catch (err) {
    if (!isCancelledError(err)) throw err;
    ctx.output.info(`Python setup cancelled; ${plan.dir} removed if it was new, embeddingLab.python unchanged`);
    void vscode.window.showInformationMessage('Embedding Lab: Python setup cancelled. Nothing was kept, and the setting embeddingLab.python is unchanged.');
    return undefined;
  }
  await vscode.workspace.getConfiguration('embeddingLab').update('python', plan.python, vscode.ConfigurationTarget.Global);
  ctx.output.info(`embeddingLab.python set to ${plan.python}`);
  const status = await pythonStatus(ctx);
  if (status.ok) void vscode.window.showInformationMessage(`Embedding Lab: the python runner is ready (${status.python}, Python ${status.version}).`);
  else void vscode.window.showWarningMessage(`Embedding Lab: the venv was created but cannot train yet: ${status.problem}`);
  return status;
}
