/**
 * The project's annotation guidelines: `guidelines.md` in the project folder, written by the
 * team, shown in the annotation view beside the rubric. The file is read as plain text (the
 * view renders a safe Markdown subset and never HTML); a missing file means no guidelines, a
 * file too large is cut and says so.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pathExists, readTextFile, writeFileAtomic } from '../util/fs';
import { InputError } from '../util/errors';

export const GUIDELINES_FILE = 'guidelines.md';
/** Characters shown; guidelines longer than this are cut. */
export const MAX_GUIDELINES_CHARS = 100_000;

export interface Guidelines {
  /** The file's name, relative to the project folder. */
  file: string;
  text: string;
  /** True when the file was longer than MAX_GUIDELINES_CHARS and was cut. */
  truncated: boolean;
}

/** The project's guidelines, or undefined when it has no guidelines.md. */
export async function readGuidelines(projectDir: string): Promise<Guidelines | undefined> {
  const file = path.join(projectDir, GUIDELINES_FILE);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!stat.isFile()) throw new InputError('must be a Markdown file, not a folder', { file });
  const text = (await readTextFile(file)).replace(/\r\n?/g, '\n');
  if (text.includes('\u0000')) throw new InputError('is not a text file (it holds NUL bytes)', { file });
  const truncated = text.length > MAX_GUIDELINES_CHARS;
  return { file: GUIDELINES_FILE, text: truncated ? text.slice(0, MAX_GUIDELINES_CHARS) : text, truncated };
}

/** A first guidelines.md from the project's rubric, for the team to edit. */
export function guidelinesTemplate(rubric: readonly { score: number; label: string; description?: string }[]): string {
  return [
    '# Annotation guidelines',
    '',
    `How close in meaning are the two texts? Choose the level that fits best (keys 1–${rubric.length}).`,
    '',
    ...rubric.map((r) => `- **${r.score}** ${r.label}${r.description ? `: ${r.description}` : ''}`),
    '',
    'Write here what your team agreed on: examples of each level, borderline cases, what to skip (S).',
    '',
    '> The levels themselves are in project.json ("rubric": score, label, description).',
    '',
  ].join('\n');
}

/** The guidelines file, created from `guidelinesTemplate` when the project has none yet. */
export async function ensureGuidelines(projectDir: string, rubric: readonly { score: number; label: string; description?: string }[]): Promise<string> {
  const file = path.join(projectDir, GUIDELINES_FILE);
  if (!(await pathExists(file))) await writeFileAtomic(file, guidelinesTemplate(rubric));
  return file;
}
