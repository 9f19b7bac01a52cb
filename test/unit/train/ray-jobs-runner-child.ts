/** Test helper (run as its own process): submits a run through the Ray Jobs API, to be killed by the test. Args: root model pairs address runId */
import { trainWithRunner } from '../../../src/engine/train/runners/runner';

const [root, model, file, address, runId] = process.argv.slice(2);
void trainWithRunner(
  { root, runId, train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 4, epochs: 30, patience: 0, checkpointEvery: 1000 },
  { runner: 'ray', rayAddress: address, rayWorkers: 1, rayPollMs: 300 },
);
