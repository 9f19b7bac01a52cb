/**
 * transformers 5 (which sentence-transformers 6 requires) does not run the `pre_tokenizer` of a
 * `tokenizer.json` for some SentencePiece tokenizer classes: it builds the tokenizer from its own
 * class and only takes the vocabulary and the normalizer from the file. CamembertTokenizer and
 * XLMRobertaTokenizer install WhitespaceSplit → Metaspace, so runs of whitespace, and whitespace at
 * the ends of a text, give no "▁" token of their own (the file's lone Metaspace gives one for
 * trailing whitespace). We tokenize as sentence-transformers does, so we install the same pre-tokenizer.
 */

/** `tokenizer_config.json` classes whose pre-tokenizer transformers 5 replaces (see transformers' models/<name>/tokenization_<name>.py). */
const WHITESPACE_SPLIT_CLASSES = new Set(['CamembertTokenizer', 'XLMRobertaTokenizer']);

/** The `tokenizer.json` with the pre-tokenizer transformers 5 uses for its tokenizer class (the same object when there is nothing to change). */
export function withTransformersPreTokenizer(json: Record<string, unknown>, config: Record<string, unknown>): Record<string, unknown> {
  const cls = typeof config.tokenizer_class === 'string' ? config.tokenizer_class.replace(/Fast$/, '') : '';
  if (!WHITESPACE_SPLIT_CLASSES.has(cls)) return json;
  const prepend = config.add_prefix_space === false ? 'never' : 'always';
  return {
    ...json,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '\u2581', prepend_scheme: prepend, split: true }],
    },
  };
}
