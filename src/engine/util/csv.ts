/** One CSV cell (RFC 4180): quoted, with its quotes doubled, when it holds a quote, comma or line break. */
export function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
