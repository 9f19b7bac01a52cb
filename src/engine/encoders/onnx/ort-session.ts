import * as fs from 'node:fs';
import * as os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { InputError } from '../../util/errors';
import { ortThreadsFromEnv } from '../../env';
import type { PaddedBatch } from './batching';

/**
 * The one place that knows about onnxruntime-node: creating a CPU session and running a padded batch.
 * The native module loads with the first session, not with the engine: a command that opens no
 * ONNX model (the built-in encoder's `cluster`) does not pay its start-up.
 */
export type OrtSession = Ort.InferenceSession;

let ortModule: typeof Ort | undefined;

async function loadOrt(): Promise<typeof Ort> {
  ortModule ??= await import('onnxruntime-node');
  return ortModule;
}

/** The module a session was opened with (a session exists only after loadOrt). */
function loadedOrt(): typeof Ort {
  if (!ortModule) throw new Error('onnxruntime-node is not loaded: open a session first');
  return ortModule;
}

/** Intra-op threads from the machine (all logical cores), unless `EMBEDLAB_ORT_THREADS` says otherwise. */
export function defaultThreads(): number {
  const fromEnv = ortThreadsFromEnv();
  if (fromEnv !== undefined) return fromEnv;
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Opens an ONNX file for CPU inference. A missing or corrupt file gives an `InputError` naming it. */
export async function openSession(file: string, threads = defaultThreads()): Promise<OrtSession> {
  if (!fs.existsSync(file)) throw new InputError('missing file', { file });
  const ort = await loadOrt();
  try {
    return await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
  } catch (err) {
    const size = fs.statSync(file).size;
    throw new InputError(
      `cannot load the ONNX model (${size} bytes; truncated or not an ONNX file?): ${(err as Error).message.split('\n')[0]}`,
      { file },
    );
  }
}

/** The feeds for a padded batch, only with the inputs the graph declares. */
export function batchFeeds(session: OrtSession, b: PaddedBatch): Record<string, Ort.Tensor> {
  const ort = loadedOrt();
  const dims = [b.batch, b.sequence];
  const feeds: Record<string, Ort.Tensor> = {};
  for (const name of session.inputNames) {
    if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', b.inputIds, dims);
    else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', b.attentionMask, dims);
    else if (name === 'token_type_ids') feeds[name] = new ort.Tensor('int64', b.tokenTypeIds, dims);
    else if (name === 'position_ids') {
      const pos = new BigInt64Array(b.batch * b.sequence);
      for (let i = 0; i < pos.length; i++) pos[i] = BigInt(i % b.sequence);
      feeds[name] = new ort.Tensor('int64', pos, dims);
    }
  }
  return feeds;
}

/** Output tensors of a run, as plain data + dims. */
export interface RunOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** Runs one batch and returns the named output. */
export async function runBatch(session: OrtSession, b: PaddedBatch, output: string): Promise<RunOutput> {
  const result = await session.run(batchFeeds(session, b), [output]);
  const t = result[output];
  return { data: t.data as Float32Array, dims: t.dims };
}

/** Declared inputs the model needs that we cannot feed. */
export function unsupportedInputs(session: OrtSession): string[] {
  const known = new Set(['input_ids', 'attention_mask', 'token_type_ids', 'position_ids']);
  return session.inputNames.filter((n) => !known.has(n));
}

/** The declared last dimension of an output, when the graph states it as a number. */
export function declaredLastDim(session: OrtSession, output: string): number | undefined {
  const meta = session.outputMetadata?.find((m) => m.name === output);
  if (!meta || !meta.isTensor) return undefined;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === 'number' && last > 0 ? last : undefined;
}
