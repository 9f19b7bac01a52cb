import registry from '../../../../models/known-models.json';

/** One entry of `models/known-models.json`. */
export interface KnownModel {
  id: string;
  languages: string[];
  architecture: string;
  tokenizer: string;
  pooling: string;
  normalize: boolean;
  maxSeqLength: number;
  dimension: number;
  prefixes: { query?: string; passage?: string };
}

/** Every model of the registry. */
export function knownModels(): readonly KnownModel[] {
  return registry.models as KnownModel[];
}

/**
 * Finds a registry entry from a Hub id ("intfloat/multilingual-e5-small"), a name ("multilingual-e5-small")
 * or a path whose last segment is the name ("…/models--intfloat--multilingual-e5-small", "./e5-small").
 */
export function findKnownModel(nameOrPath: string): KnownModel | undefined {
  const s = nameOrPath.replace(/[\\/]+$/, '');
  const exact = knownModels().find((m) => m.id.toLowerCase() === s.toLowerCase());
  if (exact) return exact;
  const last = s.split(/[\\/]/).pop()!.toLowerCase().replace(/^models--/, '').replace(/--/g, '/');
  return knownModels().find((m) => m.id.toLowerCase() === last || m.id.split('/')[1].toLowerCase() === last.split('/').pop());
}
