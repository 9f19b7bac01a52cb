/**
 * The `exportAnnotations` job: the project's annotated pairs as JSONL or CSV, one row per pair
 * with its records' texts, the mean score and each annotator's score. The latest entry per
 * pair and annotator counts (corrections appended later win, undos withdraw, skips are no
 * score), as in training and agreement. Pairs whose records are in no dataset are exported
 * with empty texts and counted. Written to a temp file and renamed.
 */
import * as path from 'node:path';
import type { JobContext } from './job-context';
import { openProject, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { readAnnotations, currentAnnotations } from '../project/annotations';
import { writeFileAtomic } from '../util/fs';
import { csvCell } from '../util/csv';
import { InputError } from '../util/errors';

export interface ExportAnnotationsParams {
  projectDir: string;
  /** The file to write: .jsonl, or .csv. */
  out: string;
}

export interface ExportAnnotationsResult {
  out: string;
  pairs: number;
  /** Pairs with two annotators or more. */
  sharedPairs: number;
  /** Pairs naming a record that is in no dataset (exported with empty texts). */
  missingTexts: number;
  /** Lines of annotations.jsonl that could not be read (skipped, as everywhere). */
  badLines: number;
}

export async function exportAnnotationsJob(params: ExportAnnotationsParams, ctx: JobContext): Promise<ExportAnnotationsResult> {
  const format = path.extname(params.out).toLowerCase();
  if (format !== '.jsonl' && format !== '.csv') throw new InputError('the output must end in .jsonl or .csv', { file: params.out });
  const project = await openProject(params.projectDir);
  const log = await readAnnotations(project.paths.annotations);
  const texts = new Map<string, string>();
  for (const d of project.config.datasets) for (const r of await readDatasetFile(datasetPath(project, d), ctx)) texts.set(r.id, r.text);
  const { scores } = currentAnnotations(log.entries);
  const annotators = [...new Set([...scores.values()].flatMap((p) => Object.keys(p.byAnnotator)))].sort();
  let missingTexts = 0;
  let sharedPairs = 0;
  const rows = [...scores.values()].map((p) => {
    const text1 = texts.get(p.id1);
    const text2 = texts.get(p.id2);
    if (text1 === undefined || text2 === undefined) missingTexts++;
    if (Object.keys(p.byAnnotator).length > 1) sharedPairs++;
    return { id1: p.id1, id2: p.id2, text1: text1 ?? '', text2: text2 ?? '', score: p.score, annotators: p.byAnnotator, time: p.time };
  });
  const body =
    format === '.jsonl'
      ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '')
      : [['id1', 'id2', 'text1', 'text2', 'score', ...annotators.map((a) => `score:${a}`), 'time'].map(csvCell).join(','),
        ...rows.map((r) => [r.id1, r.id2, r.text1, r.text2, r.score, ...annotators.map((a) => r.annotators[a] ?? ''), r.time].map(csvCell).join(','))].join('\n') + '\n';
  await writeFileAtomic(params.out, body);
  return { out: params.out, pairs: rows.length, sharedPairs, missingTexts, badLines: log.problems.length + log.cutLines.length + (log.truncatedTail ? 1 : 0) };
}
