// Clean Data in a real browser: switches update the counts, examples are paged and filtered by
// rule, the removed spans the engine computed are the ones highlighted (the fixture comes
// from the real engine, bundled here), Apply stays visible, is disabled while a preview
// computes, and sends the chosen rules; pattern validation; screenshots in three themes at 1280×800.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir, root } from './harness.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const LONG = 'Le conseil municipal de Rouen a longuement débattu, lors de sa séance de lundi soir, du projet de réaménagement des quais de la Seine, qui prévoit la création de pistes cyclables, la plantation de plusieurs centaines d’arbres et la transformation des anciens hangars portuaires en halles alimentaires. ';

/** French news texts: publication stamps, bylines, inline dates, emoji, a duplicate. */
function texts() {
  const out = [];
  for (let i = 0; i < 45; i++) {
    const body = i === 3 ? LONG.repeat(6) : `Article ${i} : la préfecture annonce des travaux sur la D${i} ${i % 5 === 0 ? '🚧 ' : ''}à partir de la semaine prochaine.`;
    out.push(`Publié le ${(i % 28) + 1} mars 2024 à 14h30. ${body}${i % 4 === 0 ? '\nPar Jean Dupont' : ''}`);
  }
  out.push('Le 3 juillet 1869, sur sa première page, le journal annonçait la nouvelle 🎉 de 8 heures à 23 heures.');
  out.push('Une phrase sans date ni rien à enlever, assez longue pour rester.');
  out.push('Une phrase sans date ni rien à enlever, assez longue pour rester.');
  return out;
}

async function engineFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'embedlab-clean-'));
  const file = join(dir, 'cleaning.mjs');
  await esbuild.build({ absWorkingDir: root, entryPoints: ['src/engine/data/cleaning/index.ts'], bundle: true, platform: 'node', format: 'esm', outfile: file, logLevel: 'silent' });
  const { previewCleaning } = await import(pathToFileURL(file).href);
  removeDir(dir);
  const t = texts();
  const records = t.map((text, i) => ({ id: `t${i}`, text }));
  const opts = { examples: 500, exampleChars: 600 };
  const base = await previewCleaning(records, [{ rule: 'dates' }, { rule: 'dedupe-exact' }], opts);
  const inline = await previewCleaning(records, [{ rule: 'dates', options: { inline: true } }], opts);
  const view = (rule) => (e) => ({ rule, id: e.id, before: e.before, after: e.after, ...(e.reason ? { reason: e.reason } : {}), removed: e.removed ?? [], inserted: e.inserted ?? [], beforeGaps: e.beforeGaps ?? [], afterGaps: e.afterGaps ?? [] });
  const baseIds = new Set(base.rules[0].examples.map((e) => e.id));
  const rule = (id, label, defaultOn, kind, options = []) => ({ id, label, description: `${label}: what it removes, in words a user reads.`, defaultOn, kind, options });
  return {
    texts: t,
    session: {
      dataset: 'actualites-fr',
      records: t.length,
      rules: [
        rule('patterns', 'Your patterns', false, 'transform', [
          { name: 'patterns', type: 'string[]', label: 'Patterns', description: 'regular expressions', default: [] },
          { name: 'ignoreCase', type: 'boolean', label: 'Ignore case', description: 'match without regard to case', default: false },
        ]),
        rule('dates', 'Date boilerplate', true, 'transform', [{ name: 'inline', type: 'boolean', label: 'Also dates inside sentences (cuts content)', description: 'inline', default: false }]),
        rule('dedupe-exact', 'Exact duplicates', true, 'dedupe'),
      ],
      initial: [
        { id: 'patterns', on: false, options: { patterns: [], ignoreCase: false } },
        { id: 'dates', on: true, options: { inline: false } },
        { id: 'dedupe-exact', on: true, options: {} },
      ],
    },
    examples: [...base.rules[0].examples.map(view('dates')), ...base.rules[1].examples.map(view('dedupe-exact'))],
    inlineExamples: inline.rules[0].examples.filter((e) => !baseIds.has(e.id)).map(view('dates')),
  };
}

let dir, server, browser, fixture;
before(async () => {
  fixture = await engineFixture();
  dir = await buildWebviews(['clean']);
  server = await servePanel(dir, 'clean', fixture);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) removeDir(dir);
});

const count = (page, rule) => page.locator(`[data-count="${rule}"]`).textContent();
const idle = (page) => page.waitForFunction(() => document.body.dataset.computing === 'false');

test('one row per rule with its count; switching a rule off or an option on re-runs the preview', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEWPORT);
  try {
    const { page } = o;
    await idle(page);
    assert.equal(await page.locator('.rule').count(), 3);
    const dates = fixture.examples.filter((e) => e.rule === 'dates').length;
    assert.equal(dates, 45);
    assert.equal(await count(page, 'dates'), '45 changed');
    assert.equal(await count(page, 'dedupe-exact'), '1 removed');
    assert.equal(await count(page, 'patterns'), 'add a pattern');
    assert.match(await page.locator('#status').textContent(), /48 records → 47/);
    await page.locator('#rule-dedupe-exact').uncheck();
    await page.waitForFunction(() => document.querySelector('[data-count="dedupe-exact"]').textContent === '1 removed if on');
    assert.match(await page.locator('#status').textContent(), /48 records → 48/);
    await page.locator('#opt-dates-inline').check();
    const withInline = 45 + fixture.inlineExamples.length;
    await page.waitForFunction((n) => document.querySelector('[data-count="dates"]').textContent === `${n} changed`, withInline);
    const previews = await page.evaluate(() => window.__received.filter((m) => m.method === 'preview').map((m) => m.params.rules));
    assert.deepEqual(previews.at(-1).find((r) => r.id === 'dates'), { id: 'dates', on: true, options: { inline: true } });
    assert.equal(previews.at(-1).find((r) => r.id === 'dedupe-exact').on, false);
    await screenshot(page, 'clean-dark');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('examples are paged 20 at a time, filtered by rule, with the engine spans highlighted as text', async () => {
  const o = await openPanel(browser, server.url('light'), VIEWPORT);
  try {
    const { page } = o;
    await idle(page);
    await page.waitForSelector('.example');
    assert.equal(await page.locator('.example').count(), 20);
    assert.equal(await page.locator('#page').textContent(), '1–20 of 46');
    await page.locator('#next').click();
    await page.waitForFunction(() => document.querySelector('#page').textContent === '21–40 of 46');
    await page.locator('#next').click();
    await page.waitForFunction(() => document.querySelector('#page').textContent === '41–46 of 46');
    assert.equal(await page.locator('.example').count(), 6);
    assert.equal(await page.locator('#next').isDisabled(), true);
    await page.locator('#filter').selectOption('dedupe-exact');
    await page.waitForFunction(() => document.querySelector('#page').textContent === '1–1 of 1');
    assert.match(await page.locator('.example .removed-record').textContent(), /Record removed: duplicate of t46/);
    await page.locator('#filter').selectOption('dates');
    await page.waitForFunction(() => document.querySelector('#page').textContent === '1–20 of 45');
    // Every highlighted span is exactly the engine's span of the before text.
    const shown = await page.evaluate(() => [...document.querySelectorAll('.example')].map((card) => ({
      id: card.dataset.id,
      removed: [...card.querySelectorAll('.before del.removed')].map((d) => d.textContent),
      before: card.querySelector('.before').textContent,
      after: card.querySelector('.after').textContent,
    })));
    for (const s of shown) {
      const e = fixture.examples.find((x) => x.rule === 'dates' && x.id === s.id);
      assert.equal(s.before, e.before);
      assert.equal(s.after, e.after);
      assert.deepEqual(s.removed, e.removed.map(([a, b]) => e.before.slice(a, b)));
      assert.match(s.removed[0], /^Publié le \d+ mars 2024 à 14h30\. $/);
    }
    const t0 = shown.find((s) => s.id === 't0');
    assert.deepEqual(t0.removed.slice(1), ['\nPar Jean Dupont']);
    // The long article is excerpted, with its gap marked; no HTML is ever interpreted.
    const long = await page.locator('.example[data-id="t3"] .before .gap').count();
    assert.equal(long, 1);
    assert.equal(await page.locator('.example b, .example script, .example img').count(), 0);
    await screenshot(page, 'clean-light');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('emoji texts: the highlighted span is the engine span (UTF-16 offsets)', async () => {
  const o = await openPanel(browser, server.url('hc'), VIEWPORT);
  try {
    const { page } = o;
    await idle(page);
    await page.locator('#opt-dates-inline').check();
    await page.waitForFunction((n) => document.querySelector('[data-count="dates"]').textContent === `${n} changed`, 45 + fixture.inlineExamples.length);
    await page.locator('#filter').selectOption('dates');
    await page.locator('#next').click();
    await page.locator('#next').click();
    const id = 't45';
    await page.waitForSelector(`.example[data-id="${id}"]`);
    const e = fixture.inlineExamples.find((x) => x.id === id);
    assert.match(e.before, /🎉/);
    const removed = await page.locator(`.example[data-id="${id}"] .before del.removed`).allTextContents();
    assert.deepEqual(removed, e.removed.map(([a, b]) => e.before.slice(a, b)));
    assert.ok(removed.some((r) => /3 juillet 1869/.test(r)), JSON.stringify(removed));
    assert.equal(await page.locator(`.example[data-id="${id}"] .after`).textContent(), e.after);
    assert.match(e.after, /🎉/);
    await page.locator(`.example[data-id="${id}"]`).scrollIntoViewIfNeeded();
    await screenshot(page, 'clean-hc');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('patterns: a bad regex gets a clear error; a good one switches the rule on and is counted', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEWPORT);
  try {
    const { page } = o;
    await idle(page);
    await page.locator('#pattern-input').fill('D(\\d+');
    await page.locator('#add-pattern').click();
    assert.match(await page.locator('#pattern-error').textContent(), /^Invalid pattern \/D\(\\d\+\/: .*(Unterminated group|missing \)).*\.$/i);
    await page.locator('#pattern-input').fill('x*');
    await page.locator('#add-pattern').click();
    assert.match(await page.locator('#pattern-error').textContent(), /matches the empty string/);
    await page.locator('#pattern-input').fill('\\bD\\d{1,2}\\b');
    await page.locator('#pattern-input').press('Enter');
    // t3 (the long article) names no road: 44 of the 45 "D…" texts.
    await page.waitForFunction(() => document.querySelector('[data-count="patterns"]').textContent === '44 changed', null, { timeout: 5000 }).catch(async (e) => {
      throw new Error(`${e.message}: count "${await count(page, 'patterns')}", error "${await page.locator('#error').textContent()}", pattern error "${await page.locator('#pattern-error').textContent()}"`);
    });
    assert.equal(await page.locator('#rule-patterns').isChecked(), true);
    assert.deepEqual(await page.locator('.pattern code').allTextContents(), ['/\\bD\\d{1,2}\\b/']);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('a rule that changed nothing shows "no examples", not "0–0 of 0"', async () => {
  const o = await openPanel(browser, server.url('light'), VIEWPORT);
  try {
    const { page } = o;
    await idle(page);
    await page.locator('#pattern-input').fill('zqzqzq');
    await page.locator('#pattern-input').press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-count="patterns"]')?.textContent === '0 changed');
    await page.locator('#filter').selectOption('patterns');
    await page.waitForFunction(() => document.querySelector('#page').textContent === 'no examples');
    assert.match(await page.locator('.empty').textContent(), /No text changed/);
    assert.equal(await page.locator('#prev').isDisabled(), true);
    assert.equal(await page.locator('#next').isDisabled(), true);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('Apply stays visible, waits for the preview, and sends the chosen rules; the result is shown', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEWPORT);
  try {
    const { page } = o;
    await idle(page);
    await page.evaluate(() => sessionStorage.setItem('fake-delay', '600'));
    await page.locator('#rule-dedupe-exact').uncheck();
    await page.waitForFunction(() => document.body.dataset.computing === 'true');
    assert.equal(await page.locator('#apply').isDisabled(), true);
    await idle(page);
    assert.equal(await page.locator('#apply').isDisabled(), false);
    await page.evaluate(() => sessionStorage.setItem('fake-delay', '5'));
    // Still on screen after scrolling to the bottom of a long list.
    await page.locator('.example').last().scrollIntoViewIfNeeded();
    const box = await page.locator('#apply').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= VIEWPORT.height, JSON.stringify(box));
    await page.locator('#apply').click();
    await page.waitForSelector('#result:not([hidden])');
    const sent = await page.evaluate(() => window.__received.filter((m) => m.method === 'apply').map((m) => m.params.rules));
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].map((r) => [r.id, r.on]), [['patterns', false], ['dates', true], ['dedupe-exact', false]]);
    assert.match(await page.locator('#result').textContent(), /Applied\. 48 records → 46; 10 texts changed; records removed: Exact duplicates 2\./);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});

test('the examples bar sticks right under the header, on one line; a new page or filter starts at the top of the list', async () => {
  const o = await openPanel(browser, server.url('dark'), { width: 900, height: 600 });
  try {
    const { page } = o;
    await idle(page);
    await page.waitForSelector('.example');
    // Scrolled down a page: no strip of the scrolled content shows between the header and the bar.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(100);
    const gap = await page.evaluate(() => {
      const header = document.querySelector('.clean-header').getBoundingClientRect();
      const bar = document.querySelector('.examples-pane .toolbar').getBoundingClientRect();
      return { headerBottom: header.bottom, barTop: bar.top };
    });
    assert.ok(Math.abs(gap.barTop - gap.headerBottom) <= 1, `bar sticks under the header: ${JSON.stringify(gap)}`);
    const buttons = await page.evaluate(() => ['#filter', '#prev', '#page', '#next'].map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top)));
    assert.ok(Math.max(...buttons) - Math.min(...buttons) <= 6, `the examples bar is one line: ${buttons}`);
    // Next from the bottom of page 1: page 2 shows from its first example, just under the bar.
    await page.locator('#next').click();
    await page.waitForFunction(() => document.querySelector('#page').textContent === '21–40 of 46');
    const first = await page.evaluate(() => {
      const bar = document.querySelector('.examples-pane .toolbar').getBoundingClientRect();
      const card = document.querySelector('.example').getBoundingClientRect();
      return { barBottom: bar.bottom, cardTop: card.top, height: window.innerHeight };
    });
    assert.ok(first.cardTop >= first.barBottom - 1 && first.cardTop < first.height / 2, `first example of the new page in view: ${JSON.stringify(first)}`);
    // Same for a change of rule filter.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.locator('#filter').selectOption('dates');
    await page.waitForFunction(() => document.querySelector('#page').textContent === '1–20 of 45');
    const top = await page.evaluate(() => document.querySelector('.example').getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 300, `first example after a filter change in view: ${top}`);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});
