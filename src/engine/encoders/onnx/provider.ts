import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EncoderProvider } from '../provider';
import { createOnnxEncoder } from './onnx-encoder';

/** A local folder spec: `<folder>`, `<folder>#<variant>` or a path to an .onnx file inside a model folder. */
export interface LocalModelSpec {
  dir: string;
  variant?: string;
}

/** Parses a local model spec, or returns undefined when it names no existing folder/ONNX file. */
export function parseLocalModelSpec(spec: string): LocalModelSpec | undefined {
  const hash = spec.lastIndexOf('#');
  const base = hash > 0 ? spec.slice(0, hash) : spec;
  const variant = hash > 0 ? spec.slice(hash + 1) : undefined;
  if (!fs.existsSync(base)) return undefined;
  const st = fs.statSync(base);
  if (st.isDirectory()) return { dir: base, variant };
  if (st.isFile() && base.endsWith('.onnx')) {
    const parent = path.dirname(base);
    const dir = path.basename(parent) === 'onnx' ? path.dirname(parent) : parent;
    return { dir, variant: path.relative(dir, base) };
  }
  return undefined;
}

/** Encoders from a local sentence-transformers model folder with an ONNX export. */
export const onnxFolderProvider: EncoderProvider = {
  kind: 'onnx-folder',
  describe: 'a local model folder with onnx/model.onnx (or <folder>#qint8_avx512 for a variant, or the path of an .onnx file)',
  matches: (spec) => parseLocalModelSpec(spec) !== undefined,
  create: (spec, context) => {
    const s = parseLocalModelSpec(spec)!;
    const conversionCacheDir = context.cacheDir;
    return createOnnxEncoder(s.dir, { variant: s.variant, conversionCacheDir });
  },
};
