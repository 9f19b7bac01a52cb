/**
 * The `clean` job: preview cleaning rules on a project dataset (per rule: changed and
 * removed counts with before/after examples), or apply them (the dataset file is
 * rewritten atomically and the rules are saved in project.json).
 */
import type { JobOptions } from '../util/job';
import { previewCleaning, applyCleaning, type CleaningReport } from '../data/cleaning/apply';
import { openProject, findDataset, datasetPath, updateProject } from '../project/store';
import { readDatasetFile, writeDatasetFile } from '../project/dataset-file';
import type { CleaningRuleSpec } from '../data/cleaning/rule';

export interface CleanJobParams {
  projectDir: string;
  dataset: string;
  rules: CleaningRuleSpec[];
  apply?: boolean;
  /** Examples kept per rule (default 3). */
  examples?: number;
  /** Longest example text kept whole (default 240); see CleaningOptions.exampleChars. */
  exampleChars?: number;
  /** Preview only: rules marked true are measured but not applied (the Clean Data panel's switched-off rules). */
  measureOnly?: boolean[];
}

/** The report without the full removed list (it can be long): count + the first 200. */
export type CleanJobResult = Omit<CleaningReport, 'removed'> & { removedCount: number; removed: CleaningReport['removed']; applied: boolean };

export async function cleanJob(params: CleanJobParams, options: JobOptions): Promise<CleanJobResult> {
  const project = await openProject(params.projectDir);
  const dataset = findDataset(project, params.dataset);
  const file = datasetPath(project, dataset);
  const records = await readDatasetFile(file, options);
  const cleanOptions = {
    examples: params.examples ?? 3,
    exampleChars: params.exampleChars,
    measureOnly: params.measureOnly,
    signal: options.signal,
    onProgress: options.onProgress,
  };
  let report: CleaningReport;
  if (params.apply) {
    const res = await applyCleaning(records, params.rules, cleanOptions);
    report = res.report;
    await writeDatasetFile(file, res.records, { signal: options.signal });
    await updateProject(project.dir, (c) => {
      c.cleaning = params.rules;
      const d = c.datasets.find((x) => x.name === params.dataset);
      if (d) {
        d.count = res.records.length;
        Object.assign(d, { cleaning: params.rules, cleanedAt: new Date().toISOString() });
      }
    });
  } else {
    report = await previewCleaning(records, params.rules, cleanOptions);
  }
  const { removed, ...rest } = report;
  return { ...rest, removedCount: removed.length, removed: removed.slice(0, 200), applied: !!params.apply };
}
