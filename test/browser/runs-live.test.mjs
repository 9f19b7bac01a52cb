// Compare Runs while a fine-tune trains: the panel opened with no runs gets the running run
// through `runUpdated` (what the host pushes as metrics.jsonl grows). Its row says running, its
// loss curve is drawn and grows, even when the first push held only the "before" evaluation;
// then `runsChanged` reloads the panel with the final state. Screenshots in dark, light and
// high contrast at 1280×800.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviews, servePanel, launchBrowser, openPanel, screenshot, removeDir } from './harness.mjs';
import { mapFixture, runsFixture } from './fixtures.mjs';

const VIEW = { width: 1280, height: 800 };
const fixture = { runs: [] };
let dir, server, browser;
before(async () => {
  dir = await buildWebviews(['runs']);
  server = await servePanel(dir, 'runs', fixture, { mapFixture: mapFixture(300) });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) removeDir(dir);
});

/** The run as the host sends it while it trains: `steps` loss points after the before-evaluation. */
function liveRun(steps) {
  const base = runsFixture().runs[1];
  return {
    ...base,
    id: 'live-1', name: 'Triplet · full · 3 ep · lr 2e-5 · 6 déc. 15:10 (python, CPU)', named: false, tags: [], notes: '',
    status: 'running', createdAt: '2026-12-06T15:10:00Z', durationMs: undefined, metrics: {}, before: { top1: 0.3 }, evalOverlap: undefined,
    config: { loss: 'triplet', mode: 'full', epochs: 3, batchSize: 16, lr: 2e-5, runner: 'python' },
    curves: [
      { name: 'eval top1', points: [{ step: 0, value: 0.3 }] },
      ...(steps > 0 ? [{ name: 'loss', points: Array.from({ length: steps }, (_, s) => ({ step: s + 1, value: 5 - 0.05 * s + 0.2 * Math.sin(s) })) }] : []),
    ],
  };
}

const push = (page, run) => page.evaluate((r) => window.__hostNotify('runUpdated', { run: r }), run);
const pointsOf = (page, id) => page.locator(`#curves path.curve[data-run="${id}"]`).getAttribute('d').then((d) => (d.match(/[ML]/g) ?? []).length);

test('a running run arrives, its loss curve shows and grows live; the status says running', async () => {
  for (const theme of ['dark', 'light', 'hc']) {
    const o = await openPanel(browser, server.url(theme), VIEW);
    try {
      const { page } = o;
      assert.match(await page.locator('#runs-table').textContent(), /No runs yet/);
      // First push: only the before-evaluation line is in metrics.jsonl.
      await push(page, liveRun(0));
      await page.locator('#runs-table tr[data-run="live-1"] td.status-running').waitFor({ timeout: 5_000 });
      // Then the loss lines: the loss curve is the one shown (not the before-evaluation's one-point curve).
      await push(page, liveRun(12));
      await page.locator('#curves path.curve[data-run="live-1"]').waitFor({ timeout: 5_000 });
      assert.equal(await page.locator('#curve').inputValue(), 'loss');
      assert.equal(await pointsOf(page, 'live-1'), 12);
      await push(page, liveRun(30));
      await page.waitForFunction(() => (document.querySelector('#curves path.curve[data-run="live-1"]')?.getAttribute('d')?.match(/[ML]/g) ?? []).length === 30);
      assert.match(await page.locator('#curves svg').getAttribute('aria-label'), /^Training loss per step for 1 run/);
      await screenshot(page, `runs-live-${theme}`);
      assert.deepEqual(o.errors, []);
    } finally {
      await o.close();
    }
  }
});

test('a curve the user picked is kept while the live run has it', async () => {
  const o = await openPanel(browser, server.url('dark'), VIEW);
  try {
    const { page } = o;
    await push(page, liveRun(5));
    await page.locator('#curves path.curve[data-run="live-1"]').waitFor({ timeout: 5_000 });
    await page.locator('#curve').selectOption('eval top1');
    await push(page, { ...liveRun(8), name: 'après la deuxième mise à jour' });
    await page.locator('#runs-table .run-name-text', { hasText: 'après la deuxième mise à jour' }).waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('#curve').inputValue(), 'eval top1');
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});
