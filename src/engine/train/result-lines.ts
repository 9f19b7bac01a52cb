/**
 * What a training run chose and how it ended, as lines for people: `embedlab train` prints them
 * and the Fine-tune… notification shows them (the loss chosen from the data, the pairs kept, a
 * small evaluation set, the epochs, early stopping and the best epoch).
 */
import type { TrainResult } from './settings';

/** "stopped early after epoch 5 of 10 (no better evaluation in 2); the model is epoch 3's", then the run's notes. */
export function trainingLines(r: Pick<TrainResult, 'stoppedEarly' | 'best' | 'epochs' | 'notes'>): string[] {
  const out: string[] = [];
  if (r.stoppedEarly) {
    const s = r.stoppedEarly;
    out.push(
      `stopped early after epoch ${s.epochs}${r.epochs ? ` of ${r.epochs}` : ''} (no better evaluation in ${s.patience})${r.best?.epoch !== undefined ? `; the model is epoch ${r.best.epoch}'s, the best` : ''}`,
    );
  }
  for (const n of r.notes ?? []) out.push(`note    ${n}`);
  return out;
}
