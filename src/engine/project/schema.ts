/**
 * project.json: its schema, defaults, validation (errors name the file and field) and
 * migrations from older schema versions.
 */
import { InputError } from '../util/errors';
import { nameProblem } from '../util/names';
import { prepareRules } from '../data/cleaning/registry';
import type { CleaningRuleSpec } from '../data/cleaning/rule';

export const PROJECT_SCHEMA_VERSION = 2;

/** One step of the similarity rubric annotators score pairs with. */
export interface RubricLevel {
  score: number;
  label: string;
  /** What the level means, shown under its label in the annotation view. */
  description?: string;
}

/** Keys 1–9 choose a level, so a rubric has at most nine. */
export const MAX_RUBRIC_LEVELS = 9;

export const DEFAULT_RUBRIC: readonly RubricLevel[] = [
  { score: 0, label: 'unrelated' },
  { score: 0.25, label: 'same broad topic or region' },
  { score: 0.5, label: 'same topic, or same country' },
  { score: 0.75, label: 'same topic and same country' },
  { score: 1, label: 'same event or very narrow topic' },
];

export interface DatasetEntry {
  /** Unique in the project; the records live in `file`. */
  name: string;
  /** Relative to the project folder: `data/<name>.jsonl`. */
  file: string;
  /** The file it was imported from (as given). */
  source: string;
  /** Field renames applied on import: new name → source column. */
  mapping: Record<string, string>;
  template: string;
  label?: string;
  idField?: string;
  count: number;
  /** Rows of the source that could not be imported. */
  skipped?: number;
  importedAt: string;
}

export interface ProjectConfig {
  schemaVersion: number;
  name: string;
  datasets: DatasetEntry[];
  /** The default text template for new datasets. */
  template: string;
  cleaning: CleaningRuleSpec[];
  /** Encoder spec, as `--encoder` takes it. */
  encoder: string;
  seeds: Record<string, number>;
  rubric: RubricLevel[];
}

export function defaultProjectConfig(name: string, options: { encoder?: string; template?: string; seed?: number } = {}): ProjectConfig {
  const seed = options.seed ?? 42;
  return {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name,
    datasets: [],
    template: options.template ?? '{text}',
    cleaning: [],
    encoder: options.encoder ?? 'builtin',
    seeds: { split: seed, umap: seed, kmeans: seed, train: seed, suggest: seed },
    rubric: DEFAULT_RUBRIC.map((r) => ({ ...r })),
  };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Migrations, each from version `from` to `from + 1`. Version 1 (written by the first
 * scaffold and import job) had no rubric and counted dataset rows as `records`.
 */
const MIGRATIONS: Record<number, (p: Json) => Json> = {
  1: (p) => ({
    ...p,
    schemaVersion: 2,
    rubric: p.rubric ?? DEFAULT_RUBRIC.map((r) => ({ ...r })),
    datasets: Array.isArray(p.datasets)
      ? p.datasets.map((d: unknown) => {
          if (!isObject(d)) return d;
          const { records, ...rest } = d;
          return {
            mapping: {},
            source: typeof d.file === 'string' ? d.file : '',
            importedAt: new Date(0).toISOString(),
            template: typeof p.template === 'string' ? p.template : '{text}',
            ...rest,
            count: typeof d.count === 'number' ? d.count : typeof records === 'number' ? records : 0,
          };
        })
      : p.datasets,
  }),
};

/** Brings an older project.json up to the current schema version. */
export function migrateProject(raw: unknown, file: string): { json: Json; migratedFrom?: number } {
  if (!isObject(raw)) throw new InputError('project.json must hold a JSON object', { file });
  const v = raw.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new InputError(`must be a positive integer, got ${JSON.stringify(v)}`, { file, field: 'schemaVersion' });
  if (v > PROJECT_SCHEMA_VERSION)
    throw new InputError(`is ${v}: this project was written by a newer Embedding Lab (this one reads up to ${PROJECT_SCHEMA_VERSION})`, {
      file,
      field: 'schemaVersion',
    });
  let json = raw;
  for (let from = v; from < PROJECT_SCHEMA_VERSION; from++) json = MIGRATIONS[from](json);
  return { json, migratedFrom: v < PROJECT_SCHEMA_VERSION ? v : undefined };
}

/** Validates a project.json of the current version; fields it does not know are kept. */
export function validateProject(raw: unknown, file: string): ProjectConfig {
  const { json } = migrateProject(raw, file);
  const fail = (field: string, problem: string): never => {
    throw new InputError(problem, { file, field });
  };
  const str = (v: unknown, field: string, allowEmpty = false): string =>
    typeof v === 'string' && (allowEmpty || v.trim() !== '') ? v : fail(field, `must be a ${allowEmpty ? '' : 'non-empty '}string, got ${JSON.stringify(v)}`);
  const name = str(json.name, 'name');
  const template = json.template === undefined ? '{text}' : str(json.template, 'template');
  const encoder = json.encoder === undefined ? 'builtin' : str(json.encoder, 'encoder');
  if (!Array.isArray(json.datasets)) fail('datasets', 'must be an array');
  const names = new Set<string>();
  const datasets = (json.datasets as unknown[]).map((d, i): DatasetEntry => {
    const f = `datasets[${i}]`;
    if (!isObject(d)) return fail(f, 'must be an object');
    const dn = str(d.name, `${f}.name`);
    const nameError = nameProblem(dn);
    if (nameError) fail(`${f}.name`, nameError);
    if (names.has(dn)) fail(`${f}.name`, `"${dn}" is used twice`);
    names.add(dn);
    const mapping = d.mapping ?? {};
    if (!isObject(mapping) || !Object.values(mapping).every((v) => typeof v === 'string')) fail(`${f}.mapping`, 'must map new field names to source fields');
    if (typeof d.count !== 'number' || !Number.isInteger(d.count) || d.count < 0) fail(`${f}.count`, 'must be a whole number ≥ 0');
    const entry: DatasetEntry = {
      ...d,
      name: dn,
      file: str(d.file, `${f}.file`),
      source: str(d.source ?? '', `${f}.source`, true),
      mapping: mapping as Record<string, string>,
      template: str(d.template ?? template, `${f}.template`),
      count: d.count as number,
      importedAt: str(d.importedAt ?? '', `${f}.importedAt`, true),
    };
    if (d.label !== undefined) entry.label = str(d.label, `${f}.label`);
    if (d.idField !== undefined) entry.idField = str(d.idField, `${f}.idField`);
    if (isUnsafeRelativePath(entry.file)) fail(`${f}.file`, 'must be a path inside the project folder');
    return entry;
  });
  const cleaning = json.cleaning ?? [];
  if (!Array.isArray(cleaning)) fail('cleaning', 'must be an array of rules');
  prepareRules(cleaning as unknown[], file);
  const seeds = json.seeds ?? {};
  if (!isObject(seeds)) fail('seeds', 'must be an object of numbers');
  for (const [k, v] of Object.entries(seeds as Json)) if (typeof v !== 'number' || !Number.isFinite(v)) fail(`seeds.${k}`, 'must be a number');
  if (!Array.isArray(json.rubric) || json.rubric.length === 0) fail('rubric', 'must be a non-empty array of {score, label, description?}');
  if ((json.rubric as unknown[]).length > MAX_RUBRIC_LEVELS) fail('rubric', `has ${(json.rubric as unknown[]).length} levels; at most ${MAX_RUBRIC_LEVELS} (keys 1–9 choose them)`);
  const rubric = (json.rubric as unknown[]).map((r, i): RubricLevel => {
    if (!isObject(r)) return fail(`rubric[${i}]`, 'must be an object {score, label, description?}');
    if (typeof r.score !== 'number' || r.score < 0 || r.score > 1) fail(`rubric[${i}].score`, 'must be a number in 0–1');
    const level: RubricLevel = { score: r.score as number, label: str(r.label, `rubric[${i}].label`) };
    if (r.description !== undefined) level.description = str(r.description, `rubric[${i}].description`, true);
    return level;
  });
  for (let i = 1; i < rubric.length; i++) if (rubric[i].score <= rubric[i - 1].score) fail(`rubric[${i}].score`, 'scores must increase');
  return {
    ...json,
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name,
    datasets,
    template,
    cleaning: cleaning as CleaningRuleSpec[],
    encoder,
    seeds: seeds as Record<string, number>,
    rubric,
  };
}

function isUnsafeRelativePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[a-zA-Z]:/.test(p) || p.split(/[\\/]/).includes('..');
}
