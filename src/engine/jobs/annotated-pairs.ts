/**
 * The project's scored pairs joined with their records' texts, for training on annotations
 * (Fine-tune… on "annotations" and the active loop). Pairs whose records are in no dataset
 * (a dataset removed or re-imported) are left out and said in a warning, never dropped unseen.
 */
import { InputError } from '../util/errors';
import type { JobOptions } from '../util/job';
import { openProject, projectPaths, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { readAnnotations, currentAnnotations } from '../project/annotations';

export interface AnnotatedPairText {
  id1: string;
  id2: string;
  text1: string;
  text2: string;
  /** The mean over the annotators who scored the pair. */
  score: number;
}

export interface AnnotatedPairTexts {
  /** The annotations file (for messages). */
  file: string;
  pairs: AnnotatedPairText[];
  /** Scored pairs, including those left out. */
  scored: number;
}

/** Every scored pair (all annotators) with both texts; needs at least `min` of them. */
export async function annotatedPairTexts(projectDir: string, options: JobOptions, min = 2): Promise<AnnotatedPairTexts> {
  const project = await openProject(projectDir);
  const log = await readAnnotations(projectPaths(projectDir).annotations);
  const current = currentAnnotations(log.entries);
  if (current.scores.size < min) {
    throw new InputError(`only ${current.scores.size} scored pair(s); annotate a few more pairs first`, { file: log.file });
  }
  const texts = new Map<string, string>();
  for (const d of project.config.datasets) {
    for (const r of await readDatasetFile(datasetPath(project, d), options)) texts.set(r.id, r.text);
  }
  const pairs: AnnotatedPairText[] = [];
  const leftOut: string[] = [];
  for (const p of current.scores.values()) {
    const text1 = texts.get(p.id1);
    const text2 = texts.get(p.id2);
    if (text1 !== undefined && text2 !== undefined) pairs.push({ id1: p.id1, id2: p.id2, text1, text2, score: p.score });
    else leftOut.push(`"${p.id1}" ~ "${p.id2}"`);
  }
  if (pairs.length < min) throw new InputError('the annotated pairs name records that are in no dataset', { file: log.file });
  if (leftOut.length)
    options.onProgress?.({
      stage: 'warning',
      done: leftOut.length,
      total: current.scores.size,
      message: `${leftOut.length} of ${current.scores.size} scored pairs name a record that is in no dataset and are left out (first: ${leftOut[0]})`,
    });
  return { file: log.file, pairs, scored: current.scores.size };
}

/** The training-file lines of pairs: {text1, text2, score}. */
export function pairLines(pairs: readonly AnnotatedPairText[]): string {
  return pairs.map((p) => JSON.stringify({ text1: p.text1, text2: p.text2, score: p.score })).join('\n') + '\n';
}

/** The fields of a file written by `pairLines`. */
export const PAIR_FIELDS = { text1: 'text1', text2: 'text2', score: 'score' } as const;
