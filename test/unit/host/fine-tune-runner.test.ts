import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeVenvPlan,
  offerVenv,
  orderedChoices,
  preferredRunner,
  pythonDevice,
  rememberedRunnerKey,
  requirementLines,
  runnerChoices,
  shouldAskRunner,
  venvPlan,
  type RunnerAvailability,
} from '../../../src/host/commands/fine-tune-runner';

const cpuPython = { ok: true as const, python: 'venv/bin/python', version: '3.12.3', devices: ['cpu'] };
const gpuPython = { ok: true as const, python: 'venv/bin/python', version: '3.12.3', devices: ['cuda', 'cpu'], cudaName: 'NVIDIA A10' };
const noPython = { ok: false as const, python: 'python3', problem: 'missing torch' };

test('the runner is asked for only when more than one is available', () => {
  const builtinOnly: RunnerAvailability = { python: noPython, engineHasRay: true };
  assert.deepEqual(runnerChoices(builtinOnly, 'full', 'mnr').map((c) => c.id), ['builtin']);
  assert.equal(shouldAskRunner(runnerChoices(builtinOnly, 'full', 'mnr')), false);

  const withPython: RunnerAvailability = { python: cpuPython, engineHasRay: true };
  assert.deepEqual(runnerChoices(withPython, 'full', 'mnr').map((c) => c.id), ['builtin', 'python']);
  assert.equal(shouldAskRunner(runnerChoices(withPython, 'full', 'mnr')), true);

  const all: RunnerAvailability = { python: cpuPython, rayAddress: 'head:6379', engineHasRay: true };
  assert.deepEqual(runnerChoices(all, 'full', 'cosent').map((c) => c.id), ['builtin', 'python', 'ray']);
  // A configured address is not enough when the engine has no ray runner.
  assert.deepEqual(runnerChoices({ ...all, engineHasRay: false }, 'full', 'cosent').map((c) => c.id), ['builtin', 'python']);
  // Ray alone (no local Python) still makes a choice.
  assert.deepEqual(runnerChoices({ python: noPython, rayAddress: 'head:6379', engineHasRay: true }, 'full', 'mnr').map((c) => c.id), ['builtin', 'ray']);
});

test('head mode and DEC train on the builtin runner only, so nothing is asked', () => {
  const all: RunnerAvailability = { python: gpuPython, rayAddress: 'head:6379', engineHasRay: true };
  assert.deepEqual(runnerChoices(all, 'head', 'mnr').map((c) => c.id), ['builtin']);
  assert.deepEqual(runnerChoices(all, 'full', 'dec').map((c) => c.id), ['builtin']);
  assert.equal(offerVenv({ python: noPython, engineHasRay: false }, 'head', 'mnr'), false);
  assert.equal(offerVenv({ python: noPython, engineHasRay: false }, 'full', 'mnr'), true);
  assert.equal(offerVenv({ python: cpuPython, engineHasRay: false }, 'full', 'mnr'), false);
});

test('where the run executes: local GPU name, CPU, or the Ray address', () => {
  assert.equal(pythonDevice(gpuPython), 'local GPU NVIDIA A10 (CUDA)');
  assert.equal(pythonDevice(cpuPython), 'CPU');
  assert.equal(pythonDevice({ ...cpuPython, devices: ['mps', 'cpu'] }), 'Apple GPU (MPS)');
  const choices = runnerChoices({ python: gpuPython, rayAddress: 'ray://head:10001', engineHasRay: true }, 'full', 'mnr');
  assert.match(choices.find((c) => c.id === 'python')!.where, /local GPU NVIDIA A10/);
  assert.equal(choices.find((c) => c.id === 'ray')!.where, 'Ray cluster at ray://head:10001');
  assert.match(choices.find((c) => c.id === 'builtin')!.where, /CPU/);
});

test('the project remembers its runner; otherwise python is offered first', () => {
  const choices = runnerChoices({ python: cpuPython, rayAddress: 'head:6379', engineHasRay: true }, 'full', 'mnr');
  assert.equal(preferredRunner(choices, undefined), 'python');
  assert.equal(preferredRunner(choices, 'ray'), 'ray');
  assert.equal(preferredRunner(choices, 'builtin'), 'builtin');
  // A remembered runner that is not available now (no cluster configured any more) is not offered.
  assert.equal(preferredRunner(runnerChoices({ python: cpuPython, engineHasRay: true }, 'full', 'mnr'), 'ray'), 'python');
  assert.equal(preferredRunner(runnerChoices({ python: noPython, engineHasRay: true }, 'full', 'mnr'), undefined), 'builtin');
  assert.deepEqual(orderedChoices(choices, 'ray').map((c) => c.id), ['ray', 'builtin', 'python']);
  assert.notEqual(rememberedRunnerKey('/a/p1'), rememberedRunnerKey('/a/p2'));
});

test('the venv plan shows exactly the commands and the packages of requirements.txt', () => {
  const requirements = '# The runner\n# comment\ntorch==2.13.0+cpu\nsentence-transformers[train]==6.0.1  # pinned\n\n--extra-index-url https://x\nnumpy\n';
  assert.deepEqual(requirementLines(requirements), ['torch==2.13.0+cpu', 'sentence-transformers[train]==6.0.1', 'numpy']);
  const plan = venvPlan('python3', '/home/u/.venv lab', '/ext/python/requirements.txt', requirements, 'linux');
  assert.equal(plan.python, '/home/u/.venv lab/bin/python');
  assert.deepEqual(plan.commands, [
    ['python3', '-m', 'venv', '/home/u/.venv lab'],
    ['/home/u/.venv lab/bin/python', '-m', 'pip', 'install', '-r', '/ext/python/requirements.txt'],
  ]);
  const text = describeVenvPlan(plan);
  for (const p of plan.packages) assert.ok(text.includes(p), p);
  assert.ok(text.includes('"/home/u/.venv lab"'), 'paths with spaces are quoted');
  assert.equal(venvPlan('py', 'C:\\v', 'r.txt', '', 'win32').python, 'C:\\v\\Scripts\\python.exe');
});
