/**
 * Import and cleaning speed: our streaming CSV reader against papaparse (whole string,
 * header mode) on the same generated file, a full project import, and a cleaning preview
 * with every rule over ag_news (when ../shared is present).
 */
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds, timeIt, SHARED_DATA } from './types';
import { readRecords } from '../src/engine/data/read-records';
import { createProject } from '../src/engine/project/store';
import { importDataset } from '../src/engine/project/import-dataset';
import { loadTexts } from '../src/engine/data/load-texts';
import { previewCleaning } from '../src/engine/data/cleaning/apply';
import { createRng } from '../src/engine/util/random';

function makeCsv(file: string, rows: number): void {
  const rng = createRng(1);
  const words = 'le la les un une des maire conseil route accident pompiers région vote budget école police match équipe "cité" a,b'.split(' ');
  const out: string[] = ['id;titre;texte;cat'];
  for (let i = 0; i < rows; i++) {
    const t = Array.from({ length: 14 }, () => words[Math.floor(rng() * words.length)]).join(' ');
    out.push(`${i};"Titre ${i}";"${t.replace(/"/g, '""')}${i % 10 === 0 ? '\nsuite' : ''}";c${i % 7}`);
  }
  writeFileSync(file, out.join('\n') + '\n');
}

export const dataBench: BenchSection = {
  name: 'data',
  async run() {
    const rows: BenchRow[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-bench-data-'));
    try {
      const n = 200_000;
      const csv = path.join(dir, 'rows.csv');
      makeCsv(csv, n);
      const ours = await timeIt(async () => {
        let k = 0;
        for await (const _ of readRecords(csv)) k++;
        return k;
      });
      const papa = await timeIt(() => Papa.parse(readFileSync(csv, 'utf8'), { header: true, skipEmptyLines: true }).data.length);
      rows.push({
        task: `read CSV, ${n.toLocaleString('en')} rows (quoted, 10% multi-line)`,
        ours: fmtSeconds(ours.seconds),
        baseline: `papaparse (whole string) ${fmtSeconds(papa.seconds)}`,
        ratio: fmtRatio(papa.seconds / ours.seconds),
        note: `streaming with line numbers and UTF-8 checks; ${ours.value} vs ${papa.value} rows`,
      });
      const project = path.join(dir, 'p');
      await createProject(project);
      const imp = await timeIt(() => importDataset(project, csv, { template: '{titre}. {texte}', label: 'cat', idField: 'id' }));
      rows.push({
        task: `import into a project, ${n.toLocaleString('en')} rows`,
        ours: `${fmtSeconds(imp.seconds)} (${Math.round(n / imp.seconds).toLocaleString('en')} rows/s)`,
        baseline: '',
        ratio: '',
      });
      const ag = path.join(SHARED_DATA, 'ag_news/test.jsonl');
      if (existsSync(ag)) {
        const loaded = await loadTexts(ag, { template: '{title}. {description}' });
        const records = loaded.texts.map((text, i) => ({ id: loaded.ids[i], text }));
        const all = [
          { rule: 'html-entities' },
          { rule: 'signoffs' },
          { rule: 'patterns', options: { patterns: ['<[^<>]{1,80}>'] } },
          { rule: 'urls' },
          { rule: 'emails' },
          { rule: 'phones' },
          { rule: 'dates' },
          { rule: 'whitespace' },
          { rule: 'min-words', options: { min: 5 } },
          { rule: 'dedupe-exact' },
          { rule: 'dedupe-near' },
        ];
        const clean = await timeIt(() => previewCleaning(records, all));
        rows.push({
          task: `cleaning preview, all ${all.length} rules, ag_news ${records.length.toLocaleString('en')} texts`,
          ours: fmtSeconds(clean.seconds),
          baseline: '',
          ratio: '',
          note: clean.value.rules.map((r) => `${r.rule} ${r.changed || r.removed}`).join(', '),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
