// Clean Data's defaults on the French news texts of issue 12 (problem 2), with the real engine
// rules and defaults (src/host/panels/clean/clean-rules.ts and the engine, bundled here): the
// panel opens with the phones rule off and the dates rule on, and no default rule cuts a date,
// an hour or an amount inside a sentence; only the publication stamp, the dateline and the byline
// go. Switched on, the phones rule takes the phone number and leaves the FCFA amount alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { panelSuite, screenshot, removeDir, root } from './harness.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const TEXTS = [
  'Le 3 juillet 1869, sur sa première page, le journal annonçait la nouvelle.',
  'Les urnes restent ouvertes de 8 heures à 23 heures dans toute la commune.',
  'Le budget de l’État atteint 1 008 978 400 FCFA (1 008 978 400 FCFA) selon le ministre.',
  'Publié le 12 mars 2024 à 14h30. La préfecture annonce des travaux sur la route départementale.',
  'ROUEN, 4 mars 2024 — Le conseil municipal a voté le budget des écoles.\nPar Jean Dupont',
  'Pour tout renseignement, appelez la mairie au 01 42 68 53 00 avant vendredi.',
];
const INTACT = ['3 juillet 1869', 'de 8 heures à 23 heures', '(1 008 978 400 FCFA)'];

async function engineFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'embedlab-clean-defaults-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, [
    `export { previewCleaning } from ${JSON.stringify(join(root, 'src/engine/data/cleaning/index.ts'))};`,
    `export { cleanRuleInfos, initialRuleStates } from ${JSON.stringify(join(root, 'src/host/panels/clean/clean-rules.ts'))};`,
  ].join('\n'));
  const file = join(dir, 'bundle.mjs');
  await esbuild.build({ absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: file, logLevel: 'silent' });
  const { previewCleaning, cleanRuleInfos, initialRuleStates } = await import(pathToFileURL(file).href);
  removeDir(dir);
  const records = TEXTS.map((text, i) => ({ id: `t${i}`, text }));
  const rules = cleanRuleInfos();
  const initial = initialRuleStates([]);
  // Each rule's examples as the engine computes them on its own (its default options).
  const examples = [];
  for (const s of initial) {
    if (s.id === 'patterns') continue;
    const r = await previewCleaning(records, [{ rule: s.id, options: s.options }], { examples: 100, exampleChars: 600 });
    for (const e of r.rules[0].examples)
      examples.push({ rule: s.id, id: e.id, before: e.before, after: e.after, ...(e.reason ? { reason: e.reason } : {}), removed: e.removed ?? [], inserted: e.inserted ?? [], beforeGaps: e.beforeGaps ?? [], afterGaps: e.afterGaps ?? [] });
  }
  return { texts: TEXTS, session: { dataset: 'actualites-fr', records: TEXTS.length, rules, initial }, examples, inlineExamples: [] };
}

const suite = panelSuite('clean', engineFixture);

const idle = (page) => page.waitForFunction(() => document.body.dataset.computing === 'false');

/** Every example card of the current filter, through all its pages. */
async function allExamples(page) {
  const out = [];
  for (;;) {
    await page.waitForSelector('.example, .examples .empty');
    out.push(...await page.evaluate(() => [...document.querySelectorAll('.example')].map((card) => ({
      id: card.dataset.id,
      removed: [...card.querySelectorAll('.before del.removed')].map((d) => d.textContent),
      after: card.querySelector('.after')?.textContent ?? null,
    }))));
    if (await page.locator('#next').isDisabled()) return out;
    const label = await page.locator('#page').textContent();
    await page.locator('#next').click();
    await page.waitForFunction((l) => document.querySelector('#page').textContent !== l, label);
  }
}

test('the defaults cut no date, hour or amount inside a sentence; the stamp, the dateline and the byline go; phones are off and need a phone', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await suite.open(theme, VIEWPORT);
    try {
      const { page } = o;
      await idle(page);
      assert.equal(await page.locator('#rule-phones').isChecked(), false, 'phones: off by default');
      assert.equal(await page.locator('#rule-dates').isChecked(), true, 'dates (boilerplate only): on');
      assert.equal(await page.locator('#opt-dates-inline').isChecked(), false, 'dates inside sentences: off');
      const on = await page.locator('.rule input[id^="rule-"]:checked').evaluateAll((bs) => bs.map((b) => b.id.slice(5)));
      // The examples of the rules that are on: what Apply would do.
      const shown = [];
      for (const rule of on) {
        await page.locator('#filter').selectOption(rule);
        await idle(page);
        shown.push(...(await allExamples(page)).map((e) => ({ ...e, rule })));
      }
      for (const e of shown) {
        const before = TEXTS[Number(e.id.slice(1))];
        for (const keep of INTACT) if (before.includes(keep)) assert.ok(e.after?.includes(keep), `${e.rule} cut "${keep}": ${JSON.stringify(e)}`);
      }
      const removed = shown.filter((e) => e.rule === 'dates').flatMap((e) => e.removed.map((r) => r.trim()));
      assert.ok(removed.some((r) => r.startsWith('Publié le 12 mars 2024 à 14h30')), `the publication stamp goes: ${JSON.stringify(removed)}`);
      assert.ok(removed.some((r) => r.startsWith('ROUEN, 4 mars 2024')), `the dateline goes: ${JSON.stringify(removed)}`);
      assert.ok(removed.includes('Par Jean Dupont'), `the byline goes: ${JSON.stringify(removed)}`);
      if (theme === 'dark') await screenshot(page, 'clean-dark-fr-defaults');

      // Phones, switched on: the phone number goes, the amount stays.
      await page.locator('#rule-phones').check();
      await idle(page);
      await page.locator('#filter').selectOption('phones');
      await idle(page);
      const phones = await allExamples(page);
      assert.deepEqual(phones.map((e) => e.id), ['t5'], 'only the text with a phone number');
      assert.deepEqual(phones[0].removed.map((r) => r.trim()), ['01 42 68 53 00']);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});
