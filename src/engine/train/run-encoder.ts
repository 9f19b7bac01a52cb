/**
 * The encoder provider for fine-tuned runs: "run:<id>" (looked up under
 * <projectDir>/runs/, else ./runs/), or the path of a run folder or its model/ folder.
 * A head-mode run's model is its base encoder spec plus the trained head; a full-mode run's
 * model/ is a sentence-transformers folder with onnx/model.onnx, run by the ONNX encoder.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { EncoderProvider } from '../encoders/provider';
import { InputError } from '../util/errors';
import { createOnnxEncoder } from '../encoders/onnx/onnx-encoder';
import { FULL_MODEL_MARKER, locateRun } from './runs';
import { loadBaseCorpus, loadBaseEncoder } from './base-encoder-fit';


function isRunFolder(spec: string): boolean {
  return (
    existsSync(path.join(spec, 'model', 'model.json')) ||
    (path.basename(spec) === 'model' && existsSync(path.join(spec, 'model.json'))) ||
    (existsSync(path.join(spec, FULL_MODEL_MARKER)) && existsSync(path.join(spec, 'summary.json')))
  );
}

export const runEncoderProvider: EncoderProvider = {
  kind: 'run',
  describe: 'run:<id> (a fine-tuned run under <project>/runs/) or the path of a run folder',
  matches: (spec) => spec.startsWith('run:') || isRunFolder(spec),
  async create(spec, context, resolve) {
    const runSpec = path.basename(spec) === 'model' && !spec.startsWith('run:') ? path.dirname(spec) : spec;
    const dir = await locateRun(runSpec, context.projectDir);
    if (!dir) {
      const full = await locateRun(runSpec, context.projectDir, FULL_MODEL_MARKER);
      if (!full) throw new InputError(`no trained run "${spec}" (looked for runs/<id>/model/model.json or model/onnx/model.onnx)`, { field: 'encoder' });
      return createOnnxEncoder(path.join(full, 'model'));
    }
    // Loaded on demand: the head code pulls in TensorFlow.js, which plain encoding never needs.
    const { headEncoder, loadHeadModel } = await import('./head-model');
    const modelDir = path.join(dir, 'model');
    const { info, weights } = await loadHeadModel(modelDir);
    if (info.baseEncoder.startsWith('run:') && path.basename(dir) === info.baseEncoder.slice(4))
      throw new InputError(`the run ${dir} names itself as its base encoder`, { field: 'encoder' });
    // A corpus-fitted base (built-in) is the fit kept in model/; runs of older versions kept its corpus instead.
    const kept = await loadBaseEncoder(modelDir);
    const fitted = kept ? undefined : await loadBaseCorpus(modelDir);
    const base = kept ?? (await resolve(info.baseEncoder, fitted ? { ...context, corpus: fitted.texts, seed: fitted.seed } : context));
    if (base.id !== info.baseEncoderId) {
      await base.dispose();
      throw new InputError(
        `the run was trained on the base encoder ${info.baseEncoderId}, but "${info.baseEncoder}" now resolves to ${base.id}; the head only fits its own base`,
        { file: dir, field: 'encoder' },
      );
    }
    if (base.dimension !== info.head.inputDim) {
      await base.dispose();
      throw new InputError(
        `the base encoder "${info.baseEncoder}" gives ${base.dimension}-dimensional embeddings but the run's head expects ${info.head.inputDim}`,
        { file: dir, field: 'encoder' },
      );
    }
    return headEncoder(base, info, weights, path.basename(dir));
  },
};
