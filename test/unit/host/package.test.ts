/**
 * Builds the .vsix the way `npm run package` does (production bundles + vsce) and checks
 * what is inside: the bundles and the native modules the engine needs, and no test
 * data, sources or dev dependencies. Slow-ish (a production build and a zip of the
 * ONNX Runtime binaries); skipped with a message when vsce is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
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

/** Lists a zip's entries with a tiny central-directory reader (no unzip binary needed). */
function zipEntries(file: string): { name: string; size: number }[] {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: { name: string; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory');
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

test('the vsix holds the bundles and native modules, and no tests, sources or dev dependencies', { timeout: 300_000 }, (t) => {
  if (!existsSync(vsce)) {
    t.skip('@vscode/vsce is not installed (npm ci installs it as a dev dependency)');
    return;
  }
  const out = mkdtempSync(path.join(tmpdir(), 'el-vsix-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const vsix = path.join(out, 'embedding-lab.vsix');
  run(process.execPath, ['scripts/build.mjs', '--production']);
  run(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--out', vsix]);
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
    'node_modules/onnxruntime-node/package.json',
    'node_modules/onnxruntime-node/dist/index.js',
    'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
    'node_modules/onnxruntime-common/package.json',
    'node_modules/onnxruntime-common/dist/cjs/index.js',
    'media/embedding-lab.svg',
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
});
