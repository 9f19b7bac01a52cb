// `npm run test:e2e`: end-to-end tests in a real VS Code (code-server 4.100.3) driven by
// Debian's Chromium through playwright-core. Installs what is missing (Debian chromium
// and ripgrep when run as root, code-server into .vscode-e2e/code-server), builds the
// extension, creates a fresh sample workspace, starts a private server, runs
// test/e2e/*.e2e.test.mjs with node's test runner, stops the server, prints timings.
// Screenshots go to .vscode-e2e/artifacts/.
//   node scripts/e2e/run.mjs [name filter]
// E2E_EXT_MODE=vsix: test the packaged extension (npm run package, installed with
// --install-extension) instead of loading the repository as extensionDevelopmentPath.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createSampleWorkspace, repoRoot } from './sample-project.mjs';
import { build, e2eDir, ensureCodeServer, ensureDebianPackages, ensureNodeModules, log, startServer, stopServer } from './server.mjs';

const P = 'e2e';
const filter = process.argv[2];
const times = {};
const t0 = Date.now();
let t = Date.now();
const lap = (name) => {
  times[name] = ((Date.now() - t) / 1000).toFixed(1);
  t = Date.now();
};

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const stillMissing = ensureDebianPackages(
  [
    { command: existsSync(chromium) ? 'true' : 'chromium', package: 'chromium' },
    { command: 'rg', package: 'ripgrep' },
  ],
  P,
);
if (stillMissing.some((p) => p.package === 'chromium')) {
  log(P, 'Chromium is required for the end-to-end tests');
  process.exit(1);
}
lap('apt');
ensureNodeModules(P);
ensureCodeServer();
lap('install-code-server');
const vsixMode = process.env.E2E_EXT_MODE === 'vsix';
let vsix;
if (vsixMode) {
  vsix = join(e2eDir, 'embedding-lab.vsix');
  log(P, 'packaging the extension (vsix mode)');
  const res = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--production'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const pack = res.status === 0 && spawnSync(process.execPath, [join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', vsix], { cwd: repoRoot, stdio: 'inherit' });
  if (!pack || pack.status !== 0) throw new Error('packaging failed');
} else {
  build(P);
}
lap('build');

const workspace = join(e2eDir, 'e2e-workspace');
const state = join(e2eDir, 'e2e-state');
const artifacts = join(e2eDir, 'artifacts');
stopServer({ state });
rmSync(state, { recursive: true, force: true });
createSampleWorkspace(workspace);
mkdirSync(artifacts, { recursive: true });
const url = startServer({ state, workspace, vsix });
lap('server-start');

let status = 1;
try {
  const files = readdirSync(join(repoRoot, 'test/e2e'))
    .filter((f) => f.endsWith('.e2e.test.mjs') && (!filter || f.includes(filter)))
    .sort()
    .map((f) => join(repoRoot, 'test/e2e', f));
  if (files.length === 0) throw new Error('no e2e test matched');
  const res = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      E2E_URL: url,
      E2E_WORKSPACE: workspace,
      E2E_STATE: state,
      E2E_EXTENSION_DEV_PATH: vsixMode ? '' : repoRoot,
      E2E_ARTIFACTS: artifacts,
      CHROMIUM_PATH: chromium,
    },
  });
  status = res.status ?? 1;
} finally {
  lap('tests');
  stopServer({ state });
}
log(P, `timings (s): ${Object.entries(times).map(([k, v]) => `${k}=${v}`).join(' ')} total=${((Date.now() - t0) / 1000).toFixed(1)}`);
log(P, `artifacts: ${artifacts} (server log: ${join(state, 'server.log')})`);
process.exit(status);
