import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ChatClient, correctionMessage } from '../../../src/engine/llm/chat-client';
import { parseChatEndpoint } from '../../../src/engine/llm/chat-endpoint';
import { extractJsonObject } from '../../../src/engine/llm/json-answer';
import { integer, list, object, oneOfNumbers, optional, refine, text, validate } from '../../../src/engine/llm/schema';
import { EndpointError } from '../../../src/engine/http/post-json';
import { isCancelledError } from '../../../src/engine/util/job';
import { startChatServer, type ChatServer } from '../../fixtures/chat-server/chat-server';

let server: ChatServer;
before(async () => {
  server = await startChatServer({ answer: () => ({ name: 'Oil prices rise', description: 'Texts about the price of oil.' }) });
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  server.fallback = 'good';
  server.peakInFlight = 0;
});

const fast = { retryBaseMs: 1, retryMaxMs: 20 };
const nameCheck = object({ name: text({ minWords: 2, maxWords: 5 }), description: text({ maxChars: 300 }) });
const ASK = [
  { role: 'system' as const, content: 'Answer with JSON: {"name": ..., "description": ...}' },
  { role: 'user' as const, content: 'Keywords: oil, prices' },
];

function client(query = '', options = {}): ChatClient {
  return new ChatClient(parseChatEndpoint(`${server.base}/v1?model=test-model${query}`), { apiKey: 'sk-chat-secret', ...fast, ...options });
}

test('chat endpoints: base URL, /v1, full path, Azure deployment, model from # ? or override, secrets refused', () => {
  assert.equal(parseChatEndpoint('http://localhost:11434#llama3.1').url, 'http://localhost:11434/v1/chat/completions');
  assert.equal(parseChatEndpoint('http://localhost:11434#llama3.1').model, 'llama3.1');
  assert.equal(parseChatEndpoint('http://localhost:8000/v1?model=a/b').url, 'http://localhost:8000/v1/chat/completions');
  assert.equal(parseChatEndpoint('http://localhost:8000/v1?model=a/b', 'other').model, 'other');
  const openai = parseChatEndpoint('https://api.openai.com/v1/chat/completions?model=gpt-4o-mini&concurrency=8&timeout_ms=5000');
  assert.equal(openai.url, 'https://api.openai.com/v1/chat/completions');
  assert.equal(openai.concurrency, 8);
  assert.equal(openai.timeoutMs, 5000);
  assert.equal(openai.label, 'https://api.openai.com/v1/chat/completions');
  const az = parseChatEndpoint('https://res.openai.azure.com/openai/deployments/dep?api-version=2024-06-01');
  assert.equal(az.azure, true);
  assert.equal(az.url, 'https://res.openai.azure.com/openai/deployments/dep/chat/completions?api-version=2024-06-01');
  assert.throws(() => parseChatEndpoint('https://x/v1?api_key=sk-1'), /field "llm".*secrets/);
  assert.throws(() => parseChatEndpoint('https://u:sk@x/v1'), /EMBEDLAB_API_KEY/);
  assert.throws(() => parseChatEndpoint('ftp://x/v1'), /only http/);
});

test('JSON extraction: bare, fenced with prose, braces inside strings, broken', () => {
  assert.deepEqual(extractJsonObject(' {"a": 1} '), { ok: true, value: { a: 1 } });
  assert.deepEqual(extractJsonObject('Sure!\n```json\n{"a": "x } y", "b": {"c": 2}}\n```\nBye {'), { ok: true, value: { a: 'x } y', b: { c: 2 } } });
  const broken = extractJsonObject('{"name": "Oil pri');
  assert.equal(broken.ok, false);
  assert.match(!broken.ok ? broken.error : '', /not closed/);
  assert.equal(extractJsonObject('no json here').ok, false);
});

test('schema checks name the field and the rule', () => {
  const check = object({ coherence: integer(1, 5), misfits: optional(list(integer(0, 9), 3)), score: optional(oneOfNumbers([0, 0.25, 0.5])) });
  assert.deepEqual(validate(check, { coherence: '4', misfits: [1, 2] }), { ok: true, value: { coherence: 4, misfits: [1, 2] } });
  assert.deepEqual(validate(check, { coherence: 6 }), { ok: false, error: '"coherence" must be an integer from 1 to 5' });
  assert.deepEqual(validate(check, { misfits: [] }), { ok: false, error: '"coherence" is missing' });
  assert.deepEqual(validate(check, { coherence: 2, misfits: [1, 'x'] }), { ok: false, error: '"misfits[1]" must be an integer from 0 to 9' });
  assert.deepEqual(validate(check, { coherence: 2, score: 0.3 }), { ok: false, error: '"score" must be one of 0, 0.25, 0.5' });
  assert.deepEqual(validate(nameCheck, { name: 'Oil', description: 'x' }), { ok: false, error: '"name" must have at least 2 words (it has 1)' });
  assert.equal(validate(nameCheck, { name: 'Oil <b>\u001b[31m', description: 'x' }).ok, false);
  assert.deepEqual(validate(nameCheck, []), { ok: false, error: 'the answer must be a JSON object' });
});

test('a good answer: one request to /v1/chat/completions with the model, JSON mode, temperature 0 and the key in the header only', async () => {
  const c = client();
  const answer = await c.completeJson(ASK, nameCheck);
  assert.deepEqual(answer, { ok: true, value: { name: 'Oil prices rise', description: 'Texts about the price of oil.' }, attempts: 1 });
  assert.equal(server.requests.length, 1);
  const r = server.requests[0];
  assert.equal(r.url, '/v1/chat/completions');
  assert.equal(r.headers.authorization, 'Bearer sk-chat-secret');
  assert.equal(r.body.model, 'test-model');
  assert.deepEqual(r.body.response_format, { type: 'json_object' });
  assert.equal(r.body.temperature, 0);
  assert.deepEqual(r.body.messages, ASK);
  assert.ok(!JSON.stringify(r.body).includes('sk-chat-secret'));
  assert.equal(c.usage.requests, 1);
  assert.ok(c.usage.promptTokens > 0 && c.usage.completionTokens > 0);
  assert.ok(!c.endpoint.label.includes('sk-'));
});

test('prose around the JSON is accepted without a retry', async () => {
  server.script.push('prose');
  const answer = await client().completeJson(ASK, nameCheck);
  assert.equal(answer.ok, true);
  assert.equal(answer.attempts, 1);
  assert.equal(server.requests.length, 1);
});

test('broken JSON: retried once with the validation error, then accepted', async () => {
  server.script.push('broken');
  const answer = await client().completeJson(ASK, nameCheck);
  assert.equal(answer.ok, true);
  assert.equal(answer.attempts, 2);
  assert.equal(server.requests.length, 2);
  const second = server.requests[1].body.messages;
  assert.equal(second.length, 4);
  assert.equal(second[2].role, 'assistant');
  assert.ok(second[2].content.startsWith('{"name"'));
  assert.equal(second[3].content, correctionMessage('the JSON object in the answer is not closed'));
});

test('broken twice: no value, the error says why, no crash', async () => {
  server.fallback = 'broken';
  const answer = await client().completeJson(ASK, nameCheck);
  assert.deepEqual(answer, { ok: false, error: 'the JSON object in the answer is not closed', attempts: 2 });
  assert.equal(server.requests.length, 2);
});

test('wrong language: a refined check rejects it and the retry carries the reason', async () => {
  const french = refine(nameCheck, (v) => (/\b(le|la|les|des)\b/.test(v.description) ? undefined : 'the name and description must be in French, the language of the texts'));
  server.answer = (_req, language) => (language === 'same' ? { name: 'Prix du pétrole', description: 'Les textes parlent des prix du pétrole.' } : { name: 'Oil prices', description: 'Texts about oil.' });
  server.script.push('wrong-language');
  try {
    const answer = await client().completeJson(ASK, french);
    assert.deepEqual(answer, { ok: true, value: { name: 'Prix du pétrole', description: 'Les textes parlent des prix du pétrole.' }, attempts: 2 });
    assert.match(server.requests[1].body.messages[3].content, /must be in French/);
  } finally {
    server.answer = () => ({ name: 'Oil prices rise', description: 'Texts about the price of oil.' });
  }
});

test('429 with Retry-After: retried after the wait, and the limiter halves its limit', async () => {
  server.script.push({ status: 429, retryAfter: 0, message: 'slow down' });
  const retries: string[] = [];
  const c = client('', { concurrency: 4, onProgress: (p: { stage: string; message?: string }) => p.stage === 'retry' && retries.push(p.message ?? '') });
  const answer = await c.completeJson(ASK, nameCheck);
  assert.equal(answer.ok, true);
  assert.equal(server.requests.length, 2);
  assert.equal(c.limiter.rateLimits, 1);
  assert.equal(c.limiter.limit, 2);
  assert.match(retries[0], /HTTP 429: slow down; retry 1\//);
});

test('500: retried; 500 every time: an EndpointError that gives up after the retries', async () => {
  server.script.push({ status: 500 });
  assert.equal((await client().completeJson(ASK, nameCheck)).ok, true);
  server.fallback = { status: 500, message: 'boom' };
  await assert.rejects(client('&retries=2').completeJson(ASK, nameCheck), (err: unknown) => {
    assert.ok(err instanceof EndpointError);
    assert.match(err.message, /HTTP 500: boom \(gave up after 3 attempts\)/);
    return true;
  });
});

test('a 401 fails at once with a hint about the key, and the key is not in the message', async () => {
  server.script.push({ status: 401, message: 'invalid key' });
  await assert.rejects(client().complete(ASK), (err: unknown) => {
    assert.ok(err instanceof EndpointError);
    assert.equal(err.status, 401);
    assert.match(err.message, /HTTP 401: invalid key \(check the API key/);
    assert.ok(!err.message.includes('sk-chat-secret'));
    return true;
  });
  assert.equal(server.requests.length, 1);
});

test('a server that refuses response_format is asked again without it, and not asked with it again', async () => {
  server.script.push({ status: 400, message: "unknown field 'response_format'" });
  const c = client();
  assert.equal((await c.completeJson(ASK, nameCheck)).ok, true);
  assert.equal((await c.completeJson(ASK, nameCheck)).ok, true);
  assert.deepEqual(server.requests.map((r) => r.body.response_format?.type ?? null), ['json_object', null, null]);
});

test('slow answers: a timeout is retried; the next, slow but in time, is used', async () => {
  server.script.push({ slowMs: 400 }, { slowMs: 20 });
  const answer = await client('&timeout_ms=150').completeJson(ASK, nameCheck);
  assert.equal(answer.ok, true);
  assert.equal(server.requests.length, 2);
});

test('cancel: a request waiting for an answer that never comes rejects with CancelledError', async () => {
  server.fallback = 'hang';
  const ac = new AbortController();
  const pending = client().completeJson(ASK, nameCheck, { signal: ac.signal });
  while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  await assert.rejects(pending, (err: unknown) => isCancelledError(err));
});

test('concurrency: never more requests in flight than the limit', async () => {
  server.fallback = { slowMs: 30 };
  const c = client('&concurrency=3');
  const answers = await Promise.all(Array.from({ length: 10 }, () => c.completeJson(ASK, nameCheck)));
  assert.ok(answers.every((a) => a.ok));
  assert.equal(server.requests.length, 10);
  assert.equal(c.limiter.peak, 3);
  assert.ok(server.peakInFlight <= 3, `peak in flight ${server.peakInFlight}`);
});

test('after a 429 the limiter lets fewer requests start at once', async () => {
  const c = client('&concurrency=4');
  server.script.push({ status: 429, retryAfter: 0 });
  await c.complete(ASK);
  assert.equal(c.limiter.limit, 2);
  server.fallback = { slowMs: 30 };
  server.peakInFlight = 0;
  await Promise.all(Array.from({ length: 4 }, () => c.complete(ASK)));
  assert.ok(server.peakInFlight <= 2, `peak in flight ${server.peakInFlight}`);
});
