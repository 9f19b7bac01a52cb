// Makes test/fixtures/news-category/huffpost-5-topics.jsonl, the English news check of issue 14
// (5 topics, the shape of BBC News, which may not be shipped), from copies of the News Category
// Dataset (Rishabh Misra, CC BY 4.0: HuffPost headlines and short descriptions with their section).
// Deterministic for the same inputs: the files are read in the order given and a record seen
// before (same link, or same headline in the same category) is skipped; of each of the five
// categories the first PER_TOPIC records by SHA-256 of their link are kept, in input order.
// Usage: node scripts/make-news-category-slice.mjs <News_Category_Dataset_v3.json> [more JSON-lines copies…]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOPICS = ['POLITICS', 'ENTERTAINMENT', 'WORLD NEWS', 'CRIME', 'SPORTS'];
const PER_TOPIC = 500;
const FIELDS = ['link', 'headline', 'category', 'short_description'];

const sources = process.argv.slice(2);
if (sources.length === 0) {
  console.error('usage: node scripts/make-news-category-slice.mjs <News_Category_Dataset_v3.json> [more copies…]');
  process.exit(2);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'news-category', 'huffpost-5-topics.jsonl');

const links = new Set();
const headlines = new Set();
const records = [];
let duplicates = 0;
let emptyHeadline = 0;
for (const source of sources) {
  readFileSync(source, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let r;
      try {
        r = JSON.parse(line);
      } catch (e) {
        throw new Error(`${source}:${i + 1}: not JSON (${e.message})`);
      }
      for (const f of FIELDS) if (typeof r[f] !== 'string') throw new Error(`${source}:${i + 1}: field "${f}" is not a string`);
      const headline = r.headline.trim();
      if (!headline) return void emptyHeadline++;
      const key = `${r.category}\n${headline.toLowerCase()}`;
      if (links.has(r.link) || headlines.has(key)) return void duplicates++;
      links.add(r.link);
      headlines.add(key);
      if (!TOPICS.includes(r.category)) return;
      const rank = createHash('sha256').update(r.link).digest('hex');
      records.push({ rank, row: { id: '', title: headline, description: r.short_description.trim(), label: r.category, date: r.date ?? '', link: r.link } });
    });
}
const kept = new Set();
for (const topic of TOPICS) {
  const ofTopic = records.filter((r) => r.row.label === topic).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  for (const r of ofTopic.slice(0, PER_TOPIC)) kept.add(r);
}
const rows = records.filter((r) => kept.has(r)).map((r, i) => ({ ...r.row, id: `hp-${String(i).padStart(5, '0')}` }));
const counts = Object.fromEntries(TOPICS.map((t) => [t, rows.filter((r) => r.label === t).length]));
writeFileSync(`${out}.tmp`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
renameSync(`${out}.tmp`, out);
console.log(`${basename(out)}: ${rows.length} rows from ${sources.length} file(s); ${duplicates} duplicates and ${emptyHeadline} empty headlines skipped`, counts);
