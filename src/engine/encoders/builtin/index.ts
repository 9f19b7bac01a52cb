export { BuiltinEncoder, BUILTIN_METHOD_VERSION, fitBuiltinEncoder, hashBuiltinState } from './encoder';
export type { BuiltinState } from './encoder';
export { saveBuiltinEncoder, loadBuiltinEncoder } from './model-file';
export { defaultBuiltinOptions } from './options';
export type { BuiltinOptions } from './options';
export { builtinEncoderProvider } from './provider';
export { normalizeText, wordTokens } from './tokenize';
