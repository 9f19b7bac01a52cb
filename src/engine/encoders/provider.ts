import type { Encoder } from './encoder';
import type { JobOptions } from '../util/job';

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
  /**
   * The providers to choose from, in order; default the registry's (`encoders/registry.ts`).
   * Tests and benchmarks put their own encoders here instead of changing the registry.
   */
  providers?: readonly EncoderProvider[];
}

/** Builds the encoder a spec names, with the same providers as the caller (see `resolve.ts`). */
export type ResolveEncoder = (spec: string, context: EncoderContext) => Promise<Encoder>;

/**
 * One kind of encoder. `matches` decides from the spec string alone (e.g. "builtin",
 * "./models/minilm", "sentence-transformers/all-MiniLM-L6-v2", "http://…/v1/embeddings",
 * "run:<id>"); `create` builds it. Providers that wrap another encoder (a run's base encoder,
 * a downloaded Hub folder) build it through `resolve`, never by importing the registry.
 */
export interface EncoderProvider {
  kind: string;
  /** What the spec looks like, for help texts and error messages. */
  describe: string;
  matches(spec: string): boolean;
  create(spec: string, context: EncoderContext, resolve: ResolveEncoder): Promise<Encoder>;
}
