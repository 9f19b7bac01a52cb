// Pair annotation in a real browser: keys 1–5 send scores, s skips, typing notes fires no
// shortcut, u sends an undo, b goes back without a command; screenshots in both themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { annotateFixture } from './fixtures.mjs';

let dir, browser;
before(async () => {
  dir = await buildWebviews(['annotate']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  if (dir) removeDir(dir);
});

const commands = (page) => page.evaluate(() => window.__received.filter((m) => m.kind === 'command'));

test('keyboard annotation: score, skip, notes, undo, back', async () => {
  const server = await servePanel(dir, 'annotate', annotateFixture());
  const o = await openPanel(browser, server.url('dark'));
  try {
    const { page } = o;
    assert.equal(await page.locator('.anchor').count(), 5);
    assert.equal(await page.locator('#left .field-title').textContent(), 'Floods hit the north of Italy (0)');
    await screenshot(page, 'annotate-dark');
    await page.keyboard.press('4');
    await page.waitForFunction(() => document.body.dataset.pair === 'a1|b1');
    assert.deepEqual((await commands(page))[0], { kind: 'command', method: 'score', params: { id1: 'a0', id2: 'b0', score: 0.75 } });
    await page.waitForFunction(() => document.querySelector('#progress').dataset.annotated === '13');
    // pair a1|b1 carries the agreement of two other annotators
    assert.match(await page.locator('#pair-agreement').textContent(), /ana \.75, ben 1/);
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.body.dataset.pair === 'a2|b2');
    assert.deepEqual((await commands(page))[1].params, { id1: 'a1', id2: 'b1' });
    assert.equal((await commands(page))[1].method, 'skip');
    // typing in the notes field must not trigger shortcuts
    const notes = page.locator('#notes textarea');
    await notes.click();
    await page.keyboard.type('1 s u b 5');
    assert.equal((await commands(page)).length, 2);
    assert.equal(await page.evaluate(() => document.body.dataset.pair), 'a2|b2');
    await page.locator('#left').click(); // leave the field
    await page.keyboard.press('5');
    await page.waitForFunction(() => document.body.dataset.pair === 'a3|b3');
    assert.deepEqual((await commands(page))[2].params, { id1: 'a2', id2: 'b2', score: 1, note: '1 s u b 5' });
    await page.keyboard.press('u');
    await page.waitForFunction(() => document.body.dataset.pair === 'a2|b2');
    assert.deepEqual((await commands(page))[3], { kind: 'command', method: 'undo', params: { id1: 'a2', id2: 'b2' } });
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.body.dataset.pair === 'a1|b1');
    assert.equal((await commands(page))[4].method, 'undo');
    await page.keyboard.press('b');
    await page.waitForFunction(() => document.body.dataset.pair === 'a0|b0');
    assert.equal((await commands(page)).length, 5); // back sends nothing
    assert.equal(await page.locator('.anchor.chosen').getAttribute('data-score'), '0.75');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
    await server.close();
  }
});

test('a session on a map selection says how many records the pairs come from; the whole dataset says nothing', async () => {
  const fixture = annotateFixture();
  fixture.session.selection = { records: 42 };
  const server = await servePanel(dir, 'annotate', fixture);
  const o = await openPanel(browser, server.url('dark'));
  try {
    await o.page.waitForFunction(() => document.querySelector('#scope')?.dataset.records === '42');
    assert.equal(await o.page.locator('#scope').textContent(), 'from a selection of 42 records');
    assert.ok(await o.page.locator('#scope').isVisible());
  } finally {
    await o.close();
    await server.close();
  }
  const whole = await servePanel(dir, 'annotate', annotateFixture());
  const w = await openPanel(browser, whole.url('dark'));
  try {
    await w.page.waitForFunction(() => document.querySelector('#progress')?.dataset.annotated === '12');
    assert.equal(await w.page.locator('#scope').isVisible(), false);
  } finally {
    await w.close();
    await whole.close();
  }
});

test('strategy picker asks the host for pairs of the chosen strategy; light theme', async () => {
  const server = await servePanel(dir, 'annotate', annotateFixture());
  const o = await openPanel(browser, server.url('light'));
  try {
    await o.page.selectOption('#strategy', 'stratified');
    await o.page.waitForFunction(() => window.__received.some((m) => m.method === 'nextPairs' && m.params.strategy === 'stratified'));
    const cmd = await o.page.evaluate(() => window.__received.find((m) => m.method === 'setStrategy'));
    assert.deepEqual(cmd.params, { strategy: 'stratified' });
    await o.page.waitForFunction(() => document.body.dataset.pair !== '');
    await o.page.keyboard.press('2');
    await screenshot(o.page, 'annotate-light');
    assert.equal(await o.page.evaluate(() => window.__state.ui.strategy), 'stratified');
  } finally {
    await o.close();
    await server.close();
  }
});
