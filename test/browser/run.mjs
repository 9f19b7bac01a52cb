// Runs the real-browser webview tests (node:test + playwright-core + Debian chromium), no npm needed:
//   node test/browser/run.mjs [substring filter]
// Screenshots go to test/browser/screenshots/.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ensureDebianPackages } from '../../scripts/e2e/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && (!filter || f.includes(filter))).sort().map((f) => join(here, f));
if (files.length === 0) {
  console.error('no browser test files matched');
  process.exit(1);
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium) && ensureDebianPackages([{ command: 'chromium', package: 'chromium' }], 'browser').length > 0) {
  console.error('Chromium is required for the browser tests');
  process.exit(1);
}
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(res.status ?? 1);
