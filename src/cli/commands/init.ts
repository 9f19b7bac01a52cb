import * as path from 'node:path';
import type { CliCommand } from '../command';
import { jsonOption, seedOption } from '../command';
import { UsageError } from '../args';
import { createProject } from '../../engine/project/store';

/** `embedlab init <dir> [--name]`: a new project folder. */
export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Create a project folder (project.json, data/, runs/, .gitignore for .cache/ and temp files)',
  usage: 'embedlab init <dir> [--name <name>] [--encoder <spec>] [--text "<template>"] [--json]',
  options: [
    { name: 'name', kind: 'string', description: 'project name (default: the folder name)' },
    { name: 'encoder', kind: 'string', description: 'default encoder spec of the project', default: 'builtin' },
    { name: 'text', kind: 'string', description: 'default text template for datasets', default: '{text}' },
    seedOption,
    jsonOption,
  ],
  async run(ctx) {
    const [dir, extra] = ctx.args.positionals;
    if (!dir) throw new UsageError('missing the project folder');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    const o = ctx.args.options;
    const project = await createProject(dir, {
      name: typeof o.name === 'string' ? o.name : undefined,
      encoder: String(o.encoder),
      template: String(o.text),
      seed: Number(o.seed),
    });
    if (o.json) ctx.stdout(JSON.stringify({ dir: project.dir, file: project.paths.projectFile, name: project.config.name }));
    else ctx.stdout(`created project "${project.config.name}" in ${path.relative(process.cwd(), project.dir) || '.'}`);
    return 0;
  },
};
