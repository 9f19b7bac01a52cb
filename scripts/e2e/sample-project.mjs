// Builds the sample workspace used by `npm start` and the end-to-end tests, from the
// small dataset that ships with the repo (test/fixtures/sample/). No ../shared needed.
// The project is made by the engine itself, through the CLI (`embedlab init`, `import`):
//   <workspace>/ag-news-sample/project.json         schemaVersion, dataset, template, encoder, seeds
//   <workspace>/ag-news-sample/data/ag-news.jsonl   300 news items (title, description, label)
//   <workspace>/stsb-100.jsonl                      100 scored pairs (for eval-sts)
//   <workspace>/ag-news-300.jsonl                   the raw file, to try Import Data
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLE_PROJECT = 'ag-news-sample';

function embedlab(args) {
  return execFileSync(process.execPath, [join(repoRoot, 'bin/embedlab.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** (Re)creates the sample workspace in `dir`; returns the project folder. */
export function createSampleWorkspace(dir, { fresh = true } = {}) {
  const fixtures = join(repoRoot, 'test/fixtures/sample');
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const project = join(dir, SAMPLE_PROJECT);
  const template = '{title}. {description}';
  cpSync(join(fixtures, 'stsb-100.jsonl'), join(dir, 'stsb-100.jsonl'));
  cpSync(join(fixtures, 'ag-news-300.jsonl'), join(dir, 'ag-news-300.jsonl'));
  embedlab(['init', project, '--name', SAMPLE_PROJECT, '--text', template, '--json']);
  embedlab(['import', join(dir, 'ag-news-300.jsonl'), '--project', project, '--name', 'ag-news', '--text', template, '--label', 'label', '--id', 'id', '--json']);
  writeFileSync(
    join(dir, 'README.md'),
    '# Embedding Lab sample workspace\n\n`ag-news-sample/` is a project: 300 AG News items in 4 topics (World, Sports, Business, Sci/Tech).\n' +
      'Open the Embedding Lab view in the activity bar, or run the commands under "Embedding Lab:" (F1).\n' +
      '`ag-news-300.jsonl` is the raw file, to try Import Data; `stsb-100.jsonl` holds 100 scored sentence pairs.\n',
  );
  return project;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = resolve(process.argv[2] ?? join(repoRoot, '.vscode-e2e/sample-workspace'));
  console.log(createSampleWorkspace(target));
}
