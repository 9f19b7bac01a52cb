/**
 * The project's annotation guidelines: `guidelines.md` in the project folder, written by the
 * team, shown in the annotation view beside the rubric. The file is read as plain text (the
 * view renders a safe Markdown subset and never HTML); a missing file means no guidelines, a
 * file too large is cut and says so.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readTextFile } from '../util/fs';
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
