/**
 * How far a language model's pre-scores agree with the human scores, on the pairs that have both,
 * so the user can decide whether to trust them:
 *  - spearman: rank correlation of the model's scores with the human consensus (the mean over the
 *    pair's annotators, as training uses it);
 *  - alpha: Krippendorff's alpha (interval metric) with the model as one coder and the human
 *    consensus as the other;
 *  - meanAbsDiff, exact and withinStep (one rubric step) as for agreement between annotators;
 *  - the pairs where they differ most, for a look.
 */
import { pairKey, type AnnotationEntry, currentAnnotations } from '../project/annotations';
import { standingPrescores, type PrescoreEntry } from '../project/prescores';
import { spearman } from '../metrics/correlation';
import { krippendorffIntervalAlpha } from './agreement';

export interface LlmHumanPair {
  id1: string;
  id2: string;
  human: number;
  llm: number;
  reason?: string;
}

export interface LlmAgreementReport {
  /** Pairs with a human score and a standing pre-score. */
  pairs: number;
  /** Pre-scored pairs, human-scored pairs (each whatever the other has). */
  prescored: number;
  humanScored: number;
  /** The model(s) behind the compared pre-scores. */
  models: string[];
  spearman?: number;
  alpha?: number;
  meanAbsDiff?: number;
  exact?: number;
  withinStep?: number;
  /** Up to `worst` pairs, largest |human − llm| first. */
  largestDifferences: LlmHumanPair[];
}

/** The report over the logs' current state (human undos and corrections applied). */
export function llmHumanAgreement(
  annotations: readonly AnnotationEntry[],
  prescores: readonly PrescoreEntry[],
  options: { model?: string; step?: number; worst?: number } = {},
): LlmAgreementReport {
  const step = options.step ?? 0.25;
  const human = currentAnnotations(annotations).scores;
  const machine = standingPrescores(prescores, options.model !== undefined ? { model: options.model } : {});
  const both: LlmHumanPair[] = [];
  for (const [key, p] of machine) {
    const h = human.get(key);
    if (!h || p.score === null) continue;
    both.push({ id1: h.id1, id2: h.id2, human: h.score, llm: p.score, ...(p.reason ? { reason: p.reason } : {}) });
  }
  const report: LlmAgreementReport = {
    pairs: both.length,
    prescored: machine.size,
    humanScored: human.size,
    models: [...new Set([...machine.values()].filter((p) => human.has(pairKey(p.id1, p.id2))).map((p) => p.model))].sort(),
    largestDifferences: [...both]
      .sort((a, b) => Math.abs(b.human - b.llm) - Math.abs(a.human - a.llm))
      .slice(0, options.worst ?? 10),
  };
  if (both.length === 0) return report;
  const diffs = both.map((p) => Math.abs(p.human - p.llm));
  report.meanAbsDiff = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  report.exact = diffs.filter((d) => d < 1e-9).length / diffs.length;
  report.withinStep = diffs.filter((d) => d <= step + 1e-9).length / diffs.length;
  if (both.length >= 2) {
    const rho = spearman(both.map((p) => p.llm), both.map((p) => p.human));
    if (Number.isFinite(rho)) report.spearman = rho;
  }
  const alpha = krippendorffIntervalAlpha(both.map((p) => [p.human, p.llm]));
  if (alpha !== undefined) report.alpha = alpha;
  return report;
}
