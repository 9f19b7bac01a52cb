import type { CleaningRuleSpec } from '../../../engine/data/cleaning/rule';
import type { CleanJobResult } from '../../../engine/jobs/clean-job';

/**
 * What the Clean Data panel needs from the project; the host implements it with the `clean`
 * engine job (src/engine/jobs/clean-job.ts).
 */
export interface CleanSource {
  readonly title: string;
  /** Opaque key identifying the project and dataset across restarts. */
  readonly restoreKey: string;
  readonly dataset: string;
  /** Records in the dataset now, and the rules last applied to it (empty when none). */
  describe(): Promise<{ records: number; lastApplied: CleaningRuleSpec[] }>;
  /** The preview report; undefined when `signal` cancelled it. `examples` per rule are kept. */
  preview(rules: CleaningRuleSpec[], measureOnly: boolean[], examples: number, signal: AbortSignal): Promise<CleanJobResult | undefined>;
  /** Asks the user to confirm `message` (modal); true to go on. */
  confirm(message: string, action: string): Promise<boolean>;
  /** Applies the rules (progress in a notification); undefined when cancelled. Refreshes the project view. */
  apply(rules: CleaningRuleSpec[]): Promise<CleanJobResult | undefined>;
}
