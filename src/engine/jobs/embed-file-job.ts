/**
 * The `embedFile` job (`embedlab embed`): one vector per readable row of a data file, in
 * file order, written to `out` (.npy, or the project vector format), with the row ids one
 * a line in `<out without extension>.ids.txt`.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import type { TextRole } from '../encoders/encoder';
import { writeNpy, writeVectorFile } from '../encoders/vector-file';
import { InputError } from '../util/errors';
import { writeFileAtomic } from '../util/fs';
import { skipReportOf, type SkipReport } from '../data/skip-report';
import type { JobContext } from './job-context';
import { loadFileTexts, withEmbeddedTexts, type EncoderParams, type FileTextsParams } from './file-texts';

export interface EmbedFileParams extends FileTextsParams, EncoderParams {
  out: string;
  /** Skip (and count) rows whose template fields are all empty; by default they are embedded as an empty text. */
  skipEmpty?: boolean;
  /** Adds the model's prefix (e5 "query: "). */
  role?: TextRole;
}

export interface EmbedFileResult extends SkipReport {
  file: string;
  out: string;
  idsFile: string;
  format: 'npy' | 'embedlab-f32';
  rows: number;
  dimension: number;
  encoder: string;
  normalized: boolean;
  seconds: number;
}

/** `x.npy` → `x.ids.txt`: the ids of the rows, one a line, written beside every vector file. */
export function idsFileFor(out: string): string {
  const base = path.basename(out);
  const dot = base.lastIndexOf('.');
  return path.join(path.dirname(out), `${dot > 0 ? base.slice(0, dot) : base}.ids.txt`);
}

/** The ids file's text; an id holding a line break would shift every later line, so it is an error. */
function idsText(file: string, ids: readonly string[], lines: readonly number[]): string {
  ids.forEach((id, i) => {
    if (/[\r\n]/.test(id)) throw new InputError('the id holds a line break, which the ids file (one id a line) cannot keep', { file, line: lines[i], field: 'id' });
  });
  return ids.map((id) => id + '\n').join('');
}

export async function embedFileJob(params: EmbedFileParams, ctx: JobContext): Promise<EmbedFileResult> {
  const { file, out } = params;
  const started = performance.now();
  const loaded = await loadFileTexts(params, ctx, { purpose: 'embedding', keepEmpty: params.skipEmpty !== true });
  const idsOut = idsFileFor(out);
  const ids = idsText(file, loaded.ids, loaded.lines);
  return withEmbeddedTexts(params, ctx, loaded.texts, { role: params.role, ids: loaded.ids }, async (m, encoder) => {
    const format = out.toLowerCase().endsWith('.npy') ? 'npy' : 'embedlab-f32';
    if (format === 'npy') writeNpy(out, m);
    else {
      const textHash = crypto.createHash('sha256').update(loaded.texts.join('\u0000')).digest('hex').slice(0, 16);
      writeVectorFile(out, m, {
        encoder: encoder.id,
        normalized: encoder.normalized,
        ids: loaded.ids,
        textHash,
        createdAt: new Date().toISOString(),
      });
    }
    await writeFileAtomic(idsOut, ids);
    const seconds = (performance.now() - started) / 1000;
    return {
      file,
      out,
      idsFile: idsOut,
      format,
      rows: m.rows,
      dimension: m.cols,
      encoder: encoder.id,
      normalized: encoder.normalized,
      ...skipReportOf(loaded.skipped),
      seconds: Number(seconds.toFixed(3)),
    };
  });
}
