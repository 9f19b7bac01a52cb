// One esbuild script for every bundle of Embedding Lab.
//   node scripts/build.mjs [--watch] [--production] [--only host,engine,cli,webviews]
// Contexts:
//   host     src/extension.ts                 -> dist/extension.js        (node, cjs, vscode external)
//   engine   src/engine/jobs/engine-process.ts -> dist/engine-process.js  (node, cjs, natives external)
//   cli      src/cli/main.ts                  -> dist/cli.js              (node, cjs, natives external)
//   workers  src/engine/encoders/builtin/term-count-worker.ts -> dist/term-count-worker.js,
//            src/engine/cluster/topic-terms-worker.ts -> dist/topic-terms-worker.js
//            (a worker thread's script; built along with the engine and the CLI)
//   webviews webview/<name>/main.ts           -> dist/webview/<name>.js   (browser, iife), one per panel
// Assets: @vscode-elements/elements' bundle and the codicons font -> dist/webview/,
// the tfjs wasm binaries next to the node bundles (tfjs-backend-wasm looks for them
// beside the script that loads it). Type-checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
/** `--only cli` (or `--only=cli,engine`): build just those contexts, e.g. before the unit tests spawn bin/embedlab.js. */
const onlyArg = process.argv.slice(2).find((a, i, all) => a.startsWith('--only=') || all[i - 1] === '--only');
const only = onlyArg ? new Set(onlyArg.replace(/^--only=/, '').split(',')) : undefined;
const wanted = (name) => !only || only.has(name);
const watch = args.has('--watch');
const production = args.has('--production');
const dist = join(root, 'dist');

/** Native or runtime-loaded packages: shipped in node_modules, never bundled. */
const nodeExternals = ['vscode', 'onnxruntime-node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  absWorkingDir: root,
  legalComments: 'none',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternals,
  // tfjs-node is optional at runtime; keep `require.resolve` calls of optional modules working.
  mainFields: ['module', 'main'],
};

function nodeContexts() {
  const entries = [
    { in: 'src/extension.ts', out: 'extension', name: 'host' },
    { in: 'src/engine/jobs/engine-process.ts', out: 'engine-process', name: 'engine' },
    { in: 'src/cli/main.ts', out: 'cli', name: 'cli' },
    // The TF-IDF term-counting worker thread's script, loaded from dist/ by the engine and the CLI.
    { in: 'src/engine/encoders/builtin/term-count-worker.ts', out: 'term-count-worker', name: 'workers' },
    // The keywords' terms of a clustering, found on a worker thread while the encoder runs.
    { in: 'src/engine/cluster/topic-terms-worker.ts', out: 'topic-terms-worker', name: 'workers' },
  ].filter((e) => (wanted(e.name) || (e.name === 'workers' && (wanted('cli') || wanted('engine')))) && existsSync(join(root, e.in)));
  return entries.map((e) => ({ ...nodeCommon, entryPoints: { [e.out]: e.in }, outdir: dist }));
}

function webviewContext() {
  const dir = join(root, 'webview');
  if (!wanted('webviews') || !existsSync(dir)) return undefined;
  const entryPoints = {};
  for (const name of readdirSync(dir)) {
    const main = join(dir, name, 'main.ts');
    if (statSync(join(dir, name)).isDirectory() && existsSync(main)) entryPoints[name] = main;
  }
  if (Object.keys(entryPoints).length === 0) return undefined;
  const tsconfig = join(dir, 'tsconfig.json');
  return {
    ...common,
    entryPoints,
    outdir: join(dist, 'webview'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    ...(existsSync(tsconfig) ? { tsconfig } : {}),
    loader: { '.css': 'text', '.svg': 'text' },
  };
}

function copyAssets() {
  const webviewOut = join(dist, 'webview');
  mkdirSync(webviewOut, { recursive: true });
  const elements = join(root, 'node_modules/@vscode-elements/elements/dist/bundled.js');
  if (existsSync(elements)) cpSync(elements, join(webviewOut, 'vscode-elements.js'));
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  for (const file of ['codicon.css', 'codicon.ttf']) {
    if (existsSync(join(codicons, file))) cpSync(join(codicons, file), join(webviewOut, file));
  }
  const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  if (existsSync(wasmDir)) {
    for (const file of readdirSync(wasmDir)) {
      if (file.endsWith('.wasm')) cpSync(join(wasmDir, file), join(dist, file));
    }
    // The threaded SIMD build's worker source and Emscripten module (src/engine/train/wasm-threads.ts).
    for (const file of ['tfjs-backend-wasm-threaded-simd.worker.js', 'tfjs-backend-wasm-threaded-simd.js']) {
      const from = join(wasmDir, '..', 'wasm-out', file);
      if (existsSync(from)) cpSync(from, join(dist, file));
    }
  }
}

async function main() {
  const started = Date.now();
  // dist/ is overwritten in place, never wiped first: a running extension host (npm start,
  // an e2e run) may fork dist/engine-process.js at any moment. `--clean` wipes it.
  if (args.has('--clean')) rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  copyAssets();
  const options = [...nodeContexts(), webviewContext()].filter(Boolean);
  if (watch) {
    const contexts = await Promise.all(options.map((o) => esbuild.context(o)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log(`[build] watching ${contexts.length} bundles (Ctrl-C to stop)`);
    return;
  }
  await Promise.all(options.map((o) => esbuild.build(o)));
  console.log(`[build] ${options.length} bundles${production ? ' (production)' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
