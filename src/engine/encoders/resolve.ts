import type { Encoder } from './encoder';
import type { EncoderContext, EncoderProvider } from './provider';
import { encoderProviders } from './registry';
import { defaultCacheDir } from './cache-dir';
import { InputError } from '../util/errors';
import { checkedEncoder } from './checked-encoder';

export type { EncoderContext, EncoderProvider } from './provider';
export { defaultCacheDir } from './cache-dir';

function providersOf(context: EncoderContext | undefined): readonly EncoderProvider[] {
  return context?.providers ?? encoderProviders;
}

/** The kind of encoder a spec names ("builtin", "onnx-folder", "run", "http", "hub"), without building it. */
export function encoderKind(spec: string, context?: EncoderContext): string | undefined {
  const s = spec.trim();
  return providersOf(context).find((p) => p.matches(s))?.kind;
}

/** Builds the encoder `spec` names with the first matching provider of `context.providers` (default: the registry). */
export async function resolveEncoder(spec: string, context: EncoderContext = {}): Promise<Encoder> {
  const s = spec.trim();
  const providers = providersOf(context);
  const provider = providers.find((p) => p.matches(s));
  if (!provider) {
    const kinds = providers.map((p) => `  ${p.kind}: ${p.describe}`).join('\n');
    throw new InputError(`unknown encoder "${spec}". Encoders are:\n${kinds}`, { field: 'encoder' });
  }
  // Every encoder's vectors are checked where they enter: non-finite values are errors, zero vectors warnings.
  return checkedEncoder(await provider.create(s, { cacheDir: defaultCacheDir(), ...context }, resolveEncoder));
}
