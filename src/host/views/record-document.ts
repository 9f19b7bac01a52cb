/**
 * A dataset record as a read-only Markdown document (Find Similar's chosen result): its text,
 * label and other fields. Pure (no `vscode`): the command shows it through ReportDocuments.
 */
import type { DatasetRecord } from '../../engine/project/dataset-file';

export interface RecordContext {
  dataset: string;
  /** Similarity to the query, with the encoder's readable name. */
  score?: number;
  encoderName?: string;
}

/** One table cell: pipes escaped, line breaks as spaces, long values cut. */
function cell(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  const flat = s.replace(/\s*\r?\n\s*/g, ' ').replace(/\|/g, '\\|');
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

/** The text as its own paragraphs (Markdown line breaks kept; a leading "#" does not become a heading). */
function body(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^(\s*)([#>*+-]|\d+\.)(\s)/, '$1\\$2$3'))
    .join('  \n');
}

/** The document's tab title: "Record <id> · <dataset>" (no paths, no hashes). */
export function recordTitle(record: Pick<DatasetRecord, 'id'>, dataset: string): string {
  const id = record.id.length > 40 ? `${record.id.slice(0, 39)}…` : record.id;
  return `Record ${id} · ${dataset}`;
}

export function recordMarkdown(record: DatasetRecord, context: RecordContext): string {
  const facts = [`Dataset **${context.dataset}**`, `id \`${record.id.replace(/`/g, "'")}\``];
  if (record.label !== undefined) facts.push(`label **${record.label}**`);
  if (context.score !== undefined) facts.push(`similarity ${context.score.toFixed(3)}${context.encoderName ? ` (${context.encoderName})` : ''}`);
  const lines = [`# ${recordTitle(record, context.dataset)}`, '', facts.join(' · '), '', body(record.text), ''];
  const fields = Object.entries(record.fields);
  if (fields.length) {
    lines.push('## Fields', '', '| Field | Value |', '| --- | --- |');
    for (const [name, value] of fields) lines.push(`| ${cell(name)} | ${cell(value)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
