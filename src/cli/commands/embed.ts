import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { progressPrinter } from '../progress';
import type { CliCommand } from '../command';
import { encoderOption, jsonOption, projectOption, seedOption } from '../command';
import { fileAndTemplate, loadFileTexts, templateOption, withEmbeddedTexts } from '../embed-texts';
import { UsageError } from '../args';
import type { TextRole } from '../../engine/encoders/encoder';
import { writeNpy, writeVectorFile } from '../../engine/encoders/vector-file';
import { InputError } from '../../engine/util/errors';
import { writeFileAtomic } from '../../engine/util/fs';
import { skipReportOf } from '../../engine/data/skip-report';
import { skipLines } from '../skip-lines';

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

/** `embedlab embed <file> --text "<template>" --encoder … --out <file>`: vectors to a file. */
export const embedCommand: CliCommand = {
  name: 'embed',
  summary: 'Embed the texts of a CSV/JSONL/JSON file and write the vectors (project format, or .npy)',
  usage:
    'embedlab embed <file> --text "<template>" [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--role query|passage] [--skip-empty] --out <file.f32|file.npy> [--json]\n' +
    '       One vector per input row, in file order (rows that cannot be read are skipped and reported); the row ids go\n' +
    '       to <out without extension>.ids.txt, one a line, in the order of the vectors (x.npy → x.ids.txt).',
  options: [
    templateOption,
    { name: 'out', kind: 'string', description: 'output file: .npy for NumPy, anything else for the project vector format; the ids go beside it in <name>.ids.txt' },
    {
      name: 'skip-empty',
      kind: 'boolean',
      description: 'skip (and count) rows whose template fields are all empty or whitespace; by default they are encoded as the model encodes an empty text',
    },
    encoderOption,
    projectOption,
    { name: 'role', kind: 'string', description: 'query or passage: adds the model prefix (e5 "query: ")', choices: ['query', 'passage'] },
    seedOption,
    jsonOption,
  ],
  async run(ctx) {
    const { file, template } = fileAndTemplate(ctx);
    const out = ctx.args.options.out;
    if (typeof out !== 'string') throw new UsageError('missing --out <file>');
    const started = performance.now();
    const skipEmpty = ctx.args.options['skip-empty'] === true;
    const loaded = await loadFileTexts(ctx, file, template, undefined, { keepEmpty: !skipEmpty });
    const idsOut = idsFileFor(out);
    const ids = idsText(file, loaded.ids, loaded.lines);
    const onProgress = progressPrinter(ctx);
    const role = ctx.args.options.role as TextRole | undefined;
    return withEmbeddedTexts(ctx, loaded.texts, { role, onProgress, ids: loaded.ids }, async (m, encoder) => {
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
      const result = {
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
      if (ctx.args.options.json) ctx.stdout(JSON.stringify(result));
      else ctx.stdout([`${m.rows} vectors of dimension ${m.cols} (${encoder.id}) → ${out} (ids: ${idsOut}) in ${seconds.toFixed(1)} s`, ...skipLines(file, skipReportOf(loaded.skipped))].join('\n'));
      return 0;
    });
  },
};
