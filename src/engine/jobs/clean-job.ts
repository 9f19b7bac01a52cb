/**
 * The `clean` job: preview cleaning rules (per rule: changed and removed counts with
 * before/after examples), or apply them. The records are a project dataset (applying
 * rewrites the dataset file atomically and saves the rules in project.json) or a data
 * file read with a template (applying writes the cleaned records to `out`, never over the
 * input). The Clean Data panel and `embedlab clean` both run it.
 */
import * as path from 'node:path';
import type { JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import { previewCleaning, applyCleaning, type CleaningReport } from '../data/cleaning/apply';
import { openProject, findDataset, datasetPath, updateProject, type Project } from '../project/store';
import { readDatasetFile, writeDatasetFile, type DatasetRecord } from '../project/dataset-file';
import { loadTexts } from '../data/load-texts';
import type { SkippedRow } from '../data/read-records';
import type { CleaningRuleSpec } from '../data/cleaning/rule';

export interface CleanJobParams {
  /** The project of `dataset` (and whose saved rules `useSavedRules` takes). */
  projectDir?: string;
  /** A dataset of the project; or give `file` and `template`. */
  dataset?: string;
  /** A data file (CSV, JSONL, JSON) to clean instead of a dataset. */
  file?: string;
  /** The text template of `file`. */
  template?: string;
  /** The label field of `file`, kept with the records. */
  label?: string;
  /** Where `apply` writes the cleaned records of `file` (required then; must differ from `file`). */
  out?: string;
  rules: CleaningRuleSpec[];
  /** Use the project's saved rules instead of `rules` when it has some (the CLI without rule flags). */
  useSavedRules?: boolean;
  apply?: boolean;
  /** Examples kept per rule (default 3). */
  examples?: number;
  /** Longest example text kept whole (default 240); see CleaningOptions.exampleChars. */
  exampleChars?: number;
  /** Preview only: rules marked true are measured but not applied (the Clean Data panel's switched-off rules). */
  measureOnly?: boolean[];
  /** How many removed records the result lists (default 200); `removedCount` counts them all. */
  removedLimit?: number;
}

/** The report without the full removed list (it can be long): the count + the first `removedLimit`. */
export type CleanJobResult = Omit<CleaningReport, 'removed'> & {
  removedCount: number;
  removed: CleaningReport['removed'];
  applied: boolean;
  /** The file the records were read from (the dataset file, or `file`). */
  source: string;
  /** The rules run: `rules`, or the project's saved ones. */
  specs: CleaningRuleSpec[];
  rulesFromProject: boolean;
  /** The file written by `apply`. */
  written?: string;
  /** Rows of `file` that could not be read. */
  skipped: SkippedRow[];
};

interface CleanInput {
  project?: Project;
  source: string;
  records: DatasetRecord[];
  skipped: SkippedRow[];
}

async function readInput(params: CleanJobParams, options: JobOptions): Promise<CleanInput> {
  const project = params.projectDir !== undefined ? await openProject(params.projectDir) : undefined;
  if (params.file !== undefined) {
    if (params.template === undefined) throw new InputError('a data file needs a text template', { field: 'template' });
    if (params.apply && params.out === undefined) throw new InputError('applying the rules to a file needs an output file (the input is never overwritten)', { field: 'out' });
    if (params.apply && path.resolve(params.out!) === path.resolve(params.file)) throw new InputError('the output file must differ from the input file', { field: 'out' });
    const loaded = await loadTexts(params.file, { template: params.template, label: params.label, signal: options.signal });
    const records = loaded.texts.map((text, i) => ({ id: loaded.ids[i], text, ...(loaded.labels ? { label: loaded.labels[i] } : {}), fields: loaded.records[i] }));
    return { project, source: params.file, records, skipped: loaded.skipped };
  }
  if (!project || params.dataset === undefined) throw new InputError('give a project dataset or a data file to clean', { field: 'dataset' });
  const source = datasetPath(project, findDataset(project, params.dataset));
  return { project, source, records: await readDatasetFile(source, options), skipped: [] };
}

export async function cleanJob(params: CleanJobParams, options: JobOptions): Promise<CleanJobResult> {
  const { project, source, records, skipped } = await readInput(params, options);
  const rulesFromProject = params.useSavedRules === true && !!project && project.config.cleaning.length > 0;
  const rules = rulesFromProject ? project!.config.cleaning : params.rules;
  const cleanOptions = {
    examples: params.examples ?? 3,
    exampleChars: params.exampleChars,
    measureOnly: params.measureOnly,
    signal: options.signal,
    onProgress: options.onProgress,
  };
  let report: CleaningReport;
  let written: string | undefined;
  if (params.apply) {
    const res = await applyCleaning(records, rules, cleanOptions);
    report = res.report;
    if (params.file !== undefined) {
      written = params.out!;
      await writeDatasetFile(written, res.records, { signal: options.signal });
    } else {
      written = source;
      await writeDatasetFile(source, res.records, { signal: options.signal });
      await updateProject(project!.dir, (c) => {
        c.cleaning = rules;
        const d = c.datasets.find((x) => x.name === params.dataset);
        if (d) {
          d.count = res.records.length;
          Object.assign(d, { cleaning: rules, cleanedAt: new Date().toISOString() });
        }
      });
    }
  } else {
    report = await previewCleaning(records, rules, cleanOptions);
  }
  const { removed, ...rest } = report;
  return {
    ...rest,
    removedCount: removed.length,
    removed: removed.slice(0, params.removedLimit ?? 200),
    applied: !!params.apply,
    source,
    specs: rules,
    rulesFromProject,
    ...(written !== undefined ? { written } : {}),
    skipped,
  };
}
