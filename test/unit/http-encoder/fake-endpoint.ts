// A local OpenAI-compatible /v1/embeddings server with scripted failures.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: { model?: string; input: string[]; dimensions?: number; encoding_format?: string };
}

/**
 * What the server does with one request: answer normally, fail in a given way, or answer with
 * some embeddings replaced (by input index: a list of numbers, or a base64 float32 string).
 */
export type Behaviour =
  | 'ok'
  | 'reverse'
  | 'hang'
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { replace: Record<number, number[] | string> };

export interface FakeEndpoint {
  base: string;
  requests: SeenRequest[];
  /** Consumed one per request; when empty, 'ok'. */
  script: Behaviour[];
  close(): Promise<void>;
}

/** The reference embedding of a text: a fixed function of its characters, not our code. */
export function expectedVector(text: string, dim: number): number[] {
  const v: number[] = [];
  for (let i = 0; i < dim; i++) v.push(((text.charCodeAt(i % Math.max(1, text.length)) || 0) % 97) / 10 + i + text.length / 100);
  return v;
}

export async function startFakeEndpoint(): Promise<FakeEndpoint> {
  const ep: FakeEndpoint = { base: '', requests: [], script: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SeenRequest['body'];
      ep.requests.push({ url: req.url ?? '', headers: req.headers, body });
      const b = ep.script.shift() ?? 'ok';
      if (b === 'hang') return;
      if (typeof b === 'object' && 'status' in b) {
        res.writeHead(b.status, { 'content-type': 'application/json', ...b.headers });
        return void res.end(JSON.stringify(b.body ?? { error: { message: `status ${b.status}` } }));
      }
      const dim = body.dimensions ?? 6;
      const replaced = typeof b === 'object' ? b.replace : {};
      let data = body.input.map((t, index) => ({ object: 'embedding', index, embedding: replaced[index] ?? expectedVector(t, dim) }));
      if (b === 'reverse') data = data.reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data, model: body.model ?? 'tei', usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  ep.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ep.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return ep;
}
