/** Annotation helpers: the public surface. */
export * from './suggest-pairs';
export * from './agreement';
export { candidatePool, type CandidatePair } from './candidates';
