/**
 * `npm run bench [-- --only <section>[,<section>…]]`: runs the bench sections and prints one Markdown
 * table. Each row compares our code with a baseline measured in the same run where there is one.
 *
 * Results are kept per section in bench/results/latest.json, so that a section can be re-run alone
 * (e.g. `npm run bench -- --only cluster`) without losing the others; bench/results/latest.md is
 * rendered from all of them, and so are the README's performance tables (bench/results-tables.ts). Each section records when it ran,
 * how long it took and the machine's load average, because the machine may be shared.
 *
 * Options: --only a,b (also a bare section name), --list, --no-save (print only), --render (re-render
 * latest.md and the README's tables from latest.json, measuring nothing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sections } from './sections';
import { writeFileAtomicSync } from '../src/engine/util/fs';
import type { BenchRow } from './types';
import { readmeWithResults, renderResultsMarkdown, type ResultsFile, type SectionResult } from './results-tables';

const RESULTS_DIR = path.join(__dirname, 'results');
const RESULTS_JSON = path.join(RESULTS_DIR, 'latest.json');
const RESULTS_MD = path.join(RESULTS_DIR, 'latest.md');
const README = path.join(__dirname, '..', 'README.md');
const ORDER = sections.map((s) => s.name);

interface BenchArgs {
  only?: string[];
  list: boolean;
  save: boolean;
  /** Only render latest.md and the README's tables from latest.json (no measurement). */
  render: boolean;
}

function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { list: false, save: true, render: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') args.list = true;
    else if (a === '--no-save') args.save = false;
    else if (a === '--render') args.render = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!value) throw new Error('--only needs a section name');
      args.only = [...(args.only ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
    } else if (!a.startsWith('-')) args.only = [...(args.only ?? []), a];
    else throw new Error(`unknown option ${a}; use --only <section>, --list, --no-save or --render`);
  }
  const names = sections.map((s) => s.name);
  for (const n of args.only ?? []) if (!names.includes(n)) throw new Error(`no bench section "${n}"; sections are ${names.join(', ')}`);
  return args;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
}

function readResults(): ResultsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8')) as ResultsFile;
    if (parsed.schemaVersion === 1 && parsed.sections) return parsed;
  } catch {
    // absent or unreadable: start afresh
  }
  return { schemaVersion: 1, sections: {} };
}

/** latest.md and the README's tables, rendered from `all`. */
function writeRendered(all: ResultsFile): void {
  writeFileAtomicSync(RESULTS_MD, renderResultsMarkdown(all, ORDER));
  writeFileAtomicSync(README, readmeWithResults(fs.readFileSync(README, 'utf8'), all, ORDER));
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.list) {
    process.stdout.write(sections.map((s) => s.name).join('\n') + '\n');
    return;
  }
  if (args.render) {
    const all = readResults();
    writeRendered(all);
    return;
  }
  // Sections that spawn `embedlab` run bin/embedlab.js, i.e. the bundle dist/cli.js: build it from the current sources.
  const build = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs'), '--only', 'cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('building dist/cli.js failed');
  const chosen = sections.filter((s) => !args.only || args.only.includes(s.name));
  const fresh: ResultsFile = { schemaVersion: 1, sections: {} };
  for (const section of chosen) {
    const loadBefore = os.loadavg()[0];
    process.stderr.write(`bench: ${section.name} (load ${loadBefore.toFixed(1)})…\n`);
    const t = performance.now();
    let rows: BenchRow[];
    try {
      rows = await section.run();
    } catch (e) {
      rows = [{ task: 'failed', ours: '', baseline: '', ratio: '', note: (e as Error).message }];
    }
    const seconds = (performance.now() - t) / 1000;
    const result: SectionResult = { measuredAt: new Date().toISOString(), seconds, loadBefore, loadAfter: os.loadavg()[0], machine: machine(), rows };
    fresh.sections[section.name] = result;
    process.stderr.write(`bench: ${section.name} done in ${seconds.toFixed(0)} s\n`);
    if (args.save) {
      // Saved after each section, so an interrupted run keeps what it measured.
      const all = readResults();
      all.sections[section.name] = result;
      writeFileAtomicSync(RESULTS_JSON, JSON.stringify(all, null, 2) + '\n');
      writeRendered(all);
    }
  }
  process.stdout.write(renderResultsMarkdown(fresh, ORDER));
  if (args.save) process.stderr.write(`bench: tables in ${path.relative(process.cwd(), RESULTS_MD)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
