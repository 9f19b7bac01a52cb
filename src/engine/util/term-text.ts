/**
 * The part of a text that term counting reads (the built-in encoder's TF-IDF, topic keywords):
 * its first MAX_TERM_TEXT_CHARS UTF-16 code units. A 10 MB text would otherwise hold millions of
 * token strings and n-gram ids at once (1.16 GB RSS for `embedlab cluster` on 31 rows); capped, it
 * costs what about a hundred news articles cost. Its vector then describes its opening pages.
 */
export const MAX_TERM_TEXT_CHARS = 20_000;

export function termText(text: string): string {
  return text.length > MAX_TERM_TEXT_CHARS ? text.slice(0, MAX_TERM_TEXT_CHARS) : text;
}
