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
    // the toolbar's alpha and shared pairs follow each save
    assert.equal(await page.locator('#agreement').textContent(), "Krippendorff's α 0.65 · 5 pairs with ≥2 annotators");
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

test('guidelines (G): the project file as safe Markdown, HTML shown as text; the rubric stays on screen under long French texts', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const server = await servePanel(dir, 'annotate', longAnnotateFixture());
    const o = await openPanel(browser, server.url(theme), { width: 1280, height: 800 });
    try {
      const { page } = o;
      assert.equal(await page.locator('#guidelines').isVisible(), false);
      await page.keyboard.press('g');
      await page.waitForFunction(() => document.body.dataset.guidelines === 'true');
      const g = page.locator('#guidelines');
      assert.ok(await g.isVisible());
      assert.equal(await g.locator('.md-heading').first().textContent(), 'Consignes d’annotation');
      assert.equal(await g.locator('li').count(), 3);
      assert.equal(await g.locator('strong').first().textContent(), 'proximité');
      assert.match(await g.locator('blockquote').textContent(), /En cas de doute/);
      // raw HTML in the file is text: no element is made from it
      assert.match(await g.textContent(), /<script>alert\(1\)<\/script> et <img src=x onerror=alert\(2\)>/);
      assert.equal(await g.locator('script, img, a').count(), 0);
      assert.equal(await g.locator('.md-link').getAttribute('title'), 'https://example.org/guide');
      const rubric = await page.locator('#anchors').boundingBox();
      assert.ok(rubric.y + rubric.height <= 800, `${theme}: rubric bottom at ${rubric.y + rubric.height}px with the guidelines open`);
      const keys = await page.locator('#skip').boundingBox();
      assert.ok(keys.y + keys.height <= 800, `${theme}: action keys bottom at ${keys.y + keys.height}px with the guidelines open`);
      await screenshot(page, `annotate-guidelines-${theme}`);
      await page.locator('#edit-guidelines').click();
      await page.locator('#edit-rubric').click();
      assert.deepEqual((await commands(page)).map((m) => [m.method, m.params]), [['openProjectFile', { file: 'guidelines' }], ['openProjectFile', { file: 'rubric' }]]);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.body.dataset.guidelines === 'false');
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
      await server.close();
    }
  }
});

test('shared words are marked in both long French texts, through "show more"; H hides the marks', async () => {
  const server = await servePanel(dir, 'annotate', longAnnotateFixture());
  const o = await openPanel(browser, server.url('light'), { width: 1280, height: 800 });
  try {
    const { page } = o;
    const marks = (side) => page.locator(`#${side} mark.shared`).allTextContents();
    const left = await marks('left');
    const right = await marks('right');
    assert.ok(left.length > 40 && right.length > 40, `${left.length} / ${right.length} marks`);
    const words = new Set(['budget', 'écoles', 'piscine', 'élus', 'région', 'conseil', 'municipal']);
    for (const w of [...left, ...right]) assert.ok(words.has(w.toLowerCase()), w);
    assert.ok(left.includes('écoles') && right.includes('élus'));
    // the marks do not change the text
    const text = await page.locator('#left .field-summary').textContent();
    assert.equal(text, (await page.evaluate(() => window.__FIXTURE__.pairs[0].left.fields[1].value)));
    assert.match(await page.locator('#pair-meta').textContent(), /shared words: budget, écoles, piscine/);
    const bg = () => page.locator('#left mark.shared').first().evaluate((m) => getComputedStyle(m).backgroundColor);
    assert.notEqual(await bg(), 'rgba(0, 0, 0, 0)');
    // the last mark of the long text is below the cap; show more brings it into view
    await page.keyboard.press('m');
    await page.waitForFunction(() => document.body.dataset.expanded === 'true');
    assert.equal((await marks('left')).length, left.length);
    assert.ok(await page.locator('#left mark.shared').last().isVisible());
    await page.keyboard.press('m');
    await page.keyboard.press('h');
    await page.waitForFunction(() => document.body.dataset.highlight === 'false');
    assert.equal(await bg(), 'rgba(0, 0, 0, 0)');
    assert.equal(await page.locator('#highlight').getAttribute('aria-pressed'), 'false');
    await page.keyboard.press('h');
    await page.waitForFunction(() => document.body.dataset.highlight === 'true');
    assert.equal((await commands(page)).length, 0);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
    await server.close();
  }
});

test('review mode (R): filters, and an edit sends a new score for the pair; pair keys do nothing there', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const server = await servePanel(dir, 'annotate', annotateFixture());
    const o = await openPanel(browser, server.url(theme), { width: 1280, height: 800 });
    try {
      const { page } = o;
      await page.keyboard.press('r');
      await page.waitForFunction(() => document.body.dataset.mode === 'review' && document.querySelectorAll('.review-row').length === 4);
      assert.equal(await page.locator('#annotate-area').isVisible(), false);
      const rows = () => page.locator('.review-row').evaluateAll((rs) => rs.map((r) => r.dataset.pair));
      assert.deepEqual(await rows(), ['r0|s0', 'r1|s1', 'r2|s2', 'r3|s3']);
      assert.match(await page.locator('.review-row').first().textContent(), /ana.*même région.*tester \(you\)/);
      assert.equal(await page.locator('#review-count').textContent(), '4 annotated pairs');
      // long texts are clamped to two lines per record: a row stays short
      const tall = await page.locator('.review-row[data-pair="r3|s3"]').boundingBox();
      assert.ok(tall.height < 140, `the long row is ${tall.height}px high`);
      // keys 1–5 and s act on the pair queue, not here
      await page.keyboard.press('4');
      await page.keyboard.press('s');
      assert.equal((await commands(page)).length, 0);
      // words, without accents or case
      await page.fill('#review-text', 'EMILIE');
      await page.waitForFunction(() => document.querySelector('#review-count').dataset.total === '1');
      assert.deepEqual(await rows(), ['r0|s0']);
      assert.equal(await page.locator('#review-count').textContent(), '1 of 4 annotated pairs');
      await page.click('#review-clear');
      await page.waitForFunction(() => document.querySelector('#review-count').dataset.total === '4');
      await page.selectOption('#review-annotator', 'ben');
      await page.waitForFunction(() => document.querySelector('#review-count').dataset.total === '2');
      assert.deepEqual(await rows(), ['r2|s2', 'r3|s3']);
      await page.selectOption('#review-annotator', '');
      await page.selectOption('#review-max', '0.25');
      await page.waitForFunction(() => document.querySelector('#review-count').dataset.total === '2');
      assert.deepEqual(await rows(), ['r1|s1', 'r3|s3']);
      await page.selectOption('#review-max', '');
      await page.waitForFunction(() => document.querySelector('#review-count').dataset.total === '4');
      await screenshot(page, `annotate-review-${theme}`);

      // edit r1|s1: tester's 0 becomes .5 with a note, sent as a new score
      await page.locator('.review-row[data-pair="r1|s1"] .review-edit').click();
      await page.waitForSelector('.review-editor');
      assert.equal(await page.locator('.review-editor .review-anchor.chosen').getAttribute('data-score'), '0');
      await page.locator('.review-editor .review-anchor[data-score="0.5"]').click();
      await page.fill('.review-note-input', 'même pays, sujets différents');
      await screenshot(page, `annotate-review-edit-${theme}`);
      await page.locator('.review-save').click();
      await page.waitForFunction(() => window.__received.some((m) => m.method === 'score'));
      assert.deepEqual((await commands(page)).map((m) => [m.method, m.params]), [['score', { id1: 'r1', id2: 's1', score: 0.5, note: 'même pays, sujets différents' }]]);
      // the list is fetched again: the edited pair is now the newest, with the new score
      await page.waitForFunction(() => document.querySelector('.review-row')?.dataset.pair === 'r1|s1');
      assert.match(await page.locator('.review-row').first().locator('.review-score.mine').textContent(), /^\.50 tester \(you\).*même pays, sujets différents/);
      assert.match(await page.locator('#review-message').textContent(), /new entry; the earlier ones stay in the log/);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.body.dataset.mode === 'annotate');
      assert.ok(await page.locator('#anchors').isVisible());
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
      await server.close();
    }
  }
});

test('the disagreement queue: widest first, every annotator\u2019s score shown; skipping a pair you scored passes it (no entry)', async () => {
  const server = await servePanel(dir, 'annotate', annotateFixture());
  const o = await openPanel(browser, server.url('dark'), { width: 1280, height: 800 });
  try {
    const { page } = o;
    assert.ok((await page.locator('#strategy option').allTextContents()).includes('Disagreements'));
    await page.selectOption('#strategy', 'disagreement');
    await page.waitForFunction(() => document.body.dataset.pair === 'd0|e0');
    assert.match(await page.locator('#pair-agreement').textContent(), /ana 0, tester \(you\) 1 · mean 0\.50 · spread 1\.00/);
    assert.equal(await page.locator('.anchor.chosen').getAttribute('data-score'), '1', 'your earlier score is shown');
    assert.equal(await page.locator('#skip').textContent(), 'Pass (S)');
    assert.match(await page.locator('#agreement').textContent(), /Krippendorff's α 0\.61 · 4 pairs with ≥2 annotators/);
    await screenshot(page, 'annotate-disagreement-dark');
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.body.dataset.pair === 'd1|e1');
    assert.match(await page.locator('#message').textContent(), /Passed d0 · e0; your score 1 stands/);
    assert.match(await page.locator('#pair-agreement').textContent(), /ana \.25, ben 1 · mean 0\.63 · spread 0\.75/);
    assert.equal(await page.locator('.anchor.chosen').count(), 0);
    assert.equal(await page.locator('#skip').textContent(), 'Skip (S)');
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.body.dataset.pair === 'd2|e2');
    const sent = (await commands(page)).filter((m) => m.method !== 'setStrategy');
    assert.deepEqual(sent.map((m) => [m.method, m.params]), [['pass', { id1: 'd0', id2: 'e0' }], ['score', { id1: 'd1', id2: 'e1', score: 0.25 }]]);
    // undo twice: the score is withdrawn; the pass had no entry, so nothing is sent for it
    await page.keyboard.press('u');
    await page.keyboard.press('u');
    await page.waitForFunction(() => document.body.dataset.pair === 'd0|e0');
    const after = (await commands(page)).filter((m) => m.method !== 'setStrategy');
    assert.deepEqual(after.slice(2).map((m) => [m.method, m.params]), [['undo', { id1: 'd1', id2: 'e1' }]]);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
    await server.close();
  }
});

test('a project without guidelines offers to create them; a saved guidelines.md or rubric reaches the open page', async () => {
  const fixture = annotateFixture();
  delete fixture.session.guidelines;
  const server = await servePanel(dir, 'annotate', fixture);
  const o = await openPanel(browser, server.url('dark'));
  try {
    const { page } = o;
    await page.keyboard.press('g');
    await page.waitForFunction(() => document.body.dataset.guidelines === 'true');
    assert.equal(await page.locator('#edit-guidelines').textContent(), 'Create guidelines.md');
    assert.match(await page.locator('#guidelines').textContent(), /no guidelines yet/);
    // the host saw guidelines.md and project.json change: a three-level rubric, new guidelines
    await page.evaluate(() => window.postMessage({ kind: 'notification', method: 'sessionChanged', params: {
      ...window.__FIXTURE__.session,
      rubric: [{ score: 0, label: 'Sans rapport', description: '' }, { score: 0.5, label: 'Même sujet', description: 'Le même thème.' }, { score: 1, label: 'Même événement', description: '' }],
      guidelines: { file: 'guidelines.md', text: '# Nos consignes\n\nTrois niveaux seulement.' },
    } }, '*'));
    await page.waitForFunction(() => document.querySelectorAll('.anchor').length === 3);
    assert.equal(await page.locator('#guidelines .md-heading').textContent(), 'Nos consignes');
    assert.equal(await page.locator('#edit-guidelines').textContent(), 'Edit guidelines.md');
    const widths = await page.locator('.anchor').evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().width)));
    assert.ok(widths[0] > 300, `three anchors share the row: ${widths}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('3');
    await page.waitForFunction(() => window.__received.some((m) => m.method === 'score'));
    assert.equal((await commands(page)).find((m) => m.method === 'score').params.score, 1);
    await page.keyboard.press('5');
    assert.match(await page.locator('#message').textContent(), /Saved 1/);
    assert.equal((await commands(page)).filter((m) => m.method === 'score').length, 1, 'key 5 does nothing with three levels');
    await screenshot(page, 'annotate-three-levels-dark');
  } finally {
    await o.close();
    await server.close();
  }
});

test('LLM pre-score hint: absent unless the host sends one; shown as text, and the score records that it was shown', async () => {
  const fixture = annotateFixture();
  fixture.pairs[1].hint = { score: 0.25, model: 'judge-1', reason: 'Deux dépêches sur la même région <img src=x onerror="window.__pwned=1">, sujets différents.' };
  const server = await servePanel(dir, 'annotate', fixture);
  const o = await openPanel(browser, server.url('light'));
  try {
    const { page } = o;
    await page.waitForFunction(() => document.body.dataset.pair === 'a0|b0');
    assert.equal(await page.locator('#llm-hint').isVisible(), false, 'no hint by default');
    await page.keyboard.press('3');
    await page.waitForFunction(() => document.body.dataset.pair === 'a1|b1');
    assert.deepEqual((await commands(page))[0].params, { id1: 'a0', id2: 'b0', score: 0.5 });
    assert.ok(await page.locator('#llm-hint').isVisible());
    assert.match(await page.locator('#llm-hint').textContent(), /LLM hint \(judge-1\): \.25 — Deux dépêches.*<img/);
    assert.equal(await page.locator('#llm-hint img').count(), 0, 'the reason is text, never HTML');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await screenshot(page, 'annotate-llm-hint-light');
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.body.dataset.pair === 'a2|b2');
    assert.deepEqual((await commands(page))[1].params, { id1: 'a1', id2: 'b1', score: 0.25, hintShown: true });
    assert.equal(await page.locator('#llm-hint').isVisible(), false, 'the next pair has no hint');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
    await server.close();
  }
});

test('LLM pre-score hint: turning the setting on shows the hint on the pair on screen and the queued ones', async () => {
  const fixture = annotateFixture();
  const hint = (k) => ({ score: 0.75, model: 'judge-1', reason: `Même sujet (${k}).` });
  // what the host suggests once embeddingLab.annotate.showLlmHint is on: the same pairs, with their hints
  fixture.refreshed = fixture.pairs.slice(1, 3).map((p, k) => ({ ...p, hint: hint(k) }));
  const server = await servePanel(dir, 'annotate', fixture);
  const o = await openPanel(browser, server.url('dark'));
  try {
    const { page } = o;
    await page.waitForFunction(() => document.body.dataset.pair === 'a0|b0');
    await page.keyboard.press('3');
    await page.waitForFunction(() => document.body.dataset.pair === 'a1|b1');
    assert.equal(await page.locator('#llm-hint').isVisible(), false, 'no hint while the setting is off');
    await page.evaluate(() => window.__hostNotify('hintSettingChanged', { show: true }));
    await page.locator('#llm-hint:not([hidden])').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('#llm-hint').textContent(), /LLM hint \(judge-1\): \.75 — Même sujet \(0\)/);
    const refresh = await page.evaluate(() => window.__received.find((m) => m.method === 'refreshPairs'));
    assert.deepEqual(refresh.params.keep, [{ id1: 'a1', id2: 'b1' }], 'the pair on screen is asked for again');
    await page.keyboard.press('4');
    await page.waitForFunction(() => document.body.dataset.pair === 'a2|b2');
    assert.deepEqual((await commands(page)).at(-1).params, { id1: 'a1', id2: 'b1', score: 0.75, hintShown: true });
    assert.match(await page.locator('#llm-hint').textContent(), /Même sujet \(1\)/, 'the queued pair has its hint too');
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
