/**
 * Finds the JSON object in a model's answer. Models asked for JSON still wrap it in prose or in a
 * ```json fence; the first balanced {...} that parses is taken. Returns the parse error otherwise.
 */
export function extractJsonObject(answer: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = answer.trim();
  if (!trimmed) return { ok: false, error: 'the answer is empty' };
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch {
    /* look for an object inside */
  }
  let lastError = 'the answer contains no JSON object';
  for (let start = trimmed.indexOf('{'); start >= 0; start = trimmed.indexOf('{', start + 1)) {
    const end = matchingBrace(trimmed, start);
    if (end < 0) {
      lastError = 'the JSON object in the answer is not closed';
      continue;
    }
    try {
      return { ok: true, value: JSON.parse(trimmed.slice(start, end + 1)) };
    } catch (err) {
      lastError = `the answer is not valid JSON (${(err as Error).message})`;
    }
  }
  return { ok: false, error: lastError };
}

/** The index of the brace closing the one at `start`, skipping strings; -1 when unclosed. */
function matchingBrace(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
