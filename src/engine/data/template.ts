import { InputError } from '../util/errors';

/**
 * A text template such as "{title}. {summary}": fields in braces are replaced by the
 * record's values. `{{` and `}}` stand for literal braces. A bare field name without
 * braces ("title") is accepted as "{title}".
 */
export interface Template {
  source: string;
  fields: string[];
  render(record: Record<string, unknown>): string;
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
    render(record) {
      let out = '';
      for (const p of parts) {
        if ('literal' in p) out += p.literal;
        else {
          const v = record[p.field];
          out += v === undefined || v === null ? '' : String(v);
        }
      }
      return out.replace(/\s+/g, ' ').trim();
    },
  };
}
