import * as crypto from 'node:crypto';
import type { CliCommand } from '../command';
import { encoderOption, jsonOption, projectOption, seedOption } from '../command';
import { fileAndTemplate, loadFileTexts, templateOption, withEmbeddedTexts } from '../embed-texts';
import { UsageError } from '../args';
import type { TextRole } from '../../engine/encoders/encoder';
import { writeNpy, writeVectorFile } from '../../engine/encoders/vector-file';
import { throttleProgress } from '../../engine/util/job';

/** `embedlab embed <file> --text "<template>" --encoder … --out <file>`: vectors to a file. */
export const embedCommand: CliCommand = {
  name: 'embed',
  summary: 'Embed the texts of a CSV/JSONL/JSON file and write the vectors (project format, or .npy)',
  usage: 'embedlab embed <file> --text "<template>" [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--role query|passage] --out <file.f32|file.npy> [--json]',
  options: [
    templateOption,
    { name: 'out', kind: 'string', description: 'output file: .npy for NumPy, anything else for the project vector format' },
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
    const loaded = await loadFileTexts(ctx, file, template);
    const onProgress = throttleProgress((p) => ctx.log(`${p.stage} ${p.done}/${p.total}`), 1000);
    const role = ctx.args.options.role as TextRole | undefined;
    return withEmbeddedTexts(ctx, loaded.texts, { role, onProgress }, (m, encoder) => {
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
      const seconds = (performance.now() - started) / 1000;
      const result = {
        file,
        out,
        format,
        rows: m.rows,
        dimension: m.cols,
        encoder: encoder.id,
        normalized: encoder.normalized,
        skipped: loaded.skipped.length,
        seconds: Number(seconds.toFixed(3)),
      };
      if (ctx.args.options.json) ctx.stdout(JSON.stringify(result));
      else ctx.stdout(`${m.rows} vectors of dimension ${m.cols} (${encoder.id}) → ${out} in ${seconds.toFixed(1)} s`);
      return 0;
    });
  },
};
