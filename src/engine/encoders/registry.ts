/**
 * The encoder providers, tried in order; the first whose `matches` accepts a spec builds it.
 * This list is the one place that knows every kind of encoder.
 */
import type { EncoderProvider } from './provider';
import { builtinEncoderProvider } from './builtin/provider';
import { runEncoderProvider } from '../train/run-encoder';
import { onnxFolderProvider } from './onnx/provider';
import { httpEncoderProvider } from './http/provider';
import { hubEncoderProvider } from './hub/provider';

export const encoderProviders: readonly EncoderProvider[] = Object.freeze([
  // "builtin" or "builtin:<saved model>": its prefix is unambiguous.
  builtinEncoderProvider,
  // "run:<id>" or a run folder: before local folders, since a run folder is also a folder.
  runEncoderProvider,
  // Local model folders: before the Hub, since an existing folder such as "models/minilm" also looks like a Hub id.
  onnxFolderProvider,
  // OpenAI-compatible endpoints ("http(s)://…").
  httpEncoderProvider,
  // Hugging Face Hub ids ("org/name", "hf:org/name@rev").
  hubEncoderProvider,
]);
