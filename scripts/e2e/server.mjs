// Node side of the code-server scripts, shared by `npm start` and `npm run test:e2e`:
// make sure the tools are there, build, start and stop a private server.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './sample-project.mjs';

export const e2eDir = join(repoRoot, '.vscode-e2e');
export const codeServerDir = process.env.CODE_SERVER_DIR ?? join(e2eDir, 'code-server');
const scriptsDir = join(repoRoot, 'scripts/e2e');

export function log(prefix, message) {
  process.stderr.write(`[${prefix}] ${message}\n`);
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Installs Debian packages that are missing (needs root and apt-get); returns what is still missing. */
export function ensureDebianPackages(packages, prefix) {
  const missing = packages.filter((p) => !hasCommand(p.command));
  if (missing.length === 0) return [];
  const names = missing.map((p) => p.package).join(' ');
  if (process.getuid?.() !== 0 || !hasCommand('apt-get')) {
    log(prefix, `missing: ${names} — install them with: sudo apt-get install -y --no-install-recommends ${names}`);
    return missing;
  }
  log(prefix, `installing Debian packages: ${names}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing.map((p) => p.package)], { stdio: 'inherit', env });
  return missing.filter((p) => !hasCommand(p.command));
}

/** Installs code-server into .vscode-e2e/code-server unless it is there (0.3 s then). */
export function ensureCodeServer() {
  const res = spawnSync('bash', [join(scriptsDir, 'install-code-server.sh'), codeServerDir], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('installing code-server failed (see the messages above)');
}

/** Installs npm dependencies when node_modules is missing. */
export function ensureNodeModules(prefix) {
  if (existsSync(join(repoRoot, 'node_modules/esbuild')) && existsSync(join(repoRoot, 'node_modules/tsx'))) return;
  log(prefix, 'node_modules missing: npm ci');
  const res = spawnSync('npm', ['ci'], { cwd: repoRoot, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('npm ci failed');
}

export function build(prefix) {
  log(prefix, 'building the extension (node scripts/build.mjs)');
  const res = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('the build failed');
}

/** Starts code-server; returns its base URL. */
export function startServer({ state, workspace, port, vsix }) {
  const args = [join(scriptsDir, 'launch-code-server.sh'), 'start', '--state', state, '--workspace', workspace, '--code-server-dir', codeServerDir];
  if (port) args.push('--port', String(port));
  if (vsix) args.push('--vsix', vsix);
  return execFileSync('bash', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export function stopServer({ state }) {
  spawnSync('bash', [join(scriptsDir, 'launch-code-server.sh'), 'stop', '--state', state], { stdio: 'inherit' });
}

/**
 * The workbench URL that opens `folder` with this repository loaded as the extension
 * under development (the browser's equivalent of --extensionDevelopmentPath).
 */
export function devWorkbenchUrl(baseUrl, folder, extensionPath = repoRoot) {
  const url = new URL(baseUrl);
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${url.host}${extensionPath}`]]);
  url.search = `folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
  return url.toString();
}
