import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadModel, findCachedModel } from '../../../src/engine/encoders/hub/download-model';
import { resolveHubSettings } from '../../../src/engine/encoders/hub/hub-settings';
import { snapshotDir } from '../../../src/engine/encoders/hub/hub-cache';
import type { Progress } from '../../../src/engine/util/job';
import { REPO, SHA, listTree, startFakeHub, tempCache } from './fake-hub';
import type { FakeHub } from './fake-hub';

const NEEDED = [
  '1_Pooling/config.json',
  'config.json',
  'modules.json',
  'onnx/model.onnx',
  'sentence_bert_config.json',
  'special_tokens_map.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.txt',
];

let hub: FakeHub;
before(async () => {
  hub = await startFakeHub();
});
after(async () => {
  await hub.close();
});

function reset(): void {
  hub.requests.length = 0;
  hub.drop = undefined;
  hub.stall = undefined;
  hub.wrongSha = undefined;
  hub.gatedToken = undefined;
  hub.missing = undefined;
  hub.ignoreRange = undefined;
}

test('downloads the needed files pinned to the commit, through the CDN redirect, with progress', async () => {
  reset();
  const cacheDir = tempCache();
  const progress: Progress[] = [];
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, token: 'tok', onProgress: (p) => progress.push(p) });
  assert.equal(m.sha, SHA);
  assert.equal(m.onnxFile, 'onnx/model.onnx');
  assert.equal(m.dir, path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'snapshots', SHA));
  assert.deepEqual([...m.files].sort(), NEEDED);
  for (const f of NEEDED) assert.ok(fs.readFileSync(path.join(m.dir, f)).equals(hub.files.get(f)!), f);
  // no other weights, no partial files left anywhere
  assert.deepEqual(listTree(m.dir).filter((f) => !f.startsWith('.')), NEEDED);
  assert.deepEqual(listTree(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'blobs')), []);
  assert.equal(fs.readFileSync(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'refs', 'main'), 'utf8'), SHA);
  // files are fetched at the commit sha; the LFS file went through the CDN without the token
  assert.ok(hub.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.url.includes(`/resolve/${SHA}/`)));
  const cdn = hub.requests.filter((r) => r.server === 'cdn');
  assert.equal(cdn.length, 1);
  assert.equal(cdn[0].authorization, undefined);
  assert.ok(hub.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer tok'));
  const total = NEEDED.reduce((s, f) => s + hub.files.get(f)!.length, 0);
  const last = progress[progress.length - 1];
  assert.equal(last.stage, 'download');
  assert.equal(last.total, total);
  assert.equal(last.done, total);
  assert.ok(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done));

  // second call: served from the cache, only the file list is requested
  hub.requests.length = 0;
  const again = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir });
  assert.equal(again.fromCache, true);
  assert.equal(again.downloadedBytes, 0);
  assert.equal(hub.requests.length, 1);
});

test('a quantized variant can be chosen; an absent one is a clear error', async () => {
  reset();
  const cacheDir = tempCache();
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, onnxFile: 'onnx/model_qint8_avx512.onnx' });
  assert.ok(m.files.includes('onnx/model_qint8_avx512.onnx'));
  assert.ok(!m.files.includes('onnx/model.onnx'));
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, onnxFile: 'onnx/model_O4.onnx' }), /test-org\/tiny-model: has no file "onnx\/model_O4.onnx".*model_qint8_avx512/);
});

test('404: an unknown model and a missing file name the model id and the file', async () => {
  reset();
  const cacheDir = tempCache();
  await assert.rejects(downloadModel('nobody/nothing', { endpoint: hub.endpoint, cacheDir }), /nobody\/nothing: not found on the Hub \(HTTP 404/);
  hub.missing = new Set(['tokenizer.json']);
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir }), /test-org\/tiny-model: not found on the Hub \(HTTP 404 for file "tokenizer.json"\)/);
  assert.equal(findCachedModel(REPO, 'main', resolveHubSettings({ cacheDir })), undefined);
});

test('401 on a gated model mentions the token; the right token works', async () => {
  reset();
  hub.gatedToken = 'hf_good';
  const cacheDir = tempCache();
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir }), (err: Error) => {
    assert.match(err.message, /HTTP 401/);
    assert.match(err.message, /HF_TOKEN/);
    return true;
  });
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, token: 'hf_bad' }), /token was refused/);
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, token: 'hf_good' });
  assert.equal(m.sha, SHA);
});

test('a connection dropped mid-file is resumed with a Range request', async () => {
  reset();
  const cacheDir = tempCache();
  hub.drop = { file: 'onnx/model.onnx', afterBytes: 150_000, times: 1 };
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir });
  assert.ok(fs.readFileSync(path.join(m.dir, 'onnx/model.onnx')).equals(hub.files.get('onnx/model.onnx')!));
  const cdn = hub.requests.filter((r) => r.server === 'cdn');
  assert.equal(cdn.length, 2);
  assert.equal(cdn[0].range, undefined);
  assert.match(cdn[1].range ?? '', /^bytes=\d+-$/);
  assert.ok(Number(/\d+/.exec(cdn[1].range!)![0]) > 0);
});

test('without in-call retries a drop leaves only the partial blob, and the next run resumes it', async () => {
  reset();
  const cacheDir = tempCache();
  hub.drop = { file: 'onnx/model.onnx', afterBytes: 200_000, times: 1 };
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, resumeAttempts: 0 }), /onnx\/model.onnx.*stopped after \d+ of 400000 bytes.*run again to resume/);
  const dir = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
  assert.ok(!fs.existsSync(path.join(dir, 'onnx/model.onnx')));
  assert.equal(findCachedModel(REPO, 'main', resolveHubSettings({ cacheDir })), undefined);
  const blobs = listTree(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'blobs'));
  assert.equal(blobs.length, 1);
  assert.match(blobs[0], /\.incomplete$/);
  hub.requests.length = 0;
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir });
  assert.ok(fs.readFileSync(path.join(m.dir, 'onnx/model.onnx')).equals(hub.files.get('onnx/model.onnx')!));
  const cdn = hub.requests.filter((r) => r.server === 'cdn');
  assert.equal(cdn.length, 1);
  assert.match(cdn[0].range ?? '', /^bytes=[1-9]\d*-$/);
  assert.ok(m.downloadedBytes >= 400_000 - 200_000);
});

test('a server that answers a Range request with 200 makes the download restart cleanly', async () => {
  reset();
  const cacheDir = tempCache();
  hub.drop = { file: 'onnx/model.onnx', afterBytes: 250_000, times: 1 };
  hub.ignoreRange = true;
  const progress: number[] = [];
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, onProgress: (p) => progress.push(p.done) });
  assert.ok(fs.readFileSync(path.join(m.dir, 'onnx/model.onnx')).equals(hub.files.get('onnx/model.onnx')!));
  const cdn = hub.requests.filter((r) => r.server === 'cdn');
  assert.equal(cdn.length, 2);
  assert.match(cdn[1].range ?? '', /^bytes=/);
  assert.equal(progress[progress.length - 1], m.totalBytes);
  assert.ok(Math.max(...progress) <= m.totalBytes);
});

test('a sha256 mismatch is an error and leaves no file in the cache', async () => {
  reset();
  const cacheDir = tempCache();
  hub.wrongSha = 'onnx/model.onnx';
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir }), /onnx\/model.onnx" is corrupt: sha256 [0-9a-f]{64}, expected f{64}/);
  const dir = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
  assert.ok(!fs.existsSync(path.join(dir, 'onnx/model.onnx')));
  assert.deepEqual(listTree(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'blobs')), []);
  assert.equal(findCachedModel(REPO, 'main', resolveHubSettings({ cacheDir })), undefined);
});

test('cancelling mid-download leaves no corrupt file, and a later run completes', async () => {
  reset();
  const cacheDir = tempCache();
  hub.stall = { file: 'onnx/model.onnx', afterBytes: 100_000 };
  const controller = new AbortController();
  const run = downloadModel(REPO, {
    endpoint: hub.endpoint,
    cacheDir,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.message === 'onnx/model.onnx' && p.done > 0 && !controller.signal.aborted) {
        // abort once some bytes of the big file have arrived
        const f = listTree(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'blobs'));
        if (f.length) controller.abort();
      }
    },
  });
  await assert.rejects(run, { name: 'CancelledError' });
  const dir = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
  assert.ok(!fs.existsSync(path.join(dir, 'onnx/model.onnx')));
  assert.ok(!fs.existsSync(path.join(dir, '.embedlab-complete.json')));
  assert.equal(findCachedModel(REPO, 'main', resolveHubSettings({ cacheDir })), undefined);
  hub.stall = undefined;
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir });
  assert.ok(fs.readFileSync(path.join(m.dir, 'onnx/model.onnx')).equals(hub.files.get('onnx/model.onnx')!));
});

test('offline mode uses the cache only, and says so when the model is absent', async () => {
  reset();
  const cacheDir = tempCache();
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, offline: true }), /test-org\/tiny-model@main is not in the cache.*offline mode/);
  assert.equal(hub.requests.length, 0);
  const online = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir });
  hub.requests.length = 0;
  const off = await downloadModel(REPO, { endpoint: 'http://127.0.0.1:9', cacheDir, offline: true });
  assert.equal(off.dir, online.dir);
  assert.equal(off.fromCache, true);
  assert.equal(hub.requests.length, 0);
  // the environment switch works too
  const prev = process.env.HF_HUB_OFFLINE;
  process.env.HF_HUB_OFFLINE = '1';
  try {
    const viaEnv = await downloadModel(REPO, { endpoint: 'http://127.0.0.1:9', cacheDir });
    assert.equal(viaEnv.dir, online.dir);
    await assert.rejects(downloadModel(REPO, { cacheDir, onnxFile: 'onnx/model_qint8_avx512.onnx' }), /offline mode/);
  } finally {
    if (prev === undefined) delete process.env.HF_HUB_OFFLINE;
    else process.env.HF_HUB_OFFLINE = prev;
  }
});
