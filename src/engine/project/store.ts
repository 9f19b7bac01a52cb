/**
 * The project folder on disk: create, open (validate + migrate), save atomically, and
 * where each file lives.
 *
 *   <dir>/project.json        the config (schema.ts)
 *   <dir>/data/<name>.jsonl   datasets: {id, text, label?, fields} per line
 *   <dir>/annotations.jsonl   append-only pair scores (annotations.ts)
 *   <dir>/labels.jsonl        append-only labels given on the cluster map (map-labels.ts)
 *   <dir>/runs/               one folder per run
 *   <dir>/.cache/embeddings/  embedding caches (embedding-cache.ts), ignored by git
 *   <dir>/.cache/encoders/    fitted built-in encoders (encoders/builtin/fit-cache.ts)
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { writeFileAtomic, pathExists } from '../util/fs';
import { checkName, MAX_NAME_LENGTH } from '../util/names';
import { defaultProjectConfig, validateProject, migrateProject, type ProjectConfig, type DatasetEntry } from './schema';

export interface ProjectPaths {
  dir: string;
  projectFile: string;
  dataDir: string;
  annotations: string;
  runs: string;
  cache: string;
  embeddingsCache: string;
}

export function projectPaths(dir: string): ProjectPaths {
  const d = path.resolve(dir);
  return {
    dir: d,
    projectFile: path.join(d, 'project.json'),
    dataDir: path.join(d, 'data'),
    annotations: path.join(d, 'annotations.jsonl'),
    runs: path.join(d, 'runs'),
    cache: path.join(d, '.cache'),
    embeddingsCache: path.join(d, '.cache', 'embeddings'),
  };
}

export interface Project {
  dir: string;
  paths: ProjectPaths;
  config: ProjectConfig;
  /** Set when the file on disk had an older schemaVersion (it is rewritten on the next save). */
  migratedFrom?: number;
}

export interface CreateProjectOptions {
  name?: string;
  encoder?: string;
  template?: string;
  seed?: number;
}

const GITIGNORE = '# Embedding Lab: caches are rebuilt on demand\n.cache/\n';

/** Creates a project in `dir` (made if missing); refuses a folder that already has a project.json. */
export async function createProject(dir: string, options: CreateProjectOptions = {}): Promise<Project> {
  const paths = projectPaths(dir);
  if (await pathExists(paths.projectFile)) throw new InputError('a project already exists here', { file: paths.projectFile });
  const name = options.name ?? path.basename(paths.dir);
  if (!name.trim()) throw new InputError('the project name is empty', { field: 'name' });
  const tooLong = paths.dir.split(path.sep).find((part) => Buffer.byteLength(part) > 255);
  if (tooLong !== undefined)
    throw new InputError(`the folder name "${tooLong.slice(0, 40)}…" has ${Buffer.byteLength(tooLong)} bytes, file systems allow 255`, { file: paths.dir });
  if (name.length > MAX_NAME_LENGTH) throw new InputError(`the project name has ${name.length} characters, at most ${MAX_NAME_LENGTH} are allowed`, { field: 'name' });
  await fs.mkdir(paths.dataDir, { recursive: true });
  await fs.mkdir(paths.runs, { recursive: true });
  const config = defaultProjectConfig(name, options);
  await writeFileAtomic(path.join(paths.dir, '.gitignore'), GITIGNORE);
  await writeFileAtomic(paths.projectFile, JSON.stringify(config, null, 2) + '\n');
  return { dir: paths.dir, paths, config };
}

/** Opens and validates a project; errors name project.json and the field. */
export async function openProject(dir: string): Promise<Project> {
  const paths = projectPaths(dir);
  let text: string;
  try {
    text = await fs.readFile(paths.projectFile, 'utf8');
  } catch {
    throw new InputError('no project.json here; create one with `embedlab init`', { file: paths.projectFile });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON (${(e as Error).message})`, { file: paths.projectFile });
  }
  const { migratedFrom } = migrateProject(raw, paths.projectFile);
  const config = validateProject(raw, paths.projectFile);
  return { dir: paths.dir, paths, config, migratedFrom };
}

/** Writes project.json atomically after validating it. */
export async function saveProject(project: Project): Promise<void> {
  const config = validateProject(project.config, project.paths.projectFile);
  await writeFileAtomic(project.paths.projectFile, JSON.stringify(config, null, 2) + '\n');
  project.config = config;
  project.migratedFrom = undefined;
}

/** Re-reads project.json, applies `change`, validates and saves; returns the new project. */
export async function updateProject(dir: string, change: (config: ProjectConfig) => void): Promise<Project> {
  const project = await openProject(dir);
  change(project.config);
  await saveProject(project);
  return project;
}

export function findDataset(project: Project, name: string): DatasetEntry {
  const d = project.config.datasets.find((x) => x.name === name);
  if (!d)
    throw new InputError(
      `no dataset "${name}"; the project has ${project.config.datasets.map((x) => `"${x.name}"`).join(', ') || 'none yet (use `embedlab import`)'}`,
      { file: project.paths.projectFile, field: 'datasets' },
    );
  return d;
}

export function datasetPath(project: Project, dataset: DatasetEntry): string {
  return path.join(project.dir, dataset.file);
}

/** A valid dataset name: the shared name rule (util/names.ts). */
export function checkDatasetName(name: string): void {
  checkName(name, 'dataset name', 'name');
}
