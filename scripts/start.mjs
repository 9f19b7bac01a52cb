// `npm start`: a real VS Code in the browser with Embedding Lab loaded and a sample
// project open. Installs what is missing (npm packages, code-server into
// .vscode-e2e/code-server), builds the extension, creates the sample workspace from
// test/fixtures/sample/ and starts code-server on 127.0.0.1. Ctrl-C stops it.
//   npm start [-- --port 8080] [-- --fresh]   (--fresh: recreate the sample workspace)
// The port stays the same between starts (derived from the workspace path, in 8700-8799; the
// next free one when taken), so the browser keeps its open tabs and theme.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSampleWorkspace, repoRoot } from './e2e/sample-project.mjs';
import { build, devWorkbenchUrl, e2eDir, ensureCodeServer, ensureNodeModules, log, startServer, stopServer } from './e2e/server.mjs';
import { choosePort, defaultPort, parsePort } from './e2e/port.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
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
// The same port every time (the browser keeps tabs and the theme per host:port): --port, PORT, or one derived
// from the workspace path; the next free one when another program holds it.
const preferred =
  portArg >= 0 ? parsePort(argv[portArg + 1], '--port') : process.env.PORT ? parsePort(process.env.PORT, 'PORT') : defaultPort(workspace);
const port = await choosePort(preferred);
if (port !== preferred) log(P, `port ${preferred} is taken; using ${port}`);
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
