/**
 * Builds the .vsix the way `npm run package` does (production bundles + vsce) and checks
 * what is inside: the bundles and the native modules the engine needs, and no test
 * data, sources or dev dependencies. Slow-ish (a production build and a zip of the
 * ONNX Runtime binaries); skipped with a message when vsce is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { EngineClient } from '../../../src/engine/jobs/client';
import { createProject } from '../../../src/engine/project/store';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '../../..');
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');

function run(cmd: string, args: string[], cwd = root): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(res.status, 0, `${cmd} ${args.join(' ')} failed:\n${res.stderr}\n${res.stdout}`);
  return res.stdout;
}

interface ZipEntry {
  name: string;
  size: number;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** Lists a zip's entries with a tiny central-directory reader (no unzip binary needed). */
function zipEntries(file: string): ZipEntry[] {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, method, compressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Extracts the entries under `prefix` (stored or deflated) into `dir`. */
function extractZip(file: string, entries: ZipEntry[], prefix: string, dir: string): void {
  const buf = readFileSync(file);
  for (const e of entries) {
    if (!e.name.startsWith(prefix) || e.name.endsWith('/')) continue;
    const p = e.localOffset;
    assert.equal(buf.readUInt32LE(p), 0x04034b50, `bad local header for ${e.name}`);
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    const raw = buf.subarray(start, start + e.compressedSize);
    const data = e.method === 0 ? raw : inflateRawSync(raw);
    assert.equal(data.length, e.size, `size of ${e.name}`);
    const out = path.join(dir, e.name);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, data);
  }
}

test('the vsix holds the bundles and native modules, and no tests, sources or dev dependencies; its engine runs from the unpacked vsix', { timeout: 300_000 }, async (t) => {
  if (!existsSync(vsce)) {
    t.skip('@vscode/vsce is not installed (npm ci installs it as a dev dependency)');
    return;
  }
  const out = mkdtempSync(path.join(tmpdir(), 'el-vsix-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const vsix = path.join(out, 'embedding-lab.vsix');
  run(process.execPath, ['scripts/build.mjs', '--production']);
  run(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', vsix]);
  const entries = zipEntries(vsix);
  const names = entries.map((e) => e.name.replace(/^extension\//, ''));
  const has = (name: string) => names.includes(name);

  for (const required of [
    'package.json',
    'dist/extension.js',
    'dist/engine-process.js',
    'dist/cli.js',
    'dist/tfjs-backend-wasm.wasm',
    'dist/tfjs-backend-wasm-simd.wasm',
    // the threaded SIMD build: its binary, worker source and Emscripten module (engine/train/wasm-threads.ts)
    'dist/tfjs-backend-wasm-threaded-simd.wasm',
    'dist/tfjs-backend-wasm-threaded-simd.worker.js',
    'dist/tfjs-backend-wasm-threaded-simd.js',
    'node_modules/onnxruntime-node/package.json',
    'node_modules/onnxruntime-node/dist/index.js',
    'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
    'node_modules/onnxruntime-common/package.json',
    'node_modules/onnxruntime-common/dist/cjs/index.js',
    'node_modules/onnxruntime-common/dist/cjs/package.json',
    'media/embedding-lab.svg',
    'docs/screenshots/map-dark.png',
  ]) {
    assert.ok(has(required), `the vsix lacks ${required}`);
  }
  const webviews = names.filter((n) => n.startsWith('dist/webview/'));
  assert.ok(webviews.includes('dist/webview/vscode-elements.js'), 'the vscode-elements bundle ships for the webviews');

  const forbidden = [
    /^test\//, /^src\//, /^bench\//, /^scripts\//, /^webview\//, /^\.vscode-e2e\//, /^models\/.*\.(onnx|safetensors)$/,
    /\.map$/, /\.ts$/, /^tsconfig/, /^\.ci\//,
    /^node_modules\/(typescript|esbuild|@esbuild|tsx|playwright-core|@vscode\/vsce|@types|@vscode-elements|papaparse|umap-js|@tensorflow|@huggingface)\//,
    /^node_modules\/onnxruntime-node\/bin\/napi-v6\/(darwin|win32)\//,
    /\.jsonl$/,
  ];
  for (const name of names) {
    for (const re of forbidden) assert.doesNotMatch(name, re, `the vsix should not contain ${name}`);
  }
  const totalMb = entries.reduce((s, e) => s + e.size, 0) / 1e6;
  t.diagnostic(`vsix: ${entries.length} files, ${totalMb.toFixed(1)} MB uncompressed`);
  assert.ok(totalMb < 120, `the vsix is too big: ${totalMb.toFixed(1)} MB`);

  // The packaged engine process, unpacked outside the repository (no node_modules/@tensorflow
  // or tsx to fall back on): ONNX Runtime's native binding loads, and training finds the
  // tfjs wasm binaries next to the bundle.
  const unpacked = path.join(out, 'unpacked');
  extractZip(vsix, entries, 'extension/', unpacked);
  const engine = new EngineClient({ entry: path.join(unpacked, 'extension/dist/engine-process.js'), env: { EMBEDLAB_TF_BACKEND: 'wasm', EMBEDLAB_TFJS_WASM_DIR: undefined } });
  t.after(() => engine.dispose());
  const project = path.join(out, 'project');
  await createProject(project, { name: 'vsix', template: '{title}. {description}' });
  const fixture = path.join(root, 'test/fixtures/sample/ag-news-300.jsonl');
  const imported = await engine.run({ type: 'import', params: { projectDir: project, file: fixture, name: 'news', label: 'label', idField: 'id' } });
  assert.equal(imported.imported, 300);
  const onnx = await engine.run({ type: 'embed', params: { texts: ['a first text', 'a second one'], encoder: path.join(root, 'test/fixtures/models/tiny-bert-st6') } });
  assert.equal(onnx.embeddings.rows, 2, 'onnxruntime-node runs from the vsix');
  const clustered = await engine.run({ type: 'cluster', params: { projectDir: project, dataset: 'news', encoder: 'builtin', settings: { algo: 'kmeans', k: 4, seed: 1 } } });
  assert.equal(clustered.clusters.length, 4);
  const trained = await engine.run({ type: 'train', params: { projectDir: project, data: 'news', loss: 'mnr', mode: 'head', epochs: 1, batchSize: 16, trainLimit: 64, encoder: 'builtin', seed: 1 } });
  assert.equal(trained.status, 'completed');
  assert.equal(trained.backend, 'wasm', 'the tfjs wasm backend loads its binaries from dist/');
  // Full mode from the vsix: the threaded SIMD build starts from the scripts beside the bundle.
  const full = await engine.run({ type: 'train', params: { projectDir: project, data: 'news', loss: 'mnr', mode: 'full', epochs: 1, batchSize: 4, trainLimit: 8, encoder: path.join(root, 'test/fixtures/models/tiny-bert-st6'), seed: 1 } });
  assert.equal(full.status, 'completed');
  const fullConfig = JSON.parse(readFileSync(path.join(full.run, 'config.json'), 'utf8')) as { versions: { wasm?: { threaded: boolean; reason?: string } } };
  assert.equal(fullConfig.versions.wasm?.threaded, true, `the packaged engine runs the threaded build (${fullConfig.versions.wasm?.reason ?? 'no reason recorded'})`);
});
