import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { InputError } from '../../util/errors';
import { withTransformersPreTokenizer } from './sentencepiece-classes';

/** The tokenizer models we accept in a `tokenizer.json` (those @huggingface/tokenizers implements and we test). */
export const SUPPORTED_TOKENIZER_MODELS = ['WordPiece', 'BPE', 'Unigram'] as const;
export type TokenizerModelType = (typeof SUPPORTED_TOKENIZER_MODELS)[number];

/** One tokenized text: its ids with the special tokens of the model ([CLS] … [SEP], <s> … </s>). */
export interface TokenizedText {
  ids: number[];
}

/**
 * A Hugging Face fast tokenizer (`tokenizer.json`) wrapped to tokenize the way
 * sentence-transformers does: special tokens added, truncation at `maxLength` tokens that keeps the
 * final special token(s), and padding left to the caller (pad to the longest text of a batch). The
 * `truncation` and `padding` blocks stored inside `tokenizer.json` are ignored, as they are in
 * Python where per-call arguments override them.
 */
export class TextTokenizer {
  readonly modelType: TokenizerModelType;
  /** The id used for padding: the tokenizer's pad token, never config.json's `pad_token_id`. */
  readonly padId: number;
  private readonly tokenizer: Tokenizer;

  private constructor(tokenizer: Tokenizer, modelType: TokenizerModelType, padId: number) {
    this.tokenizer = tokenizer;
    this.modelType = modelType;
    this.padId = padId;
  }

  /**
   * Loads `tokenizer.json` (+ `tokenizer_config.json` and `special_tokens_map.json` when present) from a
   * model folder. Throws an `InputError` naming the file when it is missing, unreadable or of an unknown type.
   */
  static fromFolder(dir: string): TextTokenizer {
    const file = path.join(dir, 'tokenizer.json');
    if (!fs.existsSync(file)) {
      throw new InputError('missing file: a model folder needs a tokenizer.json (the Hugging Face fast tokenizer)', { file });
    }
    const json = readJsonObject(file);
    const configFile = path.join(dir, 'tokenizer_config.json');
    const config = fs.existsSync(configFile) ? readJsonObject(configFile) : {};
    const mapFile = path.join(dir, 'special_tokens_map.json');
    const specialMap = fs.existsSync(mapFile) ? readJsonObject(mapFile) : {};
    return TextTokenizer.fromJson(json, config, specialMap, file);
  }

  /** Builds a tokenizer from parsed JSON; `file` is only used in error messages. */
  static fromJson(
    json: Record<string, unknown>,
    config: Record<string, unknown> = {},
    specialTokensMap: Record<string, unknown> = {},
    file = 'tokenizer.json',
  ): TextTokenizer {
    const model = json.model as Record<string, unknown> | undefined;
    const type = typeof model?.type === 'string' ? model.type : undefined;
    if (!type || !(SUPPORTED_TOKENIZER_MODELS as readonly string[]).includes(type)) {
      throw new InputError(
        `unknown tokenizer type "${type ?? '(none)'}"; supported: ${SUPPORTED_TOKENIZER_MODELS.join(', ')}`,
        { file, field: 'model.type' },
      );
    }
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(withTransformersPreTokenizer(json, config), config);
    } catch (err) {
      throw new InputError(`cannot build the tokenizer: ${(err as Error).message}`, { file });
    }
    const padId = findPadId(tokenizer, json, config, specialTokensMap);
    return new TextTokenizer(tokenizer, type as TokenizerModelType, padId);
  }

  /** Ids of one text with special tokens, truncated to at most `maxLength` tokens (special tokens included). */
  encode(text: string, maxLength = Infinity): number[] {
    if (Number.isFinite(maxLength) && text.length > maxLength * CHARS_PER_TOKEN_GUESS) {
      const ids = this.encodeLongText(text, maxLength);
      if (ids) return ids;
    }
    const full = this.tokenizer.encode(text).ids;
    if (full.length <= maxLength) return full;
    const raw = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    return truncateKeepingSpecials(full, raw, maxLength);
  }

  /**
   * Truncation without tokenizing all of a long text (a 10 MB text takes tens of seconds and a
   * gigabyte whole): tokenize a prefix that ends before a space, growing it until it holds more
   * tokens than are kept. Every pre-tokenizer we support (BERT, ByteLevel, Metaspace) splits at
   * spaces, so the prefix's tokens are the full text's first tokens. Returns undefined when the
   * whole text is needed (it is shorter than the kept tokens, or has no boundary).
   */
  private encodeLongText(text: string, maxLength: number): number[] | undefined {
    const specials = this.tokenizer.encode('').ids;
    const keep = Math.max(0, maxLength - specials.length);
    for (let cut = maxLength * CHARS_PER_TOKEN_GUESS; cut < text.length; cut *= 4) {
      const end = wordBoundaryBefore(text, cut);
      if (end <= 0) continue;
      const prefix = text.slice(0, end);
      const raw = this.tokenizer.encode(prefix, { add_special_tokens: false }).ids;
      if (raw.length <= keep) continue;
      const full = this.tokenizer.encode(prefix).ids;
      return truncateKeepingSpecials(full, raw, maxLength);
    }
    return undefined;
  }

  /** Ids of many texts (see `encode`). */
  encodeBatch(texts: readonly string[], maxLength = Infinity): number[][] {
    return texts.map((t) => this.encode(t, maxLength));
  }

  /** The number of tokens a prompt such as "query: " occupies at the start of a text, counting the leading special token(s). */
  promptLength(prompt: string): number {
    const full = this.tokenizer.encode(prompt).ids;
    const raw = this.tokenizer.encode(prompt, { add_special_tokens: false }).ids;
    return specialPrefixLength(full, raw) + raw.length;
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }
}

/** A first guess of the characters that hold `maxLength` tokens (English averages about 4.5). */
const CHARS_PER_TOKEN_GUESS = 6;

/** The end of the last word before `pos`: an index i ≤ pos with text[i] a space and text[i-1] not; -1 if none. */
function wordBoundaryBefore(text: string, pos: number): number {
  for (let i = Math.min(pos, text.length - 1); i > 0; i--) {
    if (isSpace(text.charCodeAt(i)) && !isSpace(text.charCodeAt(i - 1))) return i;
  }
  return -1;
}

/** Only the ASCII space: Metaspace (SentencePiece) splits at nothing else, unlike BERT and ByteLevel. */
function isSpace(c: number): boolean {
  return c === 32;
}

/** `full` (with special tokens) cut to `maxLength`: leading specials, the first content tokens, trailing specials. */
function truncateKeepingSpecials(full: readonly number[], raw: readonly number[], maxLength: number): number[] {
  const nSpecial = full.length - raw.length;
  const prefix = specialPrefixLength(full, raw);
  const keep = Math.max(0, maxLength - nSpecial);
  return [...full.slice(0, prefix), ...raw.slice(0, keep), ...full.slice(prefix + raw.length)];
}

/** Where the content tokens start inside the ids with special tokens. */
function specialPrefixLength(full: readonly number[], raw: readonly number[]): number {
  const extra = full.length - raw.length;
  for (let p = 0; p <= extra; p++) {
    let same = true;
    for (let i = 0; i < raw.length && same; i++) same = full[p + i] === raw[i];
    if (same) return p;
  }
  return Math.min(1, extra);
}

function tokenContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') {
    return (v as { content: string }).content;
  }
  return undefined;
}

function findPadId(
  tokenizer: Tokenizer,
  json: Record<string, unknown>,
  config: Record<string, unknown>,
  specialMap: Record<string, unknown>,
): number {
  for (const source of [config.pad_token, specialMap.pad_token]) {
    const content = tokenContent(source);
    const id = content !== undefined ? tokenizer.token_to_id(content) : undefined;
    if (id !== undefined) return id;
  }
  const padding = json.padding as { pad_id?: unknown } | null | undefined;
  if (padding && typeof padding.pad_id === 'number') return padding.pad_id;
  for (const t of ['[PAD]', '<pad>']) {
    const id = tokenizer.token_to_id(t);
    if (id !== undefined) return id;
  }
  return 0;
}

/** Reads a JSON object, with an `InputError` naming the file when it is not one. */
export function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`invalid JSON: ${(err as Error).message}`, { file });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError('expected a JSON object', { file });
  return value as Record<string, unknown>;
}
