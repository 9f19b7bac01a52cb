/**
 * `npm run bench [-- --only <section>[,<section>…]]`: runs the bench sections and prints one Markdown
 * table. Each row compares our code with a baseline measured in the same run where there is one.
 *
 * Results are kept per section in bench/results/latest.json, so that a section can be re-run alone
 * (e.g. `npm run bench -- --only cluster`) without losing the others; bench/results/latest.md is
 * rendered from all of them (the README's table is copied from it). Each section records when it ran,
 * how long it took and the machine's load average, because the machine may be shared.
 *
 * Options: --only a,b (also a bare section name), --list, --no-save (print only).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sections } from './sections';
import type { BenchRow } from './types';

const RESULTS_DIR = path.join(__dirname, 'results');
const RESULTS_JSON = path.join(RESULTS_DIR, 'latest.json');
const RESULTS_MD = path.join(RESULTS_DIR, 'latest.md');

/** One section's last measurement. */
interface SectionResult {
  measuredAt: string;
  seconds: number;
  /** 1-minute load average before and after the section (other processes compete for the cores). */
  loadBefore: number;
  loadAfter: number;
  machine: string;
  rows: BenchRow[];
}

interface ResultsFile {
  schemaVersion: 1;
  sections: Record<string, SectionResult>;
}

interface BenchArgs {
  only?: string[];
  list: boolean;
  save: boolean;
}

function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { list: false, save: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') args.list = true;
    else if (a === '--no-save') args.save = false;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!value) throw new Error('--only needs a section name');
      args.only = [...(args.only ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
    } else if (!a.startsWith('-')) args.only = [...(args.only ?? []), a];
    else throw new Error(`unknown option ${a}; use --only <section>, --list or --no-save`);
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

/** Writes `text` to `file` through a temp file and a rename. */
function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function renderRows(entries: [string, SectionResult][]): string {
  return [
    '| area | task | ours | baseline | ratio | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...entries.flatMap(([name, r]) => r.rows.map((row) => `| ${name} | ${cell(row.task)} | ${cell(row.ours)} | ${cell(row.baseline)} | ${cell(row.ratio)} | ${cell(row.note)} |`)),
  ].join('\n');
}

function renderRuns(entries: [string, SectionResult][]): string {
  return [
    '| section | measured | wall time | load average (1 min) before → after | machine |',
    '| --- | --- | --- | --- | --- |',
    ...entries.map(([name, r]) => `| ${name} | ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC | ${r.seconds.toFixed(0)} s | ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} | ${cell(r.machine)} |`),
  ].join('\n');
}

function render(results: ResultsFile): string {
  const order = sections.map((s) => s.name);
  const entries = Object.entries(results.sections).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return [
    '# Embedding Lab benchmarks',
    '',
    'Produced by `npm run bench` (one section: `npm run bench -- --only <name>`). Ratios are baseline time ÷ our time (> 1: we are faster), measured in the same run.',
    '',
    renderRows(entries),
    '',
    'When and under what load each section ran (the machine may be shared; a load above the core count slows every row of that section):',
    '',
    renderRuns(entries),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.list) {
    process.stdout.write(sections.map((s) => s.name).join('\n') + '\n');
    return;
  }
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
      writeAtomic(RESULTS_JSON, JSON.stringify(all, null, 2) + '\n');
      writeAtomic(RESULTS_MD, render(all));
    }
  }
  process.stdout.write(render(fresh));
  if (args.save) process.stderr.write(`bench: tables in ${path.relative(process.cwd(), RESULTS_MD)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
