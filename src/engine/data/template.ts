import { InputError, type InputLocation } from '../util/errors';
import { fieldText } from './field-values';

/**
 * A text template such as "{title}. {summary}": fields in braces are replaced by the
 * record's values. `{{` and `}}` stand for literal braces. A bare field name without
 * braces ("title") is accepted as "{title}".
 *
 * Rendering never changes a field's value: tabs, newlines, no-break spaces and runs of spaces
 * reach the tokenizer as they are (byte-level BPE and some SentencePiece tokenizers see them;
 * the whitespace cleaning rule is where a user chooses to normalise them). Only the literal
 * parts are tidied when fields are empty, see `renderParts`.
 */
export interface Template {
  source: string;
  fields: string[];
  /** The text; a field holding an object or array is an InputError naming `where` and the field. */
  render(record: Record<string, unknown>, where?: InputLocation): string;
  /** True when every field of the template is absent or only whitespace ("." is not empty). */
  isEmpty(record: Record<string, unknown>): boolean;
}

type Part = { literal: string } | { field: string };

export function compileTemplate(source: string): Template {
  const text = /[{}]/.test(source) ? source : `{${source}}`;
  const parts: Part[] = [];
  const re = /\{\{|\}\}|\{([^{}]+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
    if (m[0] === '{{') parts.push({ literal: '{' });
    else if (m[0] === '}}') parts.push({ literal: '}' });
    else parts.push({ field: m[1].trim() });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ literal: text.slice(last) });
  const fields = [...new Set(parts.flatMap((p) => ('field' in p ? [p.field] : [])))];
  if (fields.length === 0) throw new InputError(`the text template "${source}" names no field; write fields as {name}`);
  return {
    source,
    fields,
    render(record, where = {}) {
      return renderParts(parts, record, where);
    },
    isEmpty(record) {
      return fields.every((f) => {
        const v = record[f];
        return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
      });
    },
  };
}

/** Whitespace and separator punctuation at the start of a separator that ends up leading the text. */
const LEADING_SEPARATOR = /^[\s.,;:!?|/\u2013\u2014-]+/u;

/**
 * The template's parts with the record's values, verbatim. A value counts as present unless it is
 * missing, null or the empty string. Literal parts are kept where they frame present values: the
 * text before the first field only with the first field, the text after the last field only with the
 * last field, and between two present values the literal just before the second one (so an empty
 * field in "{a} - {b} - {c}" leaves "A - C", not "A -  - C"). When the first field is empty, the
 * separator that starts the text loses its leading whitespace and punctuation (". Summary" becomes
 * "Summary"). No present value gives the empty string.
 */
function renderParts(parts: readonly Part[], record: Record<string, unknown>, where: InputLocation): string {
  let out = '';
  let literal = '';
  let first = true;
  let any = false;
  let lastFieldPresent = false;
  for (const p of parts) {
    if ('literal' in p) {
      literal += p.literal;
      continue;
    }
    const value = fieldText(record[p.field], { ...where, field: p.field }) ?? '';
    lastFieldPresent = value !== '';
    if (lastFieldPresent) {
      out += first || any ? literal : literal.replace(LEADING_SEPARATOR, '');
      out += value;
      any = true;
    }
    literal = '';
    first = false;
  }
  if (!any) return '';
  return lastFieldPresent ? out + literal : out;
}
