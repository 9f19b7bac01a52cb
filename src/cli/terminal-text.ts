/**
 * Text the CLI prints can hold dataset text, file names and ids: a terminal would obey the
 * control sequences in them (ESC/OSC/CSI: retitle the window, clear the screen, fake a line;
 * C1 controls; bidi overrides that reorder what is shown). Every character of that kind is
 * printed as a visible `\uXXXX` escape instead. Newlines and tabs are kept.
 *
 * The same escape keeps `--json` exact: JSON.stringify already writes C0 controls as \uXXXX,
 * and the C1, bidi and separator characters it leaves raw become \uXXXX escapes, which
 * JSON.parse reads back as the very same characters.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
