import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../../../src/cli/args';
import { downloadCommand } from '../../../src/cli/commands/download';
import { REPO, SHA, startFakeHub, tempCache } from './fake-hub';

async function run(argv: string[]): Promise<{ code: number; stdout: string[]; log: string[] }> {
  const stdout: string[] = [];
  const log: string[] = [];
  const code = await downloadCommand.run({
    args: parseArgs(argv, downloadCommand.options),
    log: (l) => log.push(l),
    stdout: (t) => stdout.push(t),
    signal: new AbortController().signal,
  });
  return { code, stdout, log };
}

test('embedlab download fetches into --cache-dir, prints progress on stderr and one JSON object', async () => {
  const hub = await startFakeHub();
  const prev = process.env.HF_ENDPOINT;
  process.env.HF_ENDPOINT = hub.endpoint;
  try {
    const cacheDir = tempCache();
    const r = await run([REPO, '--cache-dir', cacheDir, '--onnx-file', 'onnx/model_qint8_avx512.onnx', '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.length, 1);
    const out = JSON.parse(r.stdout[0]) as { sha: string; dir: string; onnxFile: string; fromCache: boolean };
    assert.equal(out.sha, SHA);
    assert.equal(out.onnxFile, 'onnx/model_qint8_avx512.onnx');
    assert.ok(fs.existsSync(path.join(out.dir, 'onnx/model_qint8_avx512.onnx')));
    assert.ok(r.log.some((l) => /^download [\d.]+\/[\d.]+ MB \(100%\)/.test(l)));
    const off = await run([`${REPO}#qint8_avx512`, '--cache-dir', cacheDir, '--offline']);
    assert.match(off.stdout[0], /already in the cache/);
    await assert.rejects(run([REPO, '--cache-dir', tempCache(), '--offline']), /not in the cache/);
  } finally {
    if (prev === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = prev;
    await hub.close();
  }
});
