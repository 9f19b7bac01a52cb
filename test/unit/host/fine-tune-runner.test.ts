import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinOnlyReason,
  describeVenvPlan,
  offerVenv,
  orderedChoices,
  preferredRunner,
  pythonDevice,
  rememberedRunnerKey,
  requirementLines,
  runnerChoices,
  runnerPickItems,
  shouldAskRunner,
  venvPlan,
  wizardDataShape,
  type RunnerAvailability,
} from '../../../src/host/commands/fine-tune-runner';

const cpuPython = { ok: true as const, python: 'venv/bin/python', version: '3.12.3', devices: ['cpu'] };
const gpuPython = { ok: true as const, python: 'venv/bin/python', version: '3.12.3', devices: ['cuda', 'cpu'], cudaName: 'NVIDIA A10' };
const noPython = { ok: false as const, python: 'python3', problem: 'missing torch' };

test('the runner is asked for only when more than one is available', () => {
  const builtinOnly: RunnerAvailability = { python: noPython, engineHasRay: true };
  assert.deepEqual(runnerChoices(builtinOnly, 'full', 'mnr', 'scored').map((c) => c.id), ['builtin']);
  assert.equal(shouldAskRunner(runnerChoices(builtinOnly, 'full', 'mnr', 'scored')), false);

  const withPython: RunnerAvailability = { python: cpuPython, engineHasRay: true };
  assert.deepEqual(runnerChoices(withPython, 'full', 'mnr', 'scored').map((c) => c.id), ['builtin', 'python']);
  assert.equal(shouldAskRunner(runnerChoices(withPython, 'full', 'mnr', 'scored')), true);

  const all: RunnerAvailability = { python: cpuPython, rayAddress: 'head:6379', engineHasRay: true };
  assert.deepEqual(runnerChoices(all, 'full', 'cosent', 'scored').map((c) => c.id), ['builtin', 'python', 'ray']);
  // A configured address is not enough when the engine has no ray runner.
  assert.deepEqual(runnerChoices({ ...all, engineHasRay: false }, 'full', 'cosent', 'scored').map((c) => c.id), ['builtin', 'python']);
  // Ray alone (no local Python) still makes a choice.
  assert.deepEqual(runnerChoices({ python: noPython, rayAddress: 'head:6379', engineHasRay: true }, 'full', 'mnr', 'scored').map((c) => c.id), ['builtin', 'ray']);
});

test('head mode and DEC train on the builtin runner only, so nothing is asked', () => {
  const all: RunnerAvailability = { python: gpuPython, rayAddress: 'head:6379', engineHasRay: true };
  assert.deepEqual(runnerChoices(all, 'head', 'mnr', 'scored').map((c) => c.id), ['builtin']);
  assert.deepEqual(runnerChoices(all, 'full', 'dec', 'scored').map((c) => c.id), ['builtin']);
  assert.equal(offerVenv({ python: noPython, engineHasRay: false }, 'head', 'mnr', 'scored'), false);
  assert.equal(offerVenv({ python: noPython, engineHasRay: false }, 'full', 'mnr', 'scored'), true);
  assert.equal(offerVenv({ python: cpuPython, engineHasRay: false }, 'full', 'mnr', 'scored'), false);
});

test('labelled data: "Follow the data" and MNR (MNR over label groups) train on the builtin runner only; Triplet anywhere', () => {
  const all: RunnerAvailability = { python: cpuPython, rayAddress: 'head:6379', engineHasRay: true };
  assert.equal(wizardDataShape('annotations'), 'scored');
  assert.equal(wizardDataShape('ag-news'), 'labelled');
  for (const loss of ['auto', 'mnr'] as const) {
    assert.deepEqual(runnerChoices(all, 'full', loss, 'labelled').map((c) => c.id), ['builtin'], loss);
    assert.equal(offerVenv({ python: noPython, engineHasRay: false }, 'full', loss, 'labelled'), false, loss);
    assert.match(builtinOnlyReason('full', loss, 'labelled')!, /Triplet/);
    // Scored pairs (annotations): auto picks cosine, MNR trains on the pairs scored high enough.
    assert.deepEqual(runnerChoices(all, 'full', loss, 'scored').map((c) => c.id), ['builtin', 'python', 'ray'], loss);
  }
  assert.deepEqual(runnerChoices(all, 'full', 'triplet', 'labelled').map((c) => c.id), ['builtin', 'python', 'ray']);
  assert.equal(builtinOnlyReason('full', 'triplet', 'labelled'), undefined);
});

test('where the run executes: local GPU name, CPU, or the Ray address', () => {
  assert.equal(pythonDevice(gpuPython), 'local GPU NVIDIA A10 (CUDA)');
  assert.equal(pythonDevice(cpuPython), 'CPU');
  assert.equal(pythonDevice({ ...cpuPython, devices: ['mps', 'cpu'] }), 'Apple GPU (MPS)');
  const choices = runnerChoices({ python: gpuPython, rayAddress: 'ray://head:10001', engineHasRay: true }, 'full', 'mnr', 'scored');
  assert.match(choices.find((c) => c.id === 'python')!.where, /local GPU NVIDIA A10/);
  assert.equal(choices.find((c) => c.id === 'ray')!.where, 'Ray cluster at ray://head:10001');
  assert.match(choices.find((c) => c.id === 'builtin')!.where, /CPU/);
});

test('the project remembers its runner; otherwise python is offered first', () => {
  const choices = runnerChoices({ python: cpuPython, rayAddress: 'head:6379', engineHasRay: true }, 'full', 'mnr', 'scored');
  assert.equal(preferredRunner(choices, undefined), 'python');
  assert.equal(preferredRunner(choices, 'ray'), 'ray');
  assert.equal(preferredRunner(choices, 'builtin'), 'builtin');
  // A remembered runner that is not available now (no cluster configured any more) is not offered.
  assert.equal(preferredRunner(runnerChoices({ python: cpuPython, engineHasRay: true }, 'full', 'mnr', 'scored'), 'ray'), 'python');
  assert.equal(preferredRunner(runnerChoices({ python: noPython, engineHasRay: true }, 'full', 'mnr', 'scored'), undefined), 'builtin');
  assert.deepEqual(orderedChoices(choices, 'ray').map((c) => c.id), ['ray', 'builtin', 'python']);
  assert.notEqual(rememberedRunnerKey('/a/p1'), rememberedRunnerKey('/a/p2'));
});

test('"last used" marks only the runner the project used last; without a history python comes first as the fastest', () => {
  const choices = runnerChoices({ python: cpuPython, rayAddress: 'head:6379', engineHasRay: true }, 'full', 'cosent', 'scored');
  const fresh = runnerPickItems(choices, undefined);
  assert.deepEqual(fresh.map((i) => [i.choice.id, i.description]), [['python', 'fastest here'], ['builtin', undefined], ['ray', undefined]]);
  assert.deepEqual(runnerPickItems(choices, 'ray').map((i) => [i.choice.id, i.description]), [['ray', 'last used'], ['builtin', undefined], ['python', undefined]]);
  assert.deepEqual(runnerPickItems(choices, 'python').map((i) => [i.choice.id, i.description]), [['python', 'last used'], ['builtin', undefined], ['ray', undefined]]);
  // Nothing remembered and no python: builtin first, unmarked.
  const noPy = runnerChoices({ python: noPython, rayAddress: 'head:6379', engineHasRay: true }, 'full', 'cosent', 'scored');
  assert.deepEqual(runnerPickItems(noPy, undefined).map((i) => [i.choice.id, i.description]), [['builtin', undefined], ['ray', undefined]]);
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
