/**
 * The memory check of a full-mode run on the wasm backend, before anything trains: the step's
 * shape from the data (texts per step, the longest text in tokens), the estimate
 * (memory-estimate.ts), and the decision: train as asked, train with an automatic
 * gradient-cache mini-batch (said in the output and recorded in config.json), or stop with an
 * InputError saying what to change.
 */
import { InputError } from '../../util/errors';
import { TextTokenizer } from '../../encoders/tokenizer/text-tokenizer';
import type { TrainingSet } from '../training-data';
import type { LossName } from '../losses/index';
import type { TrainableFolder } from './model-source';
import { indexTexts } from './transformer-trainable';
import { describeEstimate, planStepMemory, WASM_MEMORY_LIMIT_BYTES, WASM_MEMORY_SAFETY, type StepShape } from './memory-estimate';

/** What config.json records about the step's memory. */
export interface MemoryRecord {
  /** The estimated peak of a step, in bytes, with the mini-batch used. */
  estimateBytes: number;
  budgetBytes: number;
  texts: number;
  sequence: number;
  /** The gradient-cache mini-batch in use (undefined: one pass). */
  miniBatch?: number;
  /** True when the mini-batch was chosen here, not by the user. */
  autoMiniBatch: boolean;
}

export interface MemoryDecision {
  record: MemoryRecord;
  /** A line for the output when the mini-batch was chosen automatically. */
  message?: string;
}

/** Texts per step: both sides of a pair (and label-grouped MNR's drawn positives), else one per example. */
export function textsPerStep(set: TrainingSet, loss: LossName, batchSize: number): number {
  if (set.kind === 'labelled' && loss !== 'mnr') return batchSize;
  return 2 * batchSize;
}

/** Tokens of the longest text of the set as the model sees it (special tokens, truncated at max_seq_length). */
export function longestTokens(folder: TrainableFolder, set: TrainingSet): number {
  const tokenizer = TextTokenizer.fromFolder(folder.dir);
  let longest = 1;
  for (const t of indexTexts(set).texts) longest = Math.max(longest, tokenizer.encode(t, folder.maxSeqLength).length);
  return longest;
}

/**
 * Checks that a step fits in the wasm memory; returns the mini-batch to use (the user's, or one
 * chosen here) and what to record; throws an InputError naming the field to change otherwise.
 */
export function checkStepMemory(
  folder: TrainableFolder,
  set: TrainingSet,
  settings: { loss: LossName; batchSize: number; miniBatch?: number },
  budgetBytes = WASM_MEMORY_LIMIT_BYTES * WASM_MEMORY_SAFETY,
): MemoryDecision {
  const step: StepShape = { texts: textsPerStep(set, settings.loss, settings.batchSize), sequence: longestTokens(folder, set), miniBatch: settings.miniBatch };
  const plan = planStepMemory(folder.config, step, budgetBytes);
  const base = { budgetBytes, texts: step.texts, sequence: step.sequence };
  switch (plan.kind) {
    case 'fits':
      return { record: { ...base, estimateBytes: Math.round(plan.estimate.bytes), miniBatch: settings.miniBatch, autoMiniBatch: false } };
    case 'mini-batch':
      return {
        record: { ...base, estimateBytes: Math.round(plan.estimate.bytes), miniBatch: plan.miniBatch, autoMiniBatch: true },
        message:
          `a step of ${step.texts} texts × ${step.sequence} tokens would need about ${Math.round(plan.whole.bytes / 1e6).toLocaleString('en-US')} MB of the 4 GB wasm memory; ` +
          `training with --mini-batch ${plan.miniBatch} (gradient cache: the same loss and gradients, in ${Math.ceil(step.texts / plan.miniBatch)} passes). ` +
          describeEstimate(plan.estimate, budgetBytes),
      };
    case 'too-large':
      throw new InputError(
        `a step of ${step.texts} texts × ${step.sequence} tokens${settings.miniBatch ? ` with --mini-batch ${settings.miniBatch}` : ''} needs about ${Math.round(plan.estimate.bytes / 1e6).toLocaleString('en-US')} MB of wasm memory, more than the ${Math.round(budgetBytes / 1e6).toLocaleString('en-US')} MB a step may use: ${plan.advice}`,
        { field: settings.miniBatch ? 'mini-batch' : 'batch-size' },
      );
  }
}
