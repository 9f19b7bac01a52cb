import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextTokenizer } from '../../../src/engine/encoders/tokenizer/text-tokenizer';

const FIX = path.join(__dirname, '../../fixtures/models');
// Token ids computed once by the Rust `tokenizers` (transformers' fast tokenizers), see make-fixtures.py.
const REF = JSON.parse(fs.readFileSync(path.join(FIX, 'token-ids.json'), 'utf8')) as {
  texts: string[];
  tokenizers: Record<string, { pad_id: number; full: number[][]; truncated: Record<string, number[][]> }>;
};

const CASES: [string, TextTokenizer['modelType']][] = [
  ['all-MiniLM-L6-v2', 'WordPiece'],
  ['all-distilroberta-v1', 'BPE'],
  ['sentence-camembert-base', 'Unigram'],
];

for (const [name, type] of CASES) {
  test(`${name} (${type}): ids as Hugging Face tokenizers gives them (English, French, emoji, long texts)`, () => {
    const tok = TextTokenizer.fromFolder(path.join(FIX, 'hub', name));
    const ref = REF.tokenizers[name];
    assert.equal(tok.modelType, type);
    assert.equal(tok.padId, ref.pad_id, 'pad id from the tokenizer, not config.json');
    REF.texts.forEach((text, i) => assert.deepEqual(tok.encode(text), ref.full[i], `text ${i}: ${text.slice(0, 40)}`));
    for (const [max, expected] of Object.entries(ref.truncated)) {
      REF.texts.forEach((text, i) =>
        assert.deepEqual(tok.encode(text, Number(max)), expected[i], `text ${i} truncated at ${max} keeps the final special token`),
      );
    }
  });
}

test('tokenizer.json truncation/padding blocks are ignored (MiniLM stores 128)', () => {
  const tok = TextTokenizer.fromFolder(path.join(FIX, 'hub', 'all-MiniLM-L6-v2'));
  const long = REF.texts[REF.texts.length - 2];
  assert.ok(tok.encode(long).length > 128);
  assert.equal(tok.encode(long, 256).length, Math.min(256, tok.encode(long).length));
});

test('prompt length counts the leading special token and the prompt tokens', () => {
  const tok = TextTokenizer.fromFolder(path.join(FIX, 'hub', 'all-MiniLM-L6-v2'));
  assert.equal(tok.promptLength('query: '), 3); // [CLS] query :
});

test('an unknown tokenizer type or a missing tokenizer.json is an error naming the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tok-'));
  assert.throws(() => TextTokenizer.fromFolder(dir), (e: Error) => e.message.includes(path.join(dir, 'tokenizer.json')) && /missing/.test(e.message));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'WordLevelX', vocab: {} } }));
  assert.throws(() => TextTokenizer.fromFolder(dir), (e: Error) => e.message.includes('tokenizer.json') && /unknown tokenizer type "WordLevelX"/.test(e.message));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{"model": ');
  assert.throws(() => TextTokenizer.fromFolder(dir), /tokenizer\.json: invalid JSON/);
});

test('long texts are truncated from a tokenized prefix with the same ids as truncating the whole text', () => {
  // Mixed scripts, tabs, double spaces, newlines, emoji, punctuation glued to words, and a space-free run.
  const pieces = [...REF.texts.filter((t) => t !== ''), 'a\tb\t\tc', 'x  y   z', 'ligne\nsuivante', '東京タワーは高い', "l'été-là,ok?!", '👍🏽👍🏽👍🏽'];
  const texts = [
    Array.from({ length: 400 }, (_, i) => pieces[(i * 7) % pieces.length]).join(' '),
    Array.from({ length: 300 }, (_, i) => pieces[(i * 5 + 1) % pieces.length]).join('  '),
    'mot '.repeat(3000),
    '東京'.repeat(2000) + ' fin',
    pieces.join('\t').repeat(40),
  ];
  for (const [name] of CASES) {
    const tok = TextTokenizer.fromFolder(path.join(FIX, 'hub', name));
    for (const text of texts) {
      const whole = tok.encode(text);
      for (const max of [8, 16, 128, 256, 512]) {
        const expected = whole.length <= max ? whole : [...whole.slice(0, max - 1), whole[whole.length - 1]];
        assert.deepEqual(tok.encode(text, max), expected, `${name}, max ${max}, text of ${text.length} chars`);
      }
    }
  }
});

test('a 10 MB text is tokenized only as far as the truncation needs, with the right ids', () => {
  const tok = TextTokenizer.fromFolder(path.join(FIX, 'hub', 'all-MiniLM-L6-v2'));
  const sentence = REF.tokenizers['all-MiniLM-L6-v2'].full[0]; // [CLS] the quick … dog . [SEP]
  const body = sentence.slice(1, -1);
  const text = `${REF.texts[0]} `.repeat(240_000); // ≈10.8 MB
  const ids = tok.encode(text, 256);
  const expected = [sentence[0], ...Array.from({ length: 254 }, (_, i) => body[i % body.length]), sentence[sentence.length - 1]];
  assert.deepEqual(ids, expected);
});
