import * as os from 'node:os';
import * as path from 'node:path';
import type { Encoder } from './encoder';
import type { JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import { checkedEncoder } from './checked-encoder';

/** What an encoder provider may need to build an encoder from a spec string. */
export interface EncoderContext extends JobOptions {
  /** Texts to fit on, for encoders that learn from the corpus (the built-in one). */
  corpus?: readonly string[];
  /** The project folder, when there is one (saved built-in models, runs). */
  projectDir?: string;
  /** Cache shared by all projects for downloaded models. */
  cacheDir?: string;
  seed?: number;
  /** Never touch the network. */
  offline?: boolean;
  /** Secrets come from the caller (env, SecretStorage); they are never written to a project. */
  hfToken?: string;
  apiKey?: string;
}

/**
 * One kind of encoder. `matches` decides from the spec string alone (e.g. "builtin",
 * "./models/minilm", "sentence-transformers/all-MiniLM-L6-v2", "http://…/v1/embeddings",
 * "run:<id>"); `create` builds it.
 */
export interface EncoderProvider {
  kind: string;
  /** What the spec looks like, for help texts and error messages. */
  describe: string;
  matches(spec: string): boolean;
  create(spec: string, context: EncoderContext): Promise<Encoder>;
}

/**
 * The providers, tried in order; the first match wins. Each encoder module registers
 * itself here with one line.
 */
export const encoderProviders: EncoderProvider[] = [];

export function defaultCacheDir(): string {
  return process.env.EMBEDLAB_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'embedding-lab');
}

/** The kind of encoder a spec names ("builtin", "onnx-folder", "run", "http", "hub"), without building it. */
export function encoderKind(spec: string): string | undefined {
  const s = spec.trim();
  return encoderProviders.find((p) => p.matches(s))?.kind;
}

export async function resolveEncoder(spec: string, context: EncoderContext = {}): Promise<Encoder> {
  const s = spec.trim();
  const provider = encoderProviders.find((p) => p.matches(s));
  if (!provider) {
    const kinds = encoderProviders.map((p) => `  ${p.kind}: ${p.describe}`).join('\n');
    throw new InputError(`unknown encoder "${spec}". Encoders are:\n${kinds}`, { field: 'encoder' });
  }
  // Every encoder's vectors are checked where they enter: non-finite values are errors, zero vectors warnings.
  return checkedEncoder(await provider.create(s, { cacheDir: defaultCacheDir(), ...context }));
}

// Local model folders first: an existing folder such as "models/minilm" also looks like a Hub id.
import { onnxFolderProvider } from './onnx/provider';
encoderProviders.push(onnxFolderProvider);

// Fine-tuned runs ("run:<id>" or a run folder). Put first: a run folder is also a folder,
// which the local-model provider would otherwise claim.
import { runEncoderProvider } from '../train/run-encoder';
encoderProviders.unshift(runEncoderProvider);

// OpenAI-compatible endpoints ("http(s)://…") and Hugging Face Hub ids ("org/name", "hf:org/name@rev").
// After the local folder provider: a Hub-looking spec that names an existing path is a folder.
import { httpEncoderProvider } from './http/provider';
import { hubEncoderProvider } from './hub/provider';
encoderProviders.push(httpEncoderProvider, hubEncoderProvider);

// The built-in offline encoder ("builtin" or "builtin:<saved model>"): first, its prefix is unambiguous.
import { builtinEncoderProvider } from './builtin/provider';
encoderProviders.unshift(builtinEncoderProvider);
