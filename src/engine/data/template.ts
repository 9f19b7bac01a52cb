import { InputError, type InputLocation } from '../util/errors';
import { fieldText } from './field-values';

/**
 * A text template such as "{title}. {summary}": fields in braces are replaced by the
 * record's values. `{{` and `}}` stand for literal braces. A bare field name without
 * braces ("title") is accepted as "{title}".
 */
export interface Template {
  source: string;
  fields: string[];
  /** The text; a field holding an object or array is an InputError naming `where` and the field. */
  render(record: Record<string, unknown>, where?: InputLocation): string;
  /** True when every field of the template is absent or only whitespace ("." is not empty). */
  isEmpty(record: Record<string, unknown>): boolean;
}

export function compileTemplate(source: string): Template {
  const text = /[{}]/.test(source) ? source : `{${source}}`;
  const parts: Array<{ literal: string } | { field: string }> = [];
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
      let out = '';
      for (const p of parts) {
        if ('literal' in p) out += p.literal;
        else {
          out += fieldText(record[p.field], { ...where, field: p.field }) ?? '';
        }
      }
      return out.replace(/\s+/g, ' ').trim();
    },
    isEmpty(record) {
      return fields.every((f) => {
        const v = record[f];
        return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
      });
    },
  };
}
