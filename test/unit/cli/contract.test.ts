// The CLI's contract: every subcommand has --help; --json prints exactly one JSON object on stdout
// (progress goes to stderr); every subcommand that embeds takes --encoder as builtin, a model
// folder, a Hub id, an http(s) endpoint or run:<id>; the acceptance commands print the documented
// keys; the executable works as a child process and Ctrl-C stops a download cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commands } from '../../../src/cli/commands/index';
import { findCachedModel } from '../../../src/engine/encoders/hub/download-model';
import { resolveHubSettings } from '../../../src/engine/encoders/hub/hub-settings';
import { snapshotDir } from '../../../src/engine/encoders/hub/hub-cache';
import { REPO, SHA, readFolder, startFakeHub, tempCache } from '../hub/fake-hub';
import { startFakeEndpoint } from '../http-encoder/fake-endpoint';
import { FIXTURES, interruptCli, listFiles, newsRecords, onlyJson, runCli, sizeOrMissing, spawnCli, tempDir, TINY_MODEL } from './helpers';

const dir = tempDir('embedlab-contract-');
const TEMPLATE = '{title}. {description}';
const news = path.join(dir, 'news.jsonl');
fs.writeFileSync(news, newsRecords(24).map((r) => JSON.stringify(r)).join('\n') + '\n');
const pairs = path.join(FIXTURES, 'sample', 'stsb-100.jsonl');

test('every subcommand answers --help on stdout with its usage and exit 0; the list is complete', async () => {
  const top = await runCli('--help');
  assert.equal(top.code, 0);
  for (const c of commands) {
    assert.match(top.stdout, new RegExp(`^  ${c.name} `, 'm'), `${c.name} is listed by embedlab --help`);
    const r = await runCli(c.name, '--help');
    assert.equal(r.code, 0, c.name);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, new RegExp(`^Usage: embedlab ${c.name}`), c.name);
    assert.match(r.stdout, /--help +show this help/);
    for (const o of c.options) assert.match(r.stdout, new RegExp(`--${o.name}\\b`), `${c.name} --help lists --${o.name}`);
  }
  for (const name of ['embed', 'cluster', 'search', 'eval-sts', 'eval-topk', 'import', 'init', 'clean', 'annotations', 'download', 'train', 'runs'])
    assert.ok(commands.some((c) => c.name === name), `embedlab ${name} exists`);
});

test('every subcommand that prints a result takes --json', () => {
  for (const c of commands) assert.ok(c.options.some((o) => o.name === 'json' && o.kind === 'boolean'), `${c.name} has --json`);
});

test('unknown commands and options are usage errors (exit 2) on stderr', async () => {
  const unknown = await runCli('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const option = await runCli('cluster', news, '--text', TEMPLATE, '--nope', '--json');
  assert.equal(option.code, 2);
  assert.equal(option.stdout, '');
  assert.match(option.stderr, /embedlab cluster: unknown option --nope\nRun `embedlab cluster --help` for usage\./);
});

test('--json prints exactly one JSON object on stdout for each data command; progress stays on stderr', async () => {
  const project = path.join(dir, 'json-project');
  const runs: [string, string[], string[]][] = [
    ['init', ['init', project, '--json'], ['dir']],
    ['import', ['import', news, '--project', project, '--name', 'news', '--text', TEMPLATE, '--label', 'label', '--json'], ['imported', 'skipped']],
    ['clean', ['clean', 'news', '--project', project, '--strip', 'urls', '--json'], []],
    ['annotations', ['annotations', 'summary', '--project', project, '--json'], []],
    ['runs', ['runs', '--project', project, '--json'], []],
    ['embed', ['embed', news, '--text', TEMPLATE, '--out', path.join(dir, 'v.npy'), '--json'], ['rows', 'dimension', 'encoder']],
    ['cluster', ['cluster', news, '--text', TEMPLATE, '--label', 'label', '--algo', 'kmeans', '--k', '4', '--json'], ['n', 'clusters', 'outliers', 'seconds', 'topics', 'metrics']],
    ['search', ['search', news, '--text', TEMPLATE, '--query', 'oil prices', '--k', '3', '--json'], ['results']],
    ['eval-sts', ['eval-sts', pairs, '--json'], ['spearman', 'pearson', 'n']],
    ['eval-topk', ['eval-topk', news, '--text', TEMPLATE, '--label', 'label', '--k', '5', '--json'], ['topk', 'k', 'n']],
  ];
  for (const [name, argv, keys] of runs) {
    const r = await runCli(...argv);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    const json = onlyJson(r);
    for (const k of keys) assert.ok(k in json, `${name} --json has "${k}"`);
  }
});

test('acceptance shapes: cluster {n, clusters, outliers, seconds, topics, metrics{nmi, ari, purity, silhouette}}, eval-sts {spearman, pearson, n}, eval-topk {topk, k, n}', async () => {
  const cluster = onlyJson(await runCli('cluster', news, '--text', TEMPLATE, '--label', 'label', '--algo', 'kmeans', '--k', '4', '--json'));
  assert.equal(cluster.n, 24);
  assert.equal(cluster.clusters, 4);
  assert.equal(typeof cluster.outliers, 'number');
  assert.equal(typeof cluster.seconds, 'number');
  const topics = cluster.topics as { cluster: number; size: number; words: string[] }[];
  assert.equal(topics.length, 4);
  assert.ok(topics.every((t) => t.words.length > 0 && t.words.every((w) => typeof w === 'string')));
  assert.deepEqual(Object.keys(cluster.metrics as object).sort(), ['ari', 'nmi', 'purity', 'silhouette']);

  const hdb = onlyJson(await runCli('cluster', news, '--text', TEMPLATE, '--algo', 'hdbscan', '--k', 'auto', '--min-cluster-size', '3', '--reassign-outliers', '--json'));
  assert.equal(hdb.metrics, undefined, 'no metrics without --label');
  assert.equal(hdb.outliers, 0, 'reassignment leaves no outliers');

  const sts = onlyJson(await runCli('eval-sts', pairs, '--json'));
  assert.equal(sts.n, 100);
  assert.ok((sts.spearman as number) > 0.3 && (sts.spearman as number) <= 1);
  assert.ok(Math.abs(sts.pearson as number) <= 1);

  const topk = onlyJson(await runCli('eval-topk', news, '--text', TEMPLATE, '--label', 'label', '--k', '25', '--json'));
  assert.equal(topk.k, 23, 'k is capped at n − 1');
  assert.equal(topk.n, 24);
  assert.ok((topk.topk as number) >= 0 && (topk.topk as number) <= 1);
});

test('--encoder takes builtin, a model folder, a Hub id, an endpoint URL and run:<id> on every subcommand that embeds', async () => {
  // A project with a fine-tuned full-mode run whose model is the tiny ONNX folder.
  const project = path.join(dir, 'encoder-project');
  assert.equal((await runCli('init', project)).code, 0);
  assert.equal((await runCli('import', news, '--project', project, '--name', 'news', '--text', TEMPLATE, '--label', 'label')).code, 0);
  const run = path.join(project, 'runs', 'r1');
  fs.cpSync(TINY_MODEL, path.join(run, 'model'), { recursive: true });
  fs.writeFileSync(path.join(run, 'summary.json'), JSON.stringify({ id: 'r1', status: 'done' }));

  const hub = await startFakeHub(readFolder(TINY_MODEL));
  const endpoint = await startFakeEndpoint();
  const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, EMBEDLAB_CACHE_DIR: process.env.EMBEDLAB_CACHE_DIR };
  process.env.HF_ENDPOINT = hub.endpoint;
  process.env.EMBEDLAB_CACHE_DIR = tempCache();
  try {
    const specs: [string, RegExp, number][] = [
      ['builtin', /^builtin:/, 0],
      [TINY_MODEL, /^onnx:tiny-bert-st6/, 16],
      [REPO, /^onnx:/, 16],
      [`${endpoint.base}/v1/embeddings`, /^http:/, 6],
      ['run:r1', /^onnx:/, 16],
    ];
    for (const [spec, id, dim] of specs) {
      const common = ['--encoder', spec, '--project', project, '--json'];
      const invocations: [string, string[]][] = [
        ['embed', ['embed', news, '--text', TEMPLATE, '--out', path.join(dir, 'e.npy'), ...common]],
        ['cluster', ['cluster', news, '--text', TEMPLATE, '--k', '2', ...common]],
        ['search', ['search', news, '--text', TEMPLATE, '--query', 'oil prices', '--k', '2', ...common]],
        ['eval-sts', ['eval-sts', pairs, ...common]],
        ['eval-topk', ['eval-topk', news, '--text', TEMPLATE, '--label', 'label', '--k', '3', ...common]],
        ['annotations', ['annotations', 'suggest', '--dataset', 'news', '--count', '3', ...common]],
      ];
      for (const [name, argv] of invocations) {
        const r = await runCli(...argv);
        assert.equal(r.code, 0, `${name} --encoder ${spec}: ${r.stderr}`);
        const json = onlyJson(r);
        assert.match(String(json.encoder), id, `${name} --encoder ${spec}`);
        if (name === 'embed' && dim) assert.equal(json.dimension, dim);
      }
    }
    assert.ok(endpoint.requests.length > 0 && hub.requests.length > 0);
    const missing = await runCli('embed', news, '--text', TEMPLATE, '--out', path.join(dir, 'x.npy'), '--encoder', 'run:nope', '--project', project);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /field "encoder": no trained run "run:nope"/);
    assert.ok(!fs.existsSync(path.join(dir, 'x.npy')));
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await Promise.all([hub.close(), endpoint.close()]);
  }
});

test('the real executable: --version, --help, exit codes, one JSON object (bin/embedlab.js, the bundled dist/cli.js)', () => {
  const version = spawnCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const help = spawnCli(['eval-topk', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: embedlab eval-topk/);
  const bad = spawnCli(['eval-topk', path.join(dir, 'absent.jsonl'), '--text', TEMPLATE, '--label', 'label', '--json']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /absent\.jsonl: no such file/);
  const ok = spawnCli(['eval-topk', news, '--text', TEMPLATE, '--label', 'label', '--k', '5', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  const json = onlyJson(ok);
  assert.deepEqual([json.k, json.n], [5, 24]);
});

test('Ctrl-C during `embedlab download` exits 130 and leaves no model file in the cache', async () => {
  const hub = await startFakeHub(readFolder(TINY_MODEL));
  hub.stall = { file: 'onnx/model.onnx', afterBytes: 1000 };
  const cacheDir = tempCache();
  try {
    // Interrupt once part of model.onnx is on disk (the server then stalls), i.e. mid-file.
    const blobs = path.join(cacheDir, 'hub', `models--${REPO.replace('/', '--')}`, 'blobs');
    const partial = () => listFiles(blobs).some((f) => f.endsWith('.incomplete') && sizeOrMissing(path.join(blobs, f)) >= 1000);
    const r = await interruptCli(['download', REPO, '--cache-dir', cacheDir], partial, { ...process.env, HF_ENDPOINT: hub.endpoint });
    assert.ok(r.interrupted, r.stderr);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /embedlab: cancelled/);
    const snapshot = snapshotDir(path.join(cacheDir, 'hub'), REPO, SHA);
    assert.ok(!fs.existsSync(path.join(snapshot, 'onnx', 'model.onnx')), 'no partial model.onnx in the snapshot');
    assert.equal(findCachedModel(REPO, 'main', resolveHubSettings({ cacheDir })), undefined);
  } finally {
    await hub.close();
  }
});
