import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  clusteringFile, decodeClustering, encodeClustering, listClusterings, loadClustering, readClusteringHeader, recordsHash, saveClustering,
  CLUSTER_CACHE_SCHEMA_VERSION, type SavedClustering,
} from '../../../src/engine/project/cluster-cache';

function sample(n = 5, k = 2): SavedClustering {
  return {
    header: {
      magic: 'embedlab-clustering',
      schemaVersion: CLUSTER_CACHE_SCHEMA_VERSION,
      dataset: 'news',
      encoderSpec: 'builtin',
      encoderId: 'builtin:abc',
      settings: { algo: 'hdbscan', minClusterSize: 2, seed: 3 },
      recordsHash: 'h',
      count: n,
      knnK: k,
      clusters: [{ id: 0, size: 3, keywords: ['oil', 'prices'] }, { id: 1, size: 1, keywords: ['café'] }],
      outliers: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      seconds: 0.5,
    },
    coords: Float32Array.from({ length: 2 * n }, (_, i) => i / 3),
    labels: Int32Array.from([0, 0, 1, -1, 0].slice(0, n)),
    knnIds: Int32Array.from({ length: n * k }, (_, i) => (i + 1) % n),
    knnSims: Float32Array.from({ length: n * k }, (_, i) => 1 - i / 10),
  };
}

test('a clustering survives encode/decode bit for bit (non-ASCII keywords, odd header length)', () => {
  const c = sample();
  const back = decodeClustering(encodeClustering(c));
  assert.deepEqual(back.header, c.header);
  assert.deepEqual(back.coords, c.coords);
  assert.deepEqual(back.labels, c.labels);
  assert.deepEqual(back.knnIds, c.knnIds);
  assert.deepEqual(back.knnSims, c.knnSims);
});

test('arrays that do not match the header are refused on write; damaged files read as a problem', async () => {
  const c = sample();
  assert.throws(() => encodeClustering({ ...c, labels: new Int32Array(4) }), /4 labels for 5 records/);
  const dir = mkdtempSync(path.join(tmpdir(), 'el-cc-'));
  try {
    const file = clusteringFile(dir, 'news', 'builtin');
    assert.deepEqual(await loadClustering(file), {}, 'a missing file is no clustering and no problem');
    await saveClustering(file, c);
    assert.deepEqual((await loadClustering(file)).clustering?.labels, c.labels);
    assert.deepEqual(await readClusteringHeader(file), c.header);
    assert.deepEqual((await listClusterings(dir, 'news')).map((x) => x.header.encoderSpec), ['builtin']);
    assert.deepEqual(await listClusterings(dir, 'other'), []);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    const cut = await loadClustering(file);
    assert.equal(cut.clustering, undefined);
    assert.match(cut.problem ?? '', /bytes of arrays, expected/);
    writeFileSync(file, 'not a clustering');
    assert.match((await loadClustering(file)).problem ?? '', /bad magic/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file names: one per dataset and encoder spec; records hash changes with any id or text', () => {
  const a = clusteringFile('/p', 'news', 'builtin');
  assert.equal(a, clusteringFile('/p', 'news', 'builtin'));
  assert.notEqual(a, clusteringFile('/p', 'news', 'run:x'));
  assert.notEqual(a, clusteringFile('/p', 'news2', 'builtin'));
  assert.equal(path.dirname(a), path.join('/p', '.cache', 'clusters'));
  const r = [{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }];
  assert.equal(recordsHash(r), recordsHash(r.map((x) => ({ ...x }))));
  assert.notEqual(recordsHash(r), recordsHash([r[1], r[0]]));
  assert.notEqual(recordsHash(r), recordsHash([{ id: 'a', text: 'x' }, { id: 'b', text: 'y ' }]));
  assert.notEqual(recordsHash([{ id: 'ab', text: 'c' }]), recordsHash([{ id: 'a', text: 'bc' }]));
});
