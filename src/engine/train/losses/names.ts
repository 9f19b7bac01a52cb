/** The loss names (kept apart from the loss code so the CLI can list them without loading TensorFlow.js). */
export const LOSS_NAMES = ['mnr', 'cosent', 'cosine', 'triplet', 'megabatch', 'dec'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export function isLossName(s: string): s is LossName {
  return (LOSS_NAMES as readonly string[]).includes(s);
}
