// A local stand-in for the Hugging Face Hub: the model info API, /resolve/ with a 302 for LFS
// files to a second "CDN" server on another port, Range support, and switchable failures.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

export const SHA = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
export const REPO = 'test-org/tiny-model';

export interface RequestLog {
  server: 'hub' | 'cdn';
  url: string;
  range?: string;
  authorization?: string;
}

export interface FakeHub {
  endpoint: string;
  files: Map<string, Buffer>;
  requests: RequestLog[];
  /** Require `Bearer <token>` on every hub request (a gated model). */
  gatedToken?: string;
  /** Drop the connection after this many bytes, for the next N requests of this file. */
  drop?: { file: string; afterBytes: number; times: number };
  /** Send this many bytes of the file, then hang (for cancellation). */
  stall?: { file: string; afterBytes: number };
  /** Answer Range requests with a full 200 (servers that cannot resume). */
  ignoreRange?: boolean;
  /** Advertise a wrong sha256 for this LFS file. */
  wrongSha?: string;
  /** Files listed but answered with 404. */
  missing?: Set<string>;
  /** Hostile listings: raw siblings appended to the file list as they are. */
  extraSiblings?: Record<string, unknown>[];
  /** Answer any request no route matches (hub or CDN) with these bytes, so a hostile name gets a body. */
  anyPathBody?: Buffer;
  /** Files listed without size, blobId or LFS hash. */
  unlisted?: Set<string>;
  /**
   * Send only the first `bytes` bytes of this file, then end the connection: with the full
   * Content-Length (or Content-Range) when `contentLength`, else without any length.
   */
  truncate?: { file: string; bytes: number; contentLength: boolean };
  close(): Promise<void>;
}

const LFS = (p: string) => p.endsWith('.onnx') || p.endsWith('.safetensors');

/** The generated model folder: small JSON configs, a tokenizer and random "ONNX" bytes. */
export function makeModelFiles(): Map<string, Buffer> {
  const j = (o: unknown) => Buffer.from(JSON.stringify(o, null, 2) + '\n');
  const files = new Map<string, Buffer>();
  files.set('config.json', j({ model_type: 'bert', hidden_size: 32, num_hidden_layers: 2 }));
  files.set('tokenizer.json', j({ version: '1.0', model: { type: 'WordPiece', vocab: { '[PAD]': 0, '[UNK]': 1 } } }));
  files.set('tokenizer_config.json', j({ model_max_length: 128 }));
  files.set('special_tokens_map.json', j({ unk_token: '[UNK]' }));
  files.set('vocab.txt', Buffer.from('[PAD]\n[UNK]\n'));
  files.set('modules.json', j([{ idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' }, { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }]));
  files.set('sentence_bert_config.json', j({ max_seq_length: 128, do_lower_case: false }));
  files.set('1_Pooling/config.json', j({ word_embedding_dimension: 32, pooling_mode_mean_tokens: true }));
  files.set('README.md', Buffer.from('# tiny\n'));
  files.set('onnx/model.onnx', crypto.randomBytes(400_000));
  files.set('onnx/model_qint8_avx512.onnx', crypto.randomBytes(120_000));
  files.set('model.safetensors', crypto.randomBytes(50_000));
  return files;
}

function gitBlobSha1(b: Buffer): string {
  return crypto.createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Reads a model folder into a file map (to serve a real model). */
export function readFolder(dir: string): Map<string, Buffer> {
  return new Map(listTree(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

export async function startFakeHub(files: Map<string, Buffer> = makeModelFiles()): Promise<FakeHub> {
  const bySha = () => new Map([...files].filter(([p]) => LFS(p)).map(([p, b]) => [crypto.createHash('sha256').update(b).digest('hex'), p]));
  const hub: FakeHub = { endpoint: '', files, requests: [], close: async () => undefined };

  const serveFile = (req: http.IncomingMessage, res: http.ServerResponse, name: string) => {
    const data = files.get(name)!;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (m && !hub.ignoreRange) {
      start = Number(m[1]);
      if (start >= data.length) {
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
      res.writeHead(206, { 'content-length': data.length - start, 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` });
    } else res.writeHead(200, { 'content-length': data.length });
    const body = data.subarray(start);
    if (hub.truncate && hub.truncate.file === name) {
      const cut = body.subarray(0, Math.max(0, hub.truncate.bytes - start));
      if (!hub.truncate.contentLength) {
        // An HTTP/1.0-style answer: no length, the end of the body is the end of the connection.
        res.socket?.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n'), cut]));
        return;
      }
      res.write(cut, () => setTimeout(() => res.socket?.end(), 20));
      return;
    }
    if (hub.drop && hub.drop.file === name && hub.drop.times > 0) {
      hub.drop.times--;
      const n = Math.max(0, hub.drop.afterBytes - start);
      res.write(body.subarray(0, n), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (hub.stall && hub.stall.file === name) {
      res.write(body.subarray(0, hub.stall.afterBytes)); // then never finish
      return;
    }
    res.end(body);
  };

  const cdn = http.createServer((req, res) => {
    hub.requests.push({ server: 'cdn', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization });
    const sha = /^\/cdn\/([0-9a-f]{64})/.exec(req.url ?? '')?.[1];
    const name = sha ? bySha().get(sha) : undefined;
    if (!name) return void (hub.anyPathBody ? res.writeHead(200).end(hub.anyPathBody) : res.writeHead(404).end());
    serveFile(req, res, name);
  });
  const cdnPort = await listen(cdn);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hub.requests.push({ server: 'hub', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization });
    if (hub.gatedToken && req.headers.authorization !== `Bearer ${hub.gatedToken}`) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Access to model is restricted.' }));
    }
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) {
      if (api[1] !== REPO) return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Repository not found' }));
      const siblings = [...files].map(([p, b]) => {
        const s: Record<string, unknown> = { rfilename: p, size: b.length, blobId: gitBlobSha1(Buffer.from(p)) };
        if (LFS(p)) {
          const sha256 = hub.wrongSha === p ? 'f'.repeat(64) : crypto.createHash('sha256').update(b).digest('hex');
          s.lfs = { sha256, size: b.length, pointerSize: 134 };
        } else s.blobId = gitBlobSha1(b);
        return hub.unlisted?.has(p) ? { rfilename: p } : s;
      });
      siblings.push(...(hub.extraSiblings ?? []));
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ id: REPO, sha: SHA, siblings }));
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve && resolve[1] === REPO && resolve[2] === SHA) {
      const name = decodeURIComponent(resolve[3]);
      if (!files.has(name) || hub.missing?.has(name)) return void res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
      if (LFS(name)) {
        const sha = crypto.createHash('sha256').update(files.get(name)!).digest('hex');
        return void res.writeHead(302, { location: `http://127.0.0.1:${cdnPort}/cdn/${sha}?sig=secret` }).end();
      }
      return serveFile(req, res, name);
    }
    if (hub.anyPathBody) return void res.writeHead(200).end(hub.anyPathBody);
    res.writeHead(404).end('not found');
  });
  const port = await listen(server);
  hub.endpoint = `http://127.0.0.1:${port}`;
  hub.close = async () => {
    for (const s of [server, cdn]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  };
  return hub;
}

export function tempCache(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-hub-'));
}

/** Every file under a folder, relative, sorted. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
