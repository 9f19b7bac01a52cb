/** The text `embedlab annotations agreement` prints: Krippendorff's alpha and the rates behind it. */
import type { AgreementReport } from '../../engine/annotate/agreement';

const pct = (v: number | undefined) => `${(100 * (v ?? 0)).toFixed(0)}%`;

export function formatAgreement(r: AgreementReport): string[] {
  if (!r.pairs) return [`no pair has two annotators yet (annotators: ${r.annotators.join(', ') || 'none'})`];
  return [
    `Krippendorff's alpha (interval, 0–1 scale): ${r.alpha === undefined ? 'n/a (every score is the same)' : r.alpha.toFixed(3)}`,
    `pairs with two annotators or more: ${r.pairs}; annotators: ${r.annotators.join(', ')}`,
    `mean |Δ| ${r.meanAbsDiff?.toFixed(3)}, exact ${pct(r.exactAgreement)}, within one step ${pct(r.withinStep)}`,
    ...r.byAnnotatorPair.map((p) => `  ${p.a} ~ ${p.b}: ${p.pairs} pairs, mean |Δ| ${p.meanAbsDiff.toFixed(3)}, exact ${pct(p.exactAgreement)}`),
  ];
}
