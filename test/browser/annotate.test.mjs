// Pair annotation in a real browser: keys 1–5 send scores, s skips, typing notes fires no
// shortcut, u sends an undo, b goes back without a command; long texts keep the rubric on
// screen (m shows more, i shows details); the session survives a reload (the panel hidden and
// shown) and keys pressed while the pair loads are applied or reported; screenshots in the
// dark, light and high-contrast themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { annotateFixture, longAnnotateFixture } from './fixtures.mjs';

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

test('long French articles: the rubric and the keys stay within 1280×800; M shows more, I shows label and fields', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const server = await servePanel(dir, 'annotate', longAnnotateFixture());
    const o = await openPanel(browser, server.url(theme), { width: 1280, height: 800 });
    try {
      const { page } = o;
      assert.ok((await page.locator('#left .field-summary').textContent()).length > 3000);
      const rubric = await page.locator('#anchors').boundingBox();
      assert.ok(rubric.y + rubric.height <= 800, `${theme}: rubric bottom at ${rubric.y + rubric.height}px`);
      const keys = await page.locator('#skip').boundingBox();
      assert.ok(keys.y + keys.height <= 800, `${theme}: action keys bottom at ${keys.y + keys.height}px`);
      await screenshot(page, `annotate-long-${theme}`);

      const pane = () => page.evaluate(() => { const t = document.querySelector('#right .record-text'); return { client: t.clientHeight, scroll: t.scrollHeight }; });
      const capped = await pane();
      assert.ok(capped.scroll > capped.client + 100, 'the long text scrolls inside its pane');
      assert.equal(await page.locator('#more').textContent(), 'Show more (M)');
      await page.keyboard.press('m');
      await page.waitForFunction(() => document.body.dataset.expanded === 'true');
      const full = await pane();
      assert.ok(full.client > capped.client + 100 && full.scroll <= full.client + 1, 'show more shows the whole text');
      assert.equal(await page.locator('#more').textContent(), 'Show less (M)');
      await page.locator('#more').click();
      await page.waitForFunction(() => document.body.dataset.expanded === 'false');
      assert.equal((await pane()).client, capped.client);

      assert.equal(await page.locator('#left .record-details').isVisible(), false);
      await page.keyboard.press('i');
      await page.waitForFunction(() => document.body.dataset.details === 'true');
      assert.ok(await page.locator('#left .record-details').isVisible());
      assert.equal(await page.locator('#left .record-details dd.detail-label').textContent(), 'Météo');
      assert.equal(await page.locator('#right .record-details dd.detail-label').textContent(), 'Secours');
      assert.match(await page.locator('#left .record-details').textContent(), /source.*Paris-Normandie.*date.*2024-03-12/);
      const withDetails = await page.locator('#anchors').boundingBox();
      assert.ok(withDetails.y + withDetails.height <= 800, `${theme}: rubric bottom with details at ${withDetails.y + withDetails.height}px`);
      await screenshot(page, `annotate-long-details-${theme}`);
      // the toggles are UI state: they come back with the page
      assert.deepEqual(await page.evaluate(() => [window.__state.ui.details, window.__state.ui.expanded]), [true, false]);
      assert.equal((await commands(page)).length, 0, 'toggles send nothing to the host');
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
      await server.close();
    }
  }
});

test('hiding and showing the panel keeps the pair and the queue; a key pressed while the pair loads is applied, or reported', async () => {
  const server = await servePanel(dir, 'annotate', annotateFixture());
  const o = await openPanel(browser, server.url('dark'));
  try {
    const { page } = o;
    await page.keyboard.press('4');
    await page.waitForFunction(() => document.body.dataset.pair === 'a1|b1');
    await page.keyboard.press('i');
    // hidden then shown: VS Code drops the page and loads it again
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.evaluate(() => document.body.dataset.pair), 'a1|b1', 'the same pair comes back');
    assert.equal(await page.evaluate(() => document.body.dataset.details), 'true');
    const asked = await page.evaluate(() => window.__received.filter((m) => m.kind === 'request').map((m) => m.method));
    assert.deepEqual(asked, ['getSession', 'pendingPairs'], 'the queue is resumed, not regenerated');

    // a slow reload: the key pressed before the pair is back waits for it
    await page.evaluate(() => sessionStorage.setItem('fake-delay', '1200'));
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loading="true"]');
    await page.keyboard.press('2');
    assert.match(await page.locator('#message').textContent(), /key 2 will apply when it is back on screen/);
    await page.waitForFunction(() => window.__received.some((m) => m.method === 'score'), null, { timeout: 10_000 });
    assert.deepEqual((await commands(page))[0].params, { id1: 'a1', id2: 'b1', score: 0.25 });
    await page.waitForFunction(() => document.body.dataset.pair === 'a2|b2');
    await screenshot(page, 'annotate-key-applied-dark');

    // two keys while loading: the first goes to the pair that was on screen, the second is reported
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loading="true"]');
    await page.keyboard.press('5');
    await page.keyboard.press('s');
    await page.waitForFunction(() => window.__received.some((m) => m.method === 'score'), null, { timeout: 10_000 });
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const sent = await commands(page);
    assert.deepEqual(sent.map((m) => [m.method, m.params.id1]), [['score', 'a2']]);
    assert.match(await page.locator('#message').textContent(), /Not applied: key s/);
    assert.ok(await page.locator('#message.error').isVisible());
    assert.equal(await page.evaluate(() => document.body.dataset.pair), 'a3|b3');
    await page.evaluate(() => sessionStorage.removeItem('fake-delay'));
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
    await server.close();
  }
});

test('the active loop: its Spearman line, and a new run replaces the queue but not the pair on screen (dark, light, high contrast)', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const f = longAnnotateFixture();
    f.session.strategy = 'uncertain';
    f.session.activeLoop = { every: 3, state: 'idle', untilNext: 3, rounds: [] };
    f.refreshed = f.pairs.slice(0, 2).map((p, k) => ({
      ...p, id1: `n${k}`, id2: `m${k}`, similarityRun: 0.5 + k / 10,
      left: { ...p.left, id: `n${k}`, fields: [{ name: 'title', value: `Nouvelle paire choisie par la boucle active (${k})` }] },
      right: { ...p.right, id: `m${k}` },
    }));
    const server = await servePanel(dir, 'annotate', f);
    const o = await openPanel(browser, server.url(theme), { width: 1280, height: 800 });
    try {
      const { page } = o;
      assert.equal(await page.locator('#active-loop').textContent(), 'Active loop: first run after 3 more annotations');
      await page.keyboard.press('4');
      await page.waitForFunction(() => document.body.dataset.pair === 'a1|b1');
      // a round starts, then ends with a new run
      const round = { round: 1, runId: 'active-loop-1', status: 'completed', annotations: 60, trained: 48, heldOut: 12, base: 0.41, run: 0.58 };
      await page.evaluate(() => window.__hostNotify('activeLoop', { status: { every: 3, state: 'training', training: { annotations: 60, queued: false }, rounds: [] }, newRun: false }));
      await page.locator('#active-loop[data-state="training"]').waitFor();
      assert.match(await page.locator('#active-loop').textContent(), /^Active loop: training on 60 annotations/);
      await page.evaluate((r) => window.__hostNotify('activeLoop', { status: { every: 3, state: 'idle', untilNext: 3, rounds: [r] }, newRun: true }), round);
      await page.waitForFunction(() => document.body.dataset.refreshed === '1');
      assert.equal(await page.locator('#active-loop').textContent(), 'Active loop: Spearman 0.41 → 0.58 (n=60)');
      assert.match(await page.locator('#active-loop').getAttribute('title'), /By round: n=60 0\.41→0\.58/);
      const refresh = await page.evaluate(() => window.__received.find((m) => m.method === 'refreshPairs'));
      assert.deepEqual(refresh.params.keep, [{ id1: 'a1', id2: 'b1' }], 'the pair on screen is kept');
      assert.equal(await page.evaluate(() => document.body.dataset.pair), 'a1|b1', 'the pair on screen stays');
      const rubric = await page.locator('#anchors').boundingBox();
      assert.ok(rubric.y + rubric.height <= 800, `${theme}: rubric bottom at ${rubric.y + rubric.height}px with the active loop line`);
      await screenshot(page, `annotate-active-loop-${theme}`);
      await page.keyboard.press('2');
      await page.waitForFunction(() => document.body.dataset.pair === 'n0|m0');
      assert.match(await page.locator('#pair-meta').textContent(), /active-loop run 0\.500/);
      await page.keyboard.press('s');
      await page.waitForFunction(() => document.body.dataset.pair === 'n1|m1');
      const acted = (await commands(page)).map((m) => `${m.method} ${m.params.id1}`);
      assert.deepEqual(acted, ['score a0', 'score a1', 'skip n0'], 'no key lost across the refresh');
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
      await server.close();
    }
  }
});
