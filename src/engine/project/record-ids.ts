/** Which record ids a project's datasets hold, for checking ids given by hand (annotations add). */
import { readRecords } from '../data/read-records';
import type { JobOptions } from '../util/job';
import { datasetPath, type Project } from './store';

/** The ids among `ids` that no dataset of the project holds (in the order given, without repeats). */
export async function idsInNoDataset(project: Project, ids: readonly string[], options: JobOptions = {}): Promise<string[]> {
  const missing = new Set(ids);
  for (const dataset of project.config.datasets) {
    if (missing.size === 0) break;
    for await (const rec of readRecords(datasetPath(project, dataset), { format: 'jsonl', signal: options.signal })) {
      const id = rec.fields.id;
      if (typeof id === 'string' && missing.delete(id) && missing.size === 0) break;
    }
  }
  return [...missing];
}
