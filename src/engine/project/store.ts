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
 *   <dir>/.project.json.lock  held while project.json is read, changed and written
 *
 * Every change of project.json goes through `updateProject`, under the lock, so that
 * processes changing the project at once (imports from several terminals, the extension
 * and the CLI) never lose each other's changes.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { writeFileAtomic, pathExists, readTextFile } from '../util/fs';
import { withFileLock } from '../util/file-lock';
import { checkName, MAX_NAME_LENGTH } from '../util/names';
import { defaultProjectConfig, validateProject, migrateProject, type ProjectConfig, type DatasetEntry } from './schema';

export interface ProjectPaths {
  dir: string;
  projectFile: string;
  /** The lock file of project.json's read-modify-write. */
  lock: string;
  dataDir: string;
  annotations: string;
  /** Topic names and cluster judgments (LLM answers, cached) and the user's topic renames. */
  topics: string;
  runs: string;
  cache: string;
  embeddingsCache: string;
}

/** Held while project.json is read, changed and written (store.ts `updateProject`). */
export const PROJECT_LOCK_FILE = '.project.json.lock';

export function projectPaths(dir: string): ProjectPaths {
  const d = path.resolve(dir);
  return {
    dir: d,
    projectFile: path.join(d, 'project.json'),
    lock: path.join(d, PROJECT_LOCK_FILE),
    dataDir: path.join(d, 'data'),
    annotations: path.join(d, 'annotations.jsonl'),
    topics: path.join(d, 'topics.json'),
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

/**
 * What the project's .gitignore must hold: the caches, the temp files of atomic writes
 * (`.<name>.<pid>.<time>.<n>.tmp`, left behind by a killed writer until the next write
 * removes them) and the lock of project.json (with its `.break` guard).
 */
export const GITIGNORE_LINES = ['.cache/', '.*.tmp', `${PROJECT_LOCK_FILE}*`, '.topics.json.lock*'] as const;

/** Creates a project in `dir` (made if missing); refuses a folder that already has a project.json. */
export async function createProject(dir: string, options: CreateProjectOptions = {}): Promise<Project> {
  const paths = projectPaths(dir);
  const name = options.name ?? path.basename(paths.dir);
  if (!name.trim()) throw new InputError('the project name is empty', { field: 'name' });
  const tooLong = paths.dir.split(path.sep).find((part) => Buffer.byteLength(part) > 255);
  if (tooLong !== undefined)
    throw new InputError(`the folder name "${tooLong.slice(0, 40)}…" has ${Buffer.byteLength(tooLong)} bytes, file systems allow 255`, { file: paths.dir });
  if (name.length > MAX_NAME_LENGTH) throw new InputError(`the project name has ${name.length} characters, at most ${MAX_NAME_LENGTH} are allowed`, { field: 'name' });
  await fs.mkdir(paths.dir, { recursive: true });
  return withFileLock(paths.lock, async () => {
    if (await pathExists(paths.projectFile)) throw new InputError('a project already exists here', { file: paths.projectFile });
    await fs.mkdir(paths.dataDir, { recursive: true });
    await fs.mkdir(paths.runs, { recursive: true });
    const config = defaultProjectConfig(name, options);
    await ensureGitignore(paths.dir);
    await writeProjectFile(paths, config);
    return { dir: paths.dir, paths, config };
  });
}

/**
 * Adds the lines of GITIGNORE_LINES that the project's .gitignore lacks (creating it if
 * missing), after the user's own lines, which are kept as they are.
 */
export async function ensureGitignore(dir: string): Promise<void> {
  const file = path.join(path.resolve(dir), '.gitignore');
  let text = '';
  try {
    text = await readTextFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l));
  if (missing.length === 0) return;
  const head = text === '' ? '' : text.endsWith('\n') ? text : text + '\n';
  const comment = text === '' ? '# Embedding Lab: caches (rebuilt on demand), temp files of interrupted writes, the project lock\n' : '# Embedding Lab\n';
  await writeFileAtomic(file, head + comment + missing.join('\n') + '\n');
}

/** Opens and validates a project; errors name project.json and the field. A UTF-8 BOM is accepted. */
export async function openProject(dir: string): Promise<Project> {
  const paths = projectPaths(dir);
  let text: string;
  try {
    text = await readTextFile(paths.projectFile);
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

/** Validates and writes project.json atomically; only under the project lock. */
async function writeProjectFile(paths: ProjectPaths, config: ProjectConfig): Promise<ProjectConfig> {
  const valid = validateProject(config, paths.projectFile);
  await writeFileAtomic(paths.projectFile, JSON.stringify(valid, null, 2) + '\n');
  return valid;
}

/**
 * The one way to change project.json: takes the project lock, re-reads the file, applies
 * `change` (which may also do other work that must not interleave with another change,
 * and may throw to change nothing), validates, writes atomically, adds what the
 * .gitignore lacks, and releases the lock. An older schemaVersion is migrated on the way.
 * Returns the project as written.
 */
export async function updateProject(dir: string, change: (config: ProjectConfig) => void | Promise<void>): Promise<Project> {
  const paths = (await openProject(dir)).paths; // a missing or broken project.json is reported before locking
  return withFileLock(paths.lock, async () => {
    const project = await openProject(dir);
    await change(project.config);
    project.config = await writeProjectFile(paths, project.config);
    project.migratedFrom = undefined;
    await ensureGitignore(paths.dir);
    return project;
  });
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
