// `npm test`: every test suite, in order of speed, stopping at the first that fails.
//   0. strict TypeScript over src, test, bench, scripts and webview, then ESLint (eslint.config.mjs:
//      no import cycles, the layers of src/ and webview/, typescript-eslint's recommended rules)
//   1. unit tests (node --test over test/unit, the real engine, no VS Code); before them, the
//      Python venv of the python-runner tests (scripts/python-env.mjs: created once from
//      python/requirements.txt, then reused; EMBEDLAB_TEST_PYTHON skips it)
//   2. webview logic in a real browser (Debian chromium + playwright-core)
//   3. end to end in a real VS Code (code-server 4.100.3 driven by chromium)
// Each suite is also its own script: test:unit, test:browser, test:e2e.
// Set EMBEDLAB_TEST_SUITES=unit,browser to run a subset.
import { spawnSync } from 'node:child_process';

const tsc = 'node_modules/typescript/bin/tsc';
const suites = [
  { name: 'typecheck', args: [tsc, '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'typecheck-webview', args: [tsc, '-p', 'webview/tsconfig.json', '--noEmit'] },
  { name: 'lint', args: ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.'] },
  { name: 'python-env', args: ['scripts/python-env.mjs'], exportsPython: true, with: 'unit' },
  { name: 'unit', args: ['scripts/run-tests.mjs'] },
  { name: 'browser', args: ['test/browser/run.mjs'] },
  { name: 'e2e', args: ['scripts/e2e/run.mjs'] },
];
const wanted = process.env.EMBEDLAB_TEST_SUITES?.split(',').map((s) => s.trim());
const timings = [];
for (const suite of suites) {
  if (wanted && !wanted.includes(suite.name) && !(suite.with && wanted.includes(suite.with))) continue;
  const start = Date.now();
  process.stderr.write(`\n[test] ── ${suite.name} ──\n`);
  const res = spawnSync(process.execPath, suite.args, { stdio: ['inherit', suite.exportsPython ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  // The venv's python, for the suites after it (the python-runner tests read EMBEDLAB_TEST_PYTHON).
  if (suite.exportsPython && res.status === 0) process.env.EMBEDLAB_TEST_PYTHON = res.stdout.trim().split('\n').pop();
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  timings.push(`${suite.name} ${seconds} s`);
  if (res.status !== 0) {
    process.stderr.write(`[test] ${suite.name} failed (exit ${res.status ?? res.signal}) after ${seconds} s\n`);
    process.exit(res.status ?? 1);
  }
}
process.stderr.write(`[test] all passed: ${timings.join(', ')}\n`);
