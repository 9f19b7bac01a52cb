// A Hub that serves hostile file lists and short bodies: names and hashes from the server
// never lead a write outside the cache, a body that ends early is never marked complete, and
// `embedlab download` exits non-zero naming the bad file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadModel } from '../../../src/engine/encoders/hub/download-model';
import { snapshotDir } from '../../../src/engine/encoders/hub/hub-cache';
import { runCli } from '../cli/helpers';
import { REPO, SHA, listTree, startFakeHub } from './fake-hub';
import type { FakeHub } from './fake-hub';

let hub: FakeHub;
before(async () => {
  hub = await startFakeHub();
});
const sandboxes: string[] = [];
after(async () => {
  await hub.close();
  for (const d of sandboxes) fs.rmSync(d, { recursive: true, force: true });
});

function reset(): void {
  hub.requests.length = 0;
  hub.extraSiblings = undefined;
  hub.anyPathBody = undefined;
  hub.unlisted = undefined;
  hub.truncate = undefined;
}

/** A fresh folder holding only `cache/`; everything outside `cache/` must stay empty. */
function sandbox(): { root: string; cacheDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-hostile-'));
  sandboxes.push(root);
  const cacheDir = path.join(root, 'cache');
  fs.mkdirSync(cacheDir);
  return { root, cacheDir };
}

function assertNothingOutside(root: string): void {
  assert.deepEqual(fs.readdirSync(root), ['cache'], 'a file was written next to the cache');
}

/** `..` segments that climb from the snapshot folder's onnx/model.onnx_data to the sandbox root. */
const UP_TO_ROOT_FROM_DATA = '../'.repeat(7);
/** `..` segments that climb from <repo>/blobs/ to the sandbox root. */
const UP_TO_ROOT_FROM_BLOBS = '../'.repeat(4);

const hostile: Array<{ name: string; sibling: Record<string, unknown>; quoted: RegExp }> = [
  {
    name: 'a ".." file name under the ONNX data prefix',
    sibling: { rfilename: `onnx/model.onnx_data/${UP_TO_ROOT_FROM_DATA}escaped`, size: 10 },
    quoted: /onnx\/model\.onnx_data\/\.\.\/.*escaped.*"\.\." segment/,
  },
  { name: 'an absolute file name', sibling: { rfilename: '/tmp/embedlab-escaped', size: 10 }, quoted: /"\/tmp\/embedlab-escaped".*absolute/ },
  { name: 'a backslash file name', sibling: { rfilename: 'onnx\\..\\..\\escaped', size: 10 }, quoted: /onnx\\\\\.\.\\\\.*backslash/ },
  { name: 'a control character in a file name', sibling: { rfilename: 'vocab\u001b]0;x\u0007.txt', size: 10 }, quoted: /vocab\\u001b\]0;x\\u0007\.txt.*control character/ },
  {
    name: 'a blobId that is a path',
    sibling: { rfilename: 'merges.txt', size: 1000, blobId: `${UP_TO_ROOT_FROM_BLOBS}escaped-blob` },
    quoted: /"merges\.txt".*blobId.*not 40 hex/,
  },
  {
    name: 'an LFS sha256 that is a path',
    sibling: { rfilename: 'onnx/model.onnx_data', size: 1000, lfs: { sha256: `${UP_TO_ROOT_FROM_BLOBS}escaped-lfs`, size: 1000 } },
    quoted: /"onnx\/model\.onnx_data".*sha256.*not 64 hex/,
  },
  { name: 'a blobId of the wrong length', sibling: { rfilename: 'merges.txt', size: 10, blobId: 'abc123' }, quoted: /"merges\.txt".*blobId "abc123"/ },
];

for (const h of hostile) {
  test(`a listing with ${h.name} is refused and nothing is written outside the cache`, async () => {
    reset();
    hub.extraSiblings = [h.sibling];
    hub.anyPathBody = Buffer.from('0123456789');
    const { root, cacheDir } = sandbox();
    await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, resumeAttempts: 1 }), (err: Error) => {
      assert.match(err.message, h.quoted);
      assert.match(err.message, new RegExp(`^${REPO}: `));
      return true;
    });
    assertNothingOutside(root);
  });
}

test('embedlab download exits non-zero with a message naming the unsafe file', async () => {
  reset();
  hub.extraSiblings = [{ rfilename: `onnx/model.onnx_data/${UP_TO_ROOT_FROM_DATA}escaped`, size: 10 }];
  hub.anyPathBody = Buffer.from('0123456789');
  const { root, cacheDir } = sandbox();
  const prev = process.env.HF_ENDPOINT;
  process.env.HF_ENDPOINT = hub.endpoint;
  try {
    const r = await runCli('download', REPO, '--cache-dir', cacheDir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^embedlab download: test-org\/tiny-model: the Hub's file list names an unsafe file "onnx\/model\.onnx_data\/\.\.\//);
  } finally {
    if (prev === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = prev;
  }
  assertNothingOutside(root);
});

test('a revision given by the user cannot lead the ref file out of the cache', async () => {
  reset();
  const { root, cacheDir } = sandbox();
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, revision: '../../../../escaped-ref' }), /bad revision "\.\.\/.*"\.\." segment/);
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, revision: 'main', offline: true }), /not in the cache/);
  await assert.rejects(downloadModel('../../x', { endpoint: hub.endpoint, cacheDir }), /not a Hugging Face model id/);
  assertNothingOutside(root);
});

function blobsOf(cacheDir: string): string[] {
  return listTree(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'blobs'));
}

test('a body cut short under a full Content-Length, with no size or hash listed, stays an .incomplete file', async () => {
  reset();
  hub.unlisted = new Set(['vocab.txt']);
  const full = hub.files.get('vocab.txt')!.length;
  hub.truncate = { file: 'vocab.txt', bytes: 5, contentLength: true };
  const { root, cacheDir } = sandbox();
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, resumeAttempts: 1 }), (err: Error) => {
    assert.match(err.message, new RegExp(`file "vocab\\.txt" stopped after 5 of ${full} bytes .*run again to resume`));
    return true;
  });
  const dir = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
  assert.equal(fs.existsSync(path.join(dir, 'vocab.txt')), false, 'the short file was renamed into the snapshot');
  assert.equal(fs.existsSync(path.join(dir, '.embedlab-complete.json')), false);
  const blobs = blobsOf(cacheDir);
  assert.equal(blobs.length, 1);
  assert.match(blobs[0], /\.incomplete$/);
  assert.equal(fs.statSync(path.join(cacheDir, 'hub', 'models--test-org--tiny-model', 'blobs', blobs[0])).size, 5);
  // The next run resumes it and completes.
  hub.truncate = undefined;
  const m = await downloadModel(REPO, { endpoint: hub.endpoint, cacheDir });
  assert.ok(fs.readFileSync(path.join(m.dir, 'vocab.txt')).equals(hub.files.get('vocab.txt')!));
  assert.ok(hub.requests.some((r) => r.url.endsWith('/vocab.txt') && r.range === 'bytes=5-'));
  assertNothingOutside(root);
});

test('a body cut short with a size listed but no Content-Length is kept as .incomplete, not marked complete', async () => {
  reset();
  hub.truncate = { file: 'vocab.txt', bytes: 5, contentLength: false };
  const { cacheDir } = sandbox();
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir, resumeAttempts: 0 }), /file "vocab\.txt" stopped after 5 of \d+ bytes .*connection ended early/);
  const dir = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
  assert.equal(fs.existsSync(path.join(dir, 'vocab.txt')), false);
  assert.equal(fs.existsSync(path.join(dir, '.embedlab-complete.json')), false);
  assert.equal(blobsOf(cacheDir).length, 1);
});

test('a body with no size, no hash and no Content-Length cannot be checked and is never marked complete', async () => {
  reset();
  hub.unlisted = new Set(['vocab.txt']);
  hub.truncate = { file: 'vocab.txt', bytes: 5, contentLength: false };
  const { root, cacheDir } = sandbox();
  await assert.rejects(downloadModel(REPO, { endpoint: hub.endpoint, cacheDir }), /cannot check that file "vocab\.txt" arrived whole/);
  const dir = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
  assert.equal(fs.existsSync(path.join(dir, 'vocab.txt')), false);
  assert.equal(fs.existsSync(path.join(dir, '.embedlab-complete.json')), false);
  assertNothingOutside(root);
});
