import * as path from 'node:path';
import type { EncoderProvider } from '../provider';
import { HubError } from './hub-errors';
import { looksLikeHubSpec, parseHubSpec } from './hub-spec';
import { downloadModel } from './download-model';

/**
 * Hugging Face Hub models by id: `org/name`, `hf:org/name`, `org/name@revision`,
 * `org/name#qint8_avx512` or `org/name#onnx/model_O4.onnx`. Downloads (or finds in the
 * shared cache) the model folder, then hands it to the local ONNX folder encoder.
 */
export const hubEncoderProvider: EncoderProvider = {
  kind: 'hub',
  describe: 'a Hugging Face model id with an ONNX export: org/name[@revision][#onnx-file] or hf:org/name (cached in ~/.cache/embedding-lab/hub)',
  matches: looksLikeHubSpec,
  async create(spec, context, resolve) {
    const ref = parseHubSpec(spec);
    const model = await downloadModel(ref.repoId, {
      revision: ref.revision,
      onnxFile: ref.onnxFile,
      cacheDir: context.cacheDir,
      token: context.hfToken,
      offline: context.offline,
      signal: context.signal,
      onProgress: context.onProgress,
    }).catch((err: unknown) => {
      if (err instanceof HubError && (err.status === 404 || err.status === undefined) && !spec.trim().startsWith('hf:')) {
        err.message += ` (and "${spec}" is not a local folder either)`;
      }
      throw err;
    });
    // A local model folder now: the folder provider runs it; the path of the .onnx file selects the variant.
    return resolve(path.join(model.dir, model.onnxFile), context);
  },
};
