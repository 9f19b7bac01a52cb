/**
 * A run's name, tags and notes (kept in `runs/<id>/meta.jsonl`): the limits and the checks,
 * shared by the engine (which stores them), the CLI and the runs webview (which edits them).
 * They are plain text shown to people, never used in a path.
 */

export const MAX_RUN_NAME_LENGTH = 120;
export const MAX_TAG_LENGTH = 40;
export const MAX_TAGS = 20;
export const MAX_NOTES_LENGTH = 4000;

export interface RunMeta {
  name?: string;
  tags: string[];
  notes: string;
}

/** One change: the fields given replace the stored ones. */
export interface RunMetaPatch {
  name?: string;
  tags?: string[];
  notes?: string;
}

// C0/C1 control characters and bidi overrides; notes may keep tabs and newlines.
// eslint-disable-next-line no-control-regex -- what names and tags may not hold
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- what notes may not hold
const CONTROL_NOT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Why `name` is not a valid run name, or undefined. An empty name means "back to the default". */
export function runNameProblem(name: string): string | undefined {
  if (name.length > MAX_RUN_NAME_LENGTH) return `a run name has at most ${MAX_RUN_NAME_LENGTH} characters (this one has ${name.length})`;
  if (CONTROL.test(name)) return 'a run name may not contain control characters or line breaks';
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  if (tag.trim() === '') return 'a tag may not be empty';
  if (tag.length > MAX_TAG_LENGTH) return `a tag has at most ${MAX_TAG_LENGTH} characters (${JSON.stringify(tag.slice(0, 50))} has ${tag.length})`;
  if (CONTROL.test(tag)) return 'a tag may not contain control characters or line breaks';
  if (tag.includes(',')) return 'a tag may not contain a comma';
  return undefined;
}

export function tagsProblem(tags: readonly string[]): string | undefined {
  for (const t of tags) {
    const p = tagProblem(t);
    if (p) return p;
  }
  if (normaliseTags(tags).length > MAX_TAGS) return `a run has at most ${MAX_TAGS} tags`;
  return undefined;
}

export function notesProblem(notes: string): string | undefined {
  if (notes.length > MAX_NOTES_LENGTH) return `notes have at most ${MAX_NOTES_LENGTH} characters (these have ${notes.length})`;
  if (CONTROL_NOT_NEWLINE.test(notes)) return 'notes may not contain control characters other than tabs and line breaks';
  return undefined;
}

/** Trimmed, without duplicates (case-insensitive, the first spelling kept), in order. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim().replace(/\s+/g, ' ');
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

/** The first problem of a patch, naming its field, or undefined. */
export function runMetaPatchProblem(patch: RunMetaPatch): { field: 'name' | 'tags' | 'notes'; reason: string } | undefined {
  if (patch.name !== undefined) {
    const reason = typeof patch.name === 'string' ? runNameProblem(patch.name) : 'a run name is text';
    if (reason) return { field: 'name', reason };
  }
  if (patch.tags !== undefined) {
    const reason = Array.isArray(patch.tags) && patch.tags.every((t) => typeof t === 'string') ? tagsProblem(patch.tags) : 'tags are a list of text';
    if (reason) return { field: 'tags', reason };
  }
  if (patch.notes !== undefined) {
    const reason = typeof patch.notes === 'string' ? notesProblem(patch.notes) : 'notes are text';
    if (reason) return { field: 'notes', reason };
  }
  return undefined;
}
