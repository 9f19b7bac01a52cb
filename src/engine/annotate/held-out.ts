/**
 * The active loop's fixed held-out part of the annotations: a pair is held out when a hash of
 * its two ids (in either order) falls under the percentage. The choice depends on the pair
 * only, never on how many pairs there are or in what order they came, so a pair held out once
 * is held out in every later run and no run ever trains on it.
 */
import { createHash } from 'node:crypto';
import { pairKey } from '../project/annotations';
import { InputError } from '../util/errors';

/** 0–99, from the pair's ids (order-free). */
export function pairBucket(id1: string, id2: string): number {
  return createHash('sha256').update(pairKey(id1, id2), 'utf8').digest().readUInt32BE(0) % 100;
}

/** True when the pair belongs to the held-out part (`percent` of all pairs, 0–100). */
export function isHeldOutPair(id1: string, id2: string, percent: number): boolean {
  if (!(percent >= 0 && percent <= 100)) throw new InputError(`the held-out share must be a percentage in [0, 100], got ${percent}`, { field: 'heldOutPercent' });
  return pairBucket(id1, id2) < percent;
}

/** Splits pairs into the part a run may train on and the fixed held-out part. */
export function splitHeldOut<T extends { id1: string; id2: string }>(pairs: Iterable<T>, percent: number): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const p of pairs) (isHeldOutPair(p.id1, p.id2, percent) ? heldOut : train).push(p);
  return { train, heldOut };
}
