/**
 * A suggested pair (from the `suggestPairs` job) as the annotation view shows it: the two
 * records' fields with the content words they share marked (`engine/annotate/shared-terms.ts`),
 * their details, and, in the disagreement queue, every annotator's score and this annotator's.
 * No vscode import: unit-tested on its own.
 */
import type { PairView, RecordField } from '../../protocol/annotate';
import type { SuggestedRecordPair } from '../../engine/jobs/suggest-job';
import { sharedTerms } from '../../engine/annotate/shared-terms';

/** Shared words listed above the texts (all are marked in them). */
const LISTED_TERMS = 12;

export function toPairView(p: SuggestedRecordPair): PairView {
  const shared = sharedTerms(p.left, p.right);
  const withSpans = (fields: SuggestedRecordPair['left'], spans: number[][]): RecordField[] =>
    fields.map((f, i) => (spans[i]?.length ? { name: f.name, value: f.value, shared: spans[i] } : { name: f.name, value: f.value }));
  const view: PairView = {
    id1: p.id1,
    id2: p.id2,
    left: { id: p.id1, fields: withSpans(p.left, shared.left), ...p.leftDetails },
    right: { id: p.id2, fields: withSpans(p.right, shared.right), ...p.rightDetails },
    strategy: p.strategy,
  };
  if (p.similarity !== undefined) view.similarity = p.similarity;
  if (p.similarity2 !== undefined) view.similarityRun = p.similarity2;
  if (shared.terms.length) view.sharedTerms = shared.terms.slice(0, LISTED_TERMS);
  if (p.agreement) view.agreement = { scores: p.agreement.scores, mean: p.agreement.mean, spread: p.agreement.spread };
  if (p.previous !== undefined) view.previous = { score: p.previous };
  if (p.prescore) view.hint = { ...p.prescore };
  return view;
}
