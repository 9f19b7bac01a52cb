import type { CliCommand } from '../command';
import { encoderOption, jsonOption, projectOption, seedOption } from '../command';
import { encoderParamsFrom, fileAndTemplate, templateOption } from '../embed-texts';
import { jobContextFor } from '../job-context';
import { UsageError } from '../args';
import type { TextRole } from '../../engine/encoders/encoder';
import { embedFileJob } from '../../engine/jobs/embed-file-job';
import { skipLines } from '../skip-lines';

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
    const o = ctx.args.options;
    if (typeof o.out !== 'string') throw new UsageError('missing --out <file>');
    const result = await embedFileJob(
      { file, template, out: o.out, skipEmpty: o['skip-empty'] === true, role: o.role as TextRole | undefined, ...encoderParamsFrom(ctx) },
      jobContextFor(ctx),
    );
    if (o.json) ctx.stdout(JSON.stringify(result));
    else
      ctx.stdout(
        [
          `${result.rows} vectors of dimension ${result.dimension} (${result.encoder}) → ${result.out} (ids: ${result.idsFile}) in ${result.seconds.toFixed(1)} s`,
          ...skipLines(file, result),
        ].join('\n'),
      );
    return 0;
  },
};
