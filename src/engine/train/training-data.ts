/**
 * Training and evaluation data for fine-tuning, read from a CSV/JSONL/JSON file and checked
 * before any training starts. Four shapes:
 * - scored pairs (text1, text2, score in 0–1): annotations, STSb;
 * - (anchor, positive) pairs from two fields, e.g. (title, summary);
 * - labelled texts (similarity groups): a text template and a label field;
 * - plain texts (DEC), labels optional (used only to evaluate).
 */
import { InputError } from '../util/errors';
import { readRecords, type SkippedRow } from '../data/read-records';
import { loadTexts } from '../data/load-texts';
import { fieldNumber, fieldText } from '../data/field-values';
import { skipReportOf, strictSkipError, type SkipReport } from '../data/skip-report';
import type { JobOptions } from '../util/job';
import type { LossName } from './losses/index';

export type DataKind = 'scored' | 'pairs' | 'labelled' | 'texts';

/** Which fields hold what. Defaults: text1, text2, score, label; text template "{text}". */
export interface DataFields {
  text1?: string;
  text2?: string;
  score?: string;
  /** A text template such as "{title}. {description}" (labelled texts and DEC). */
  text?: string;
  label?: string;
}

export interface ScoredPairs {
  kind: 'scored';
  file: string;
  text1: string[];
  text2: string[];
  scores: Float32Array;
}
export interface AnchorPairs {
  kind: 'pairs';
  file: string;
  anchors: string[];
  positives: string[];
}
export interface LabelledTexts {
  kind: 'labelled';
  file: string;
  texts: string[];
  labels: string[];
  /** Record ids (the `id` field, else file:line), for the run's held-out split. */
  ids?: string[];
}
export interface PlainTexts {
  kind: 'texts';
  file: string;
  texts: string[];
  labels?: string[];
  ids?: string[];
}
/** Every set carries the rows of its file that were skipped (bad rows, empty texts, no label). */
export type TrainingSet = (ScoredPairs | AnchorPairs | LabelledTexts | PlainTexts) & { skipped: SkipReport };

/** Skipped rows listed one by one in a run's config.json and summary.json (all are counted). */
const LISTED_SKIPS = 20;

/** The data shape a loss trains on, given the fields the user named. */
export function dataKindFor(loss: LossName, fields: DataFields): DataKind {
  switch (loss) {
    case 'cosine':
    case 'cosent':
      return 'scored';
    case 'triplet':
      return 'labelled';
    case 'dec':
      return 'texts';
    case 'mnr':
      return fields.label && !fields.text2 ? 'labelled' : 'pairs';
    case 'megabatch':
      return 'pairs';
  }
}

async function readPairs(
  file: string,
  f1: string,
  f2: string,
  scoreField: string | undefined,
  options: JobOptions & { strict?: boolean },
): Promise<{ a: string[]; b: string[]; scores: number[]; skipped: SkippedRow[] }> {
  const a: string[] = [];
  const b: string[] = [];
  const scores: number[] = [];
  const skipped: SkippedRow[] = [];
  const skip = (row: SkippedRow) => {
    if (options.strict) throw strictSkipError(file, row);
    skipped.push(row);
  };
  let rows = 0;
  for await (const rec of readRecords(file, { signal: options.signal, onSkip: skip })) {
    rows++;
    for (const field of scoreField ? [f1, f2, scoreField] : [f1, f2])
      if (rec.fields[field] === undefined || rec.fields[field] === null)
        throw new InputError(`the record has no "${field}"; its fields are ${Object.keys(rec.fields).join(', ')}`, {
          file,
          line: rec.line,
          field,
        });
    const t1 = fieldText(rec.fields[f1], { file, line: rec.line, field: f1 })!;
    const t2 = fieldText(rec.fields[f2], { file, line: rec.line, field: f2 })!;
    if (!t1.trim() || !t2.trim()) {
      skip({ line: rec.line, reason: 'empty text', field: t1.trim() ? f2 : f1 });
      continue;
    }
    if (scoreField) {
      const s = fieldNumber(rec.fields[scoreField], { file, line: rec.line, field: scoreField });
      if (s < 0 || s > 1)
        throw new InputError(`the score ${s} is outside 0–1; rescale the scores to 0–1 (e.g. divide 0–5 STS scores by 5)`, {
          file,
          line: rec.line,
          field: scoreField,
        });
      scores.push(s);
    }
    a.push(t1);
    b.push(t2);
    if (rows % 2000 === 0) options.onProgress?.({ stage: 'read', done: rows, total: 0 });
  }
  return { a, b, scores, skipped };
}

export interface LoadTrainingSetOptions extends JobOptions {
  requireTwoLabels?: boolean;
  /** Any skipped row is an InputError naming the file, line and field (default: skip, count and report). */
  strict?: boolean;
}

/**
 * Reads and checks a data file for `kind`. Bad data throws InputError naming the file,
 * line and field: an empty file, a missing field, a score that is not a decimal number or is
 * outside 0–1, fewer than two examples, or (for `requireTwoLabels`) a single-class label set.
 * Unreadable rows, empty texts and rows without a label are skipped and reported in the set's
 * `skipped` (with `strict`, the first one is an error instead).
 */
export async function loadTrainingSet(
  file: string,
  kind: DataKind,
  fields: DataFields,
  options: LoadTrainingSetOptions = {},
): Promise<TrainingSet> {
  let set: TrainingSet;
  if (kind === 'scored' || kind === 'pairs') {
    const f1 = fields.text1 ?? 'text1';
    const f2 = fields.text2 ?? 'text2';
    const r = await readPairs(file, f1, f2, kind === 'scored' ? (fields.score ?? 'score') : undefined, options);
    const skipped = skipReportOf(r.skipped, LISTED_SKIPS);
    set =
      kind === 'scored'
        ? { kind, file, text1: r.a, text2: r.b, scores: Float32Array.from(r.scores), skipped }
        : { kind, file, anchors: r.a, positives: r.b, skipped };
    if (r.a.length < 2) throw new InputError(`needs at least 2 usable pairs, found ${r.a.length}${skipNote(skipped)}`, { file });
  } else {
    if (kind === 'labelled' && !fields.label) throw new InputError('this loss trains on labelled texts: name the label field (--label)', { file, field: 'label' });
    const loaded = await loadTexts(file, {
      template: fields.text ?? '{text}',
      label: fields.label,
      signal: options.signal,
      onSkip: options.strict ? (row) => { throw strictSkipError(file, row); } : undefined,
    });
    const skipped = skipReportOf(loaded.skipped, LISTED_SKIPS);
    if (kind === 'labelled') set = { kind, file, texts: loaded.texts, labels: loaded.labels!, ids: loaded.ids, skipped };
    else set = { kind, file, texts: loaded.texts, labels: loaded.labels, ids: loaded.ids, skipped };
    if (loaded.texts.length < 2) throw new InputError(`needs at least 2 usable records, found ${loaded.texts.length}${skipNote(skipped)}`, { file });
    if (kind === 'labelled' && options.requireTwoLabels) checkLabelGroups(loaded.labels!, file, fields.label!);
  }
  return set;
}

function skipNote(r: SkipReport): string {
  const first = r.skippedRows[0];
  return first ? `; ${r.skipped} rows skipped, first at line ${first.line}: ${first.reason}` : '';
}

/** Triplet and label-grouped MNR need ≥2 labels and at least one label with ≥2 texts. */
export function checkLabelGroups(labels: readonly string[], file: string, field: string): void {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  if (counts.size < 2)
    throw new InputError(
      `a single-class label set (every record is "${labels[0]}"): training on label groups needs at least two labels`,
      { file, field },
    );
  if (![...counts.values()].some((c) => c >= 2))
    throw new InputError('every label has a single record: training on label groups needs labels with at least two records', {
      file,
      field,
    });
}

/** Number of examples in a set. */
export function setSize(set: TrainingSet): number {
  return set.kind === 'scored' ? set.text1.length : set.kind === 'pairs' ? set.anchors.length : set.texts.length;
}

/** One key per example (its text, or its two texts), to find the examples two sets share. */
export function exampleKeys(set: TrainingSet): string[] {
  if (set.kind === 'scored') return set.text1.map((t, i) => `${t}\u0000${set.text2[i]}`);
  if (set.kind === 'pairs') return set.anchors.map((t, i) => `${t}\u0000${set.positives[i]}`);
  return set.texts;
}

/** Every text of a set (with repeats), for embedding once. */
export function setTexts(set: TrainingSet): string[] {
  if (set.kind === 'scored') return [...set.text1, ...set.text2];
  if (set.kind === 'pairs') return [...set.anchors, ...set.positives];
  return [...set.texts];
}

/** The examples at `indices`, as a new set of the same kind. */
export function subset<T extends TrainingSet>(set: T, indices: readonly number[]): T {
  const pick = <V>(xs: readonly V[]) => indices.map((i) => xs[i]);
  switch (set.kind) {
    case 'scored':
      return { ...set, text1: pick(set.text1), text2: pick(set.text2), scores: Float32Array.from(indices, (i) => set.scores[i]) };
    case 'pairs':
      return { ...set, anchors: pick(set.anchors), positives: pick(set.positives) };
    case 'labelled':
      return { ...set, texts: pick(set.texts), labels: pick(set.labels), ids: set.ids ? pick(set.ids) : undefined };
    case 'texts':
      return { ...set, texts: pick(set.texts), labels: set.labels ? pick(set.labels) : undefined, ids: set.ids ? pick(set.ids) : undefined };
  }
}
