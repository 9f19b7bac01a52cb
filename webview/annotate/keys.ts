/** Keyboard mapping of the annotation view (pure). */

export type AnnotateAction =
  | { type: 'score'; anchor: number }
  | { type: 'skip' }
  | { type: 'undo' }
  | { type: 'back' }
  /** Show more / show less of long texts. */
  | { type: 'more' }
  /** Show or hide the records' labels and other fields. */
  | { type: 'details' }
  /** Show or hide the project's guidelines. */
  | { type: 'guidelines' }
  /** Switch between annotating and reviewing the annotated pairs. */
  | { type: 'review' }
  /** Mark or stop marking the words both texts share. */
  | { type: 'highlight' }
  /** Escape: leave review mode, close the guidelines. */
  | { type: 'escape' };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The key went to an editable control (notes field, select): shortcuts must not fire. */
  inEditable?: boolean;
}

/**
 * 1–5 choose anchors 0…4 (up to `anchors`), s skips, u or Ctrl/Cmd+Z undoes, b or ← goes back,
 * m shows more (or less) of long texts, i shows the records' details (label and fields),
 * g the guidelines, r review mode, h the shared-word marks, Escape leaves review mode.
 * Returns undefined for anything else, and for every key typed in an editable control.
 */
export function actionForKey(e: KeyInput, anchors = 5): AnnotateAction | undefined {
  if (e.inEditable) return undefined;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && e.key.toLowerCase() === 'z') return { type: 'undo' };
  if (mod || e.altKey) return undefined;
  if (/^[1-9]$/.test(e.key)) {
    const anchor = Number(e.key) - 1;
    return anchor < anchors ? { type: 'score', anchor } : undefined;
  }
  switch (e.key) {
    case 's': case 'S': return { type: 'skip' };
    case 'u': case 'U': return { type: 'undo' };
    case 'b': case 'B': case 'ArrowLeft': return { type: 'back' };
    case 'm': case 'M': return { type: 'more' };
    case 'i': case 'I': return { type: 'details' };
    case 'g': case 'G': return { type: 'guidelines' };
    case 'r': case 'R': return { type: 'review' };
    case 'h': case 'H': return { type: 'highlight' };
    case 'Escape': return { type: 'escape' };
    default: return undefined;
  }
}

/** Is this element (the first of an event's composed path) a place where the user types? */
export function isEditableTag(tagName: string, contentEditable = false): boolean {
  const t = tagName.toUpperCase();
  return contentEditable || t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT' || t === 'VSCODE-TEXTAREA' || t === 'VSCODE-TEXTFIELD' || t === 'VSCODE-SINGLE-SELECT';
}
