/**
 * Where "Fine-tune…" runs a fine-tune: the runners available for the plan (builtin always;
 * python when a Python with sentence-transformers was found; ray when a cluster address is
 * configured and the engine has the ray runner), whether to ask (only when more than one
 * is available), which to offer first (the project's last choice, else the fastest), what to
 * say about where the steps execute, and the plan of a venv the user may ask for. Pure data,
 * so the quick picks and the tests share it.
 */
import type { TrainLoss, TrainMode } from './fine-tune-plan';

export type WizardRunner = 'builtin' | 'python' | 'ray';

/** What the host found about the Python runner. */
export type PythonStatus =
  | { ok: true; python: string; version: string; devices: readonly string[]; cudaName?: string }
  | { ok: false; python: string; problem: string };

export interface RunnerAvailability {
  python?: PythonStatus;
  /** The configured Ray cluster address (setting embeddingLab.ray.address), when there is one. */
  rayAddress?: string;
  /** Whether the engine has the ray runner at all. */
  engineHasRay: boolean;
}

export interface RunnerChoice {
  id: WizardRunner;
  label: string;
  detail: string;
  /** Where the steps execute, for the output channel and the notification. */
  where: string;
}

/** What the wizard trains on: the project's annotations (scored pairs) or a dataset (labelled texts). */
export type WizardDataShape = 'scored' | 'labelled';

/** The shape of the wizard's data choice ("annotations", else a dataset name). */
export function wizardDataShape(data: string): WizardDataShape {
  return data === 'annotations' ? 'scored' : 'labelled';
}

/**
 * Why only the builtin runner can train this plan, or undefined when the python and ray runners
 * can too: head mode, DEC, and MNR over label groups (what "Follow the data" picks for labels;
 * the engine's python job refuses it) train on the builtin runner only.
 */
export function builtinOnlyReason(mode: TrainMode, loss: TrainLoss, shape: WizardDataShape): string | undefined {
  if (mode !== 'full') return 'head mode trains on the built-in runner';
  if (loss === 'dec') return 'DEC trains on the built-in runner only';
  if (shape === 'labelled' && (loss === 'mnr' || loss === 'auto'))
    return 'MNR over label groups (what "Follow the data" picks for labels) trains on the built-in runner only; the Triplet loss trains on labels with Python too';
  return undefined;
}

/** Whether the python and ray runners can train this plan. */
export function trainsOutsideBuiltin(mode: TrainMode, loss: TrainLoss, shape: WizardDataShape): boolean {
  return builtinOnlyReason(mode, loss, shape) === undefined;
}

/** "local GPU NVIDIA A10 (CUDA)", "Apple GPU (MPS)" or "CPU": the device torch picks first. */
export function pythonDevice(status: Extract<PythonStatus, { ok: true }>): string {
  const first = status.devices[0] ?? 'cpu';
  if (first === 'cuda') return `local GPU ${status.cudaName ?? ''} (CUDA)`.replace('  ', ' ');
  if (first === 'mps') return 'Apple GPU (MPS)';
  return 'CPU';
}

/** The runners that can train this plan, builtin first. */
export function runnerChoices(a: RunnerAvailability, mode: TrainMode, loss: TrainLoss, shape: WizardDataShape): RunnerChoice[] {
  const choices: RunnerChoice[] = [
    {
      id: 'builtin',
      label: 'Built-in (TensorFlow.js)',
      detail: mode === 'full' ? 'no install; slow for full fine-tunes (several seconds a step on a CPU)' : 'no install; head mode trains in seconds to minutes',
      where: 'this machine, CPU (TensorFlow.js wasm)',
    },
  ];
  if (!trainsOutsideBuiltin(mode, loss, shape)) return choices;
  if (a.python?.ok) {
    const device = pythonDevice(a.python);
    choices.push({
      id: 'python',
      label: 'Python (sentence-transformers)',
      detail: `${a.python.python} (Python ${a.python.version}), ${device}`,
      where: `this machine, ${device}, Python ${a.python.python}`,
    });
  }
  if (a.rayAddress && a.engineHasRay)
    choices.push({ id: 'ray', label: 'Ray cluster', detail: `data-parallel on ${a.rayAddress}`, where: `Ray cluster at ${a.rayAddress}` });
  return choices;
}

/** Ask only when there is a choice to make. */
export function shouldAskRunner(choices: readonly RunnerChoice[]): boolean {
  return choices.length > 1;
}

/** The runner offered first: the project's last choice when it is available, else python (faster), else builtin. */
export function preferredRunner(choices: readonly RunnerChoice[], remembered: string | undefined): WizardRunner {
  const ids = choices.map((c) => c.id);
  if (remembered && (ids as string[]).includes(remembered)) return remembered as WizardRunner;
  return ids.includes('python') ? 'python' : 'builtin';
}

/** Choices with the preferred one first. */
export function orderedChoices(choices: readonly RunnerChoice[], preferred: WizardRunner): RunnerChoice[] {
  return [...choices].sort((a, b) => (a.id === preferred ? -1 : b.id === preferred ? 1 : 0));
}

/**
 * The items of the "where to run" pick: the preferred runner first, marked "last used" only when
 * the project did use it last (else "fastest": python offered first without a history).
 */
export function runnerPickItems(choices: readonly RunnerChoice[], remembered: string | undefined): { label: string; detail: string; description?: string; choice: RunnerChoice }[] {
  const first = preferredRunner(choices, remembered);
  return orderedChoices(choices, first).map((c) => ({
    label: c.label,
    detail: c.detail,
    description: c.id === remembered ? 'last used' : c.id === first && c.id === 'python' ? 'fastest here' : undefined,
    choice: c,
  }));
}

/** The workspace-state key of a project's last runner choice. */
export function rememberedRunnerKey(projectDir: string): string {
  return `embeddingLab.fineTune.runner:${projectDir}`;
}

/** Whether to offer setting up a Python environment: a full fine-tune the python runner could train, with no usable Python. */
export function offerVenv(a: RunnerAvailability, mode: TrainMode, loss: TrainLoss, shape: WizardDataShape): boolean {
  return trainsOutsideBuiltin(mode, loss, shape) && !a.python?.ok;
}

/** The packages a requirements file installs (its non-comment, non-option lines). */
export function requirementLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('-'));
}

export interface VenvPlan {
  dir: string;
  /** The venv's interpreter (the value embeddingLab.python gets). */
  python: string;
  /** The commands, in order, as [program, ...args]. */
  commands: string[][];
  packages: string[];
}

/** The venv the wizard offers to create: `<base> -m venv <dir>`, then pip install -r <requirements>. */
export function venvPlan(basePython: string, dir: string, requirementsFile: string, requirementsText: string, platform: NodeJS.Platform = process.platform): VenvPlan {
  const sep = platform === 'win32' ? '\\' : '/';
  const python = platform === 'win32' ? `${dir}${sep}Scripts${sep}python.exe` : `${dir}${sep}bin${sep}python`;
  return {
    dir,
    python,
    commands: [
      [basePython, '-m', 'venv', dir],
      [python, '-m', 'pip', 'install', '-r', requirementsFile],
    ],
    packages: requirementLines(requirementsText),
  };
}

/** The confirmation text of a venv plan: exactly what runs and what it installs. */
export function describeVenvPlan(plan: VenvPlan): string {
  return [
    `Create a Python virtual environment in ${plan.dir} and install the python runner's requirements into it:`,
    ...plan.packages.map((p) => `  • ${p}`),
    'Commands:',
    ...plan.commands.map((c) => `  ${c.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`),
    `Then the setting embeddingLab.python is set to ${plan.python}. Nothing else is installed or changed.`,
  ].join('\n');
}
