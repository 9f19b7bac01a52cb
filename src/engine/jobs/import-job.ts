/**
 * The `import` job: a CSV/TSV/JSONL/JSON file into a project as a dataset (streaming; rows
 * that cannot be imported are counted and listed by line). The Import Data command and
 * `embedlab import` both run it.
 */
import type { JobOptions } from '../util/job';
import { importDataset, type ImportDatasetOptions, type ImportReport } from '../project/import-dataset';

export type ImportJobParams = Omit<ImportDatasetOptions, keyof JobOptions> & {
  projectDir: string;
  file: string;
};

export async function importJob(params: ImportJobParams, options: JobOptions): Promise<ImportReport> {
  const { projectDir, file, ...rest } = params;
  return importDataset(projectDir, file, { ...rest, signal: options.signal, onProgress: options.onProgress });
}
