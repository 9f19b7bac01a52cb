/**
 * `npm run bench [-- filter]`: runs every bench section and prints one Markdown table.
 * Each row compares our code with a baseline measured in the same run.
 * The table is also written to bench/results.md, from which the README's table is copied.
 */
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { sections } from './sections';
import type { BenchRow } from './types';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const rows: Array<BenchRow & { section: string }> = [];
  for (const section of sections) {
    if (filter && !section.name.includes(filter)) continue;
    process.stderr.write(`bench: ${section.name}…\n`);
    try {
      for (const r of await section.run()) rows.push({ ...r, section: section.name });
    } catch (e) {
      rows.push({ section: section.name, task: 'failed', ours: '', baseline: '', ratio: '', note: (e as Error).message });
    }
  }
  const header = `Measured on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.\n\n`;
  const table = [
    '| area | task | ours | baseline | ratio | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.section} | ${r.task} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.note ?? ''} |`),
  ].join('\n');
  process.stdout.write(header + table + '\n');
  if (!filter) writeFileSync(new URL('./results.md', import.meta.url), header + table + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
