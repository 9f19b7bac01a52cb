// End-to-end: the python runner from the command palette, in a real VS Code (code-server).
//  1. Fine-tune… on a project whose encoder is a tiny sentence-transformers BERT (the fixture
//     test/fixtures/models/tiny-bert-st6), with embeddingLab.python set to the test venv (the one
//     scripts/python-env.mjs makes for the python-runner unit tests; EMBEDLAB_TEST_PYTHON when
//     `npm test` exported it; failing to get one fails this test, as it does the unit tests).
//     Checks: the runner pick shows the device; the run's loss curve shows in Compare Runs while
//     it trains; the run completes; config.json says runner python; the model is usable
//     (`embedlab embed --encoder run:<id>`, and the project view lists the run).
//  2. Set Up Python for Fine-tuning… with embeddingLab.python on a Python that cannot train:
//     the confirmation shows the exact commands and packages before anything runs; Cancel
//     installs nothing; confirming creates the venv and starts pip (the index pip is configured
//     with); cancelling the install leaves nothing behind and the setting unchanged. The full
//     install (torch and sentence-transformers, minutes) runs only with E2E_PYTHON_SETUP_FULL=1:
//     it then waits for the "ready" toast and the setting pointing at the new venv.
// Screenshots (dark, light, high contrast) go to the artifacts folder.
// Run through `npm run test:e2e` (it sets the E2E_* environment).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  launchBrowser, workbenchUrl, openWorkbench, runCommand, waitForNotification, pickQuickItem, acceptQuickPick,
  screenshot, openActivityView, clearNotifications, setColorTheme, findWebviewFrame, setMachineSettings, waitFor,
} from '../../scripts/e2e/vscode-e2e.mjs';

const baseUrl = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const state = process.env.E2E_STATE;
const devPath = process.env.E2E_EXTENSION_DEV_PATH || undefined;
const artifacts = path.resolve(process.env.E2E_ARTIFACTS || '.vscode-e2e/artifacts');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PROJECT = 'py-finetune';
const DATASET = 'ag-news';
const fullSetup = process.env.E2E_PYTHON_SETUP_FULL === '1';

const treeRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
const settingsFile = () => path.join(state, 'user-data', 'User', 'settings.json');
const readJsonFile = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
};
// The values in effect: embeddingLab.python is machine-scoped, so in code-server (a remote window)
// an update with the Global target lands in the server's Machine settings, which override the user's.
const readSettings = () => ({ ...readJsonFile(settingsFile()), ...readJsonFile(path.join(state, 'user-data', 'Machine', 'settings.json')) });

function embedlab(args) {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin/embedlab.js'), ...args], { cwd: repo, encoding: 'utf8' });
  assert.equal(r.status, 0, `embedlab ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The test venv's python, as the python-runner unit tests get it (created when missing). */
function testPython() {
  if (process.env.EMBEDLAB_TEST_PYTHON) return process.env.EMBEDLAB_TEST_PYTHON;
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts/python-env.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  assert.equal(r.status, 0, 'no Python test environment (scripts/python-env.mjs failed); set EMBEDLAB_TEST_PYTHON to a Python with python/requirements.txt installed');
  return r.stdout.trim().split('\n').pop();
}

/** Screenshot of the whole workbench into the artifacts, after the toasts are gone. */
async function shot(page, name, { keepToasts = false } = {}) {
  if (!keepToasts) await clearNotifications(page);
  await page.mouse.move(640, 799).catch(() => {});
  await page.waitForTimeout(300);
  return screenshot(page, artifacts, name);
}

/** Opens the workbench with the extension and the project view. */
async function openLab(page) {
  await openWorkbench(page, workbenchUrl(baseUrl, { folder: workspace, extensionDevelopmentPath: devPath }));
  // After a reload the activity item may show as selected while the side bar is still hidden: click it then.
  for (let attempt = 1; ; attempt++) {
    try {
      await openActivityView(page, 'Embedding Lab', { timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Embedding Lab"]').first().click();
    }
  }
  await treeRow(page, PROJECT).waitFor({ timeout: 30_000 });
}

/** Runs a project's context-menu command from its row of the project view (this also makes it the active project). */
async function projectMenu(page, project, item) {
  await treeRow(page, project).click({ button: 'right' });
  const entry = page.locator('.context-view .action-item', { hasText: new RegExp(`^\\s*${item}\\s*$`) }).first();
  await entry.waitFor({ timeout: 10_000 });
  // VS Code's menu ignores a mouse-up that comes right after it opened (the right-click's own).
  await page.waitForTimeout(500);
  await entry.hover();
  await entry.click();
  if (await entry.isVisible().catch(() => false)) await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'hidden', timeout: 10_000 });
}

test('python runner from the palette, and the venv set-up on request', { timeout: 600_000 }, async (t) => {
  assert.ok(baseUrl && workspace && state, 'run through `npm run test:e2e`');
  const t00 = Date.now();
  const python = testPython();
  t.diagnostic(`python: ${python} (${((Date.now() - t00) / 1000).toFixed(1)} s to find or make)`);

  // A project on the tiny sentence-transformers BERT, with the sample's 300 labelled news items.
  const projectDir = path.join(workspace, PROJECT);
  fs.rmSync(projectDir, { recursive: true, force: true });
  const model = path.join(workspace, '.py-finetune-model');
  fs.rmSync(model, { recursive: true, force: true });
  fs.cpSync(path.join(repo, 'test/fixtures/models/tiny-bert-st6'), model, { recursive: true });
  embedlab(['init', projectDir, '--name', PROJECT, '--encoder', model, '--text', '{title}. {description}', '--json']);
  embedlab(['import', path.join(workspace, 'ag-news-300.jsonl'), '--project', projectDir, '--name', DATASET, '--text', '{title}. {description}', '--label', 'label', '--id', 'id', '--json']);
  const machineSettingsFile = path.join(state, 'user-data', 'Machine', 'settings.json');
  const userBefore = readJsonFile(settingsFile());
  const machineBefore = readJsonFile(machineSettingsFile);
  setMachineSettings(state, { 'embeddingLab.python': python });
  // Leave the workspace and the settings as the other e2e tests expect them.
  t.after(() => {
    fs.rmSync(projectDir, { recursive: true, force: true });
    fs.rmSync(model, { recursive: true, force: true });
    fs.writeFileSync(settingsFile(), JSON.stringify(userBefore, null, 2));
    fs.mkdirSync(path.dirname(machineSettingsFile), { recursive: true });
    fs.writeFileSync(machineSettingsFile, JSON.stringify(machineBefore, null, 2));
  });

  const browser = await launchBrowser({ profileHome: path.join(artifacts, '.browser-home') });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const timings = {};
  let t0 = Date.now();
  const lap = (name) => {
    timings[name] = Date.now() - t0;
    t.diagnostic(`${name}: ${timings[name]} ms`);
    t0 = Date.now();
  };
  try {
    await openLab(page);
    await setColorTheme(page, state, 'dark');
    lap('workbench and project view');

    // ---- 1. Compare Runs open (no runs yet), then Fine-tune… from the palette on the python runner ----
    await projectMenu(page, PROJECT, 'Compare Runs');
    const runs = await findWebviewFrame(page, { selector: '#maps', text: 'No runs yet', timeout: 60_000 });
    await runCommand(page, 'Embedding Lab: Fine-tune…');
    await pickQuickItem(page, DATASET, { title: 'training data', exact: true });
    await pickQuickItem(page, 'Triplet', { title: 'loss', exact: true }); // MNR over label groups is builtin-only
    await pickQuickItem(page, 'Full model', { title: 'what to train', exact: true });
    await pickQuickItem(page, '3', { title: 'epochs', exact: true });
    await pickQuickItem(page, '16', { title: 'batch size', exact: true });
    await pickQuickItem(page, '1e-4', { title: 'learning rate', exact: true });
    // Where to run: python (offered first), with its interpreter and device; builtin after it.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'where to run' }).waitFor({ timeout: 60_000 });
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    const rowTexts = await rows.allInnerTexts();
    t.diagnostic(`runner pick: ${rowTexts.map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`);
    assert.equal(rowTexts.length, 2, rowTexts.join(' | '));
    assert.match(rowTexts[0], /Python \(sentence-transformers\)/);
    assert.ok(rowTexts[0].includes(python), `the python row names the interpreter: ${rowTexts[0]}`);
    assert.match(rowTexts[0], /Python 3\.\d+[.\d]*\), CPU/, 'the python row shows the device');
    assert.match(rowTexts[0], /fastest here|last used/);
    assert.match(rowTexts[1], /Built-in \(TensorFlow\.js\)/);
    t.diagnostic(`screenshot: ${await shot(page, 'python-runner-pick-dark', { keepToasts: true })}`);
    await acceptQuickPick(page, 'where to run');
    lap('wizard');

    // While it trains: the run's row says running and its loss curve is drawn (pushed live).
    const live = await runs.waitForFunction(() => {
      const td = document.querySelector('table.runs tbody tr td.status-running');
      if (!td) return false;
      const id = td.closest('tr').dataset.run;
      const p = document.querySelector(`#curves path.curve[data-run="${id}"]`);
      const points = (p?.getAttribute('d')?.match(/[ML]/g) ?? []).length;
      return points >= 2 && document.querySelector('#curve')?.value === 'loss' ? { id, points } : false;
    }, null, { timeout: 180_000, polling: 250 }).then((h) => h.jsonValue());
    t.diagnostic(`live: run ${live.id} running with ${live.points} loss points drawn`);
    lap('first live curve');
    await runs.locator('#curves').scrollIntoViewIfNeeded().catch(() => {});
    t.diagnostic(`screenshot: ${await shot(page, 'python-runner-live-dark', { keepToasts: true })}`);

    const done = await waitForNotification(page, /run ".+" completed in/, { timeout: 300_000 });
    lap('training to the end');
    const runDir = path.join(projectDir, 'runs', live.id);
    const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
    assert.equal(config.runner, 'python');
    const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.runner, 'python');
    assert.equal(summary.device, 'cpu');
    assert.ok(summary.onnxCheck?.ok, `ONNX check: ${JSON.stringify(summary.onnxCheck)}`);
    const lossLines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).filter((l) => typeof JSON.parse(l).loss === 'number').length;
    assert.ok(lossLines > live.points, `more loss lines at the end (${lossLines}) than seen live (${live.points}): the curve was caught mid-run`);
    t.diagnostic(`run: ${done.split('\n')[0]}; ${summary.step} steps, ${lossLines} loss lines`);
    // The panel reloads with the final state: completed, the whole curve.
    await runs.locator(`tr[data-run="${live.id}"] .status-completed`).waitFor({ timeout: 30_000 });
    await runs.waitForFunction(({ id, n }) => (document.querySelector(`#curves path.curve[data-run="${id}"]`)?.getAttribute('d')?.match(/[ML]/g) ?? []).length === n, { id: live.id, n: lossLines }, { timeout: 15_000 });
    // Its after map draws through the run's ONNX model (the panel picked the finished run).
    await runs.locator(`.map-cell[data-run="${live.id}"][data-stage="after"][data-ready="true"]`).waitFor({ timeout: 120_000 });
    // The model is usable: embedlab embed --encoder run:<id> (its ONNX export), and the project view lists the run.
    const texts = path.join(workspace, '.py-finetune-texts.jsonl');
    fs.writeFileSync(texts, ['{"text":"Stocks fall as oil prices rise"}', '{"text":"The team won the final"}'].join('\n') + '\n');
    t.after(() => fs.rmSync(texts, { force: true }));
    const out = JSON.parse(embedlab(['embed', texts, '--text', '{text}', '--encoder', `run:${live.id}`, '--project', projectDir, '--out', path.join(projectDir, 'probe.npy'), '--json']));
    t.diagnostic(`embed --encoder run:${live.id}: ${JSON.stringify(out).slice(0, 200)}`);
    // The same texts through SentenceTransformer(run/model) in the venv: the same vectors.
    const cmp = spawnSync(python, ['-c', [
      'import sys, json, numpy as np',
      'from sentence_transformers import SentenceTransformer',
      'm = SentenceTransformer(sys.argv[1], device="cpu")',
      'texts = [json.loads(l)["text"] for l in open(sys.argv[2], encoding="utf-8")]',
      'print(json.dumps({"diff": float(np.abs(m.encode(texts) - np.load(sys.argv[3])).max())}))',
    ].join('\n'), path.join(runDir, 'model'), texts, path.join(projectDir, 'probe.npy')], { encoding: 'utf8', env: { ...process.env, TQDM_DISABLE: '1' } });
    assert.equal(cmp.status, 0, cmp.stderr);
    const { diff } = JSON.parse(cmp.stdout.trim().split('\n').pop());
    assert.ok(diff <= 1e-4, `max |sentence-transformers − embedlab embed --encoder run:<id>| = ${diff}`);
    t.diagnostic(`SentenceTransformer(run/model) vs embedlab embed: max diff ${diff.toExponential(2)}`);
    // The project's node may come back collapsed when the tree refreshes at the run's end: open it.
    const projectRow = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${PROJECT}$`) }) }).first();
    if ((await projectRow.getAttribute('aria-expanded')) === 'false') await projectRow.click();
    await page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Runs$/ }) })
      .filter({ has: page.locator('.label-description', { hasText: /^1$/ }) }).first().click();
    // (The sample project has no run: this is the only Runs group with one.)
    const runName = done.match(/run "(.+)" completed in/)[1];
    await page.locator('.part.sidebar .monaco-list-row', { hasText: runName }).filter({ hasText: 'completed' }).first().waitFor({ timeout: 15_000 });
    lap('checks after the run');
    t.diagnostic(`screenshot: ${await shot(page, 'python-runner-done-dark')}`);
    await setColorTheme(page, state, 'light');
    t.diagnostic(`screenshot: ${await shot(page, 'python-runner-done-light')}`);
    await setColorTheme(page, state, 'hcDark');
    t.diagnostic(`screenshot: ${await shot(page, 'python-runner-done-hc')}`);
    await setColorTheme(page, state, 'dark');

    // ---- 2. Set Up Python for Fine-tuning… with a Python that cannot train ----
    // A bare venv (no torch): the python runner is unavailable, so the command offers the venv.
    const bare = path.join(state, 'bare-python');
    fs.rmSync(bare, { recursive: true, force: true });
    const made = spawnSync(python, ['-m', 'venv', '--without-pip', bare], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const barePython = path.join(bare, 'bin', 'python');
    // In the Machine settings, where the set-up itself will write (the setting is machine-scoped).
    setMachineSettings(state, { 'embeddingLab.python': barePython });
    await openLab(page); // a fresh extension host reads the new setting
    const venvDir = path.join(state, 'user-data', 'User', 'globalStorage');
    const requirements = fs.readFileSync(path.join(repo, 'python/requirements.txt'), 'utf8').split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'create a Python environment' });
    const openSetup = async () => {
      await runCommand(page, 'Embedding Lab: Set Up Python for Fine-tuning…');
      await dialog.waitFor({ timeout: 60_000 });
      return dialog.innerText();
    };
    let text = await openSetup();
    for (const r of requirements) assert.ok(text.includes(r), `the confirmation lists ${r}:\n${text}`);
    const venvMatch = text.match(/-m venv (\S+)/);
    assert.ok(venvMatch, `the confirmation shows the venv command:\n${text}`);
    const target = venvMatch[1];
    assert.ok(target.startsWith(venvDir), `the venv goes to the extension's global storage: ${target}`);
    assert.ok(text.includes(`${barePython} -m venv ${target}`), `made from the configured Python (${barePython}):\n${text}\nsettings in effect: ${JSON.stringify(readSettings())}`);
    assert.ok(text.includes(`${target}/bin/python -m pip install -r ${path.join(repo, 'python', 'requirements.txt')}`), `pip install -r requirements.txt:\n${text}`);
    assert.match(text, /embeddingLab\.python is set to/);
    t.diagnostic(`screenshot: ${await shot(page, 'python-setup-confirm-dark', { keepToasts: true })}`);
    // Cancel installs nothing and changes nothing.
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForTimeout(1_000);
    assert.equal(fs.existsSync(target), false, 'Cancel created no venv');
    assert.equal(readSettings()['embeddingLab.python'], barePython, 'Cancel left the setting alone');
    // The confirmation in light and high contrast.
    for (const theme of ['light', 'hcDark']) {
      await setColorTheme(page, state, theme);
      await openSetup();
      t.diagnostic(`screenshot: ${await shot(page, `python-setup-confirm-${theme}`, { keepToasts: true })}`);
      await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    }
    await setColorTheme(page, state, 'dark');
    lap('set up python: confirmation and cancel');

    // Confirm: the venv is created, then pip installs from the index pip is configured with.
    await openSetup();
    await dialog.locator('.monaco-button', { hasText: /^Create and Install$/ }).click();
    const progress = toast(page, 'setting up Python');
    await progress.waitFor({ timeout: 30_000 });
    await waitFor('the venv to be created', () => fs.existsSync(path.join(target, 'pyvenv.cfg')), { timeout: 120_000 });
    await toast(page, 'installing the requirements').waitFor({ timeout: 120_000 });
    t.diagnostic(`screenshot: ${await shot(page, 'python-setup-installing-dark', { keepToasts: true })}`);
    lap('set up python: venv created, pip started');
    if (!fullSetup) {
      // Cancel the install from its notification: the half-made venv goes, the setting stays.
      await progress.hover();
      await progress.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await waitForNotification(page, 'Python setup cancelled', { timeout: 60_000 });
      await waitFor('the half-made venv to be removed', () => !fs.existsSync(target), { timeout: 30_000 });
      assert.equal(readSettings()['embeddingLab.python'], barePython, 'a cancelled install left the setting alone');
      lap('set up python: install cancelled');
    } else {
      const ready = await waitForNotification(page, 'the python runner is ready', { timeout: 1_800_000 });
      assert.ok(ready.includes(path.join(target, 'bin', 'python')), ready);
      assert.equal(readSettings()['embeddingLab.python'], path.join(target, 'bin', 'python'));
      lap('set up python: full install');
      t.diagnostic(`screenshot: ${await shot(page, 'python-setup-ready-dark', { keepToasts: true })}`);
    }
    t.diagnostic(`timings (ms): ${JSON.stringify(timings)}`);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the workbench');
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'failure-python-runner.png') }).catch(() => {});
    if (pageErrors.length) t.diagnostic(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    throw err;
  }
});
