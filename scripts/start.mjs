// `npm start`: a real VS Code in the browser with Embedding Lab loaded and a sample
// project open. Installs what is missing (npm packages, code-server into
// .vscode-e2e/code-server), builds the extension, creates the sample workspace from
// test/fixtures/sample/ and starts code-server on 127.0.0.1. Ctrl-C stops it.
//   npm start [-- --port 8080] [-- --fresh]   (--fresh: recreate the sample workspace)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSampleWorkspace, repoRoot } from './e2e/sample-project.mjs';
import { build, devWorkbenchUrl, e2eDir, ensureCodeServer, ensureNodeModules, log, startServer, stopServer } from './e2e/server.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const port = portArg >= 0 ? Number(argv[portArg + 1]) : Number(process.env.PORT ?? 0) || undefined;
const fresh = argv.includes('--fresh');
const P = 'start';
const t0 = Date.now();

ensureNodeModules(P);
ensureCodeServer();
build(P);

const workspace = join(e2eDir, 'sample-workspace');
if (fresh || !existsSync(join(workspace, 'ag-news-sample/project.json'))) {
  createSampleWorkspace(workspace);
  log(P, `sample workspace created in ${workspace}`);
}
const state = join(e2eDir, 'start-state');
stopServer({ state });
const baseUrl = startServer({ state, workspace, port });
const url = devWorkbenchUrl(baseUrl, workspace);

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  log(P, 'stopping code-server');
  stopServer({ state });
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const pid = Number(readFileSync(join(state, 'server.pid'), 'utf8'));
process.stdout.write(
  `\nEmbedding Lab is running in VS Code ${'(code-server 4.100.3, VS Code 1.100.3)'} — ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n\n` +
    `  Open: ${url}\n\n` +
    `  (The plain ${baseUrl}/ opens VS Code without the extension.)\n` +
    `  Workspace: ${workspace}\n  Server log: ${join(state, 'server.log')}\n  Extension: ${repoRoot}\n\n` +
    `Press Ctrl-C to stop.\n`,
);
// Stay alive while the server runs.
setInterval(() => {
  try {
    process.kill(pid, 0);
  } catch {
    log(P, 'code-server exited; see the server log');
    stop(1);
  }
}, 2000);
