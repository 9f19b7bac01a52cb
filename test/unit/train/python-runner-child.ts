/** Test helper (run as its own process): starts a python-runner run, to be killed by the test. Args: root model pairs python */
import { trainWithRunner } from '../../../src/engine/train/runners/runner';

const [root, model, file, python] = process.argv.slice(2);
void trainWithRunner(
  { root, runId: 'orphan', train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 4, epochs: 30, checkpointEvery: 1000 },
  { runner: 'python', python, device: 'cpu' },
);
