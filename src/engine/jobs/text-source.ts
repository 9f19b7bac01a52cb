/** The texts of a job: given inline, a project dataset, or a data file read with a template. */
import type { JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import { openProject, findDataset, datasetPath } from '../project/store';
import { readDatasetFile } from '../project/dataset-file';
import { loadTexts } from '../data/load-texts';
import type { TextSource } from './job-types';

export interface LoadedSource {
  ids: string[];
  texts: string[];
  labels?: string[];
}

export async function loadSource(source: TextSource, options: JobOptions): Promise<LoadedSource> {
  if (source.texts) return { ids: source.texts.map((_, i) => String(i)), texts: source.texts };
  if (source.projectDir && source.dataset) {
    const project = await openProject(source.projectDir);
    const records = await readDatasetFile(datasetPath(project, findDataset(project, source.dataset)), options);
    const hasLabels = records.some((r) => r.label !== undefined);
    return {
      ids: records.map((r) => r.id),
      texts: records.map((r) => r.text),
      labels: hasLabels ? records.map((r) => r.label ?? '') : undefined,
    };
  }
  if (!source.file) throw new InputError('give either texts or a data file', { field: 'file' });
  if (!source.template) throw new InputError('a data file needs a text template', { field: 'template' });
  const loaded = await loadTexts(source.file, { template: source.template, label: source.label, ...options });
  return { ids: loaded.ids, texts: loaded.texts, labels: loaded.labels };
}
