/**
 * The prompt that asks a language model to score a pair of texts on the project's rubric, and the
 * check of its answer: `{"score": <one of the rubric's scores>, "reason": "<one short sentence>"}`.
 * Texts are truncated (a pair of long articles must not cost thousands of tokens); the rubric's
 * own labels are the scale, so a project that edits its rubric gets prompts that follow it.
 */
import type { RubricLevel } from '../project/schema';
import type { ChatMessage } from './chat-client';
import { object, oneOfNumbers, text, type Check } from './schema';

/** Bumped whenever the wording changes: pre-scores are kept per model and prompt version. */
export const PAIR_SCORE_PROMPT_VERSION = 1;
/** Characters of each text shown to the model; longer texts end with "…". */
export const PAIR_TEXT_MAX_CHARS = 1500;
export const PAIR_REASON_MAX_CHARS = 300;
/** Enough for the JSON object and its one-line reason. */
export const PAIR_ANSWER_MAX_TOKENS = 160;

export interface PairScoreAnswer {
  score: number;
  reason: string;
}

/** `s` cut to at most `max` characters (at a word boundary when one is near), "…" marking the cut. */
export function truncateText(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** The messages for one pair. */
export function pairScoreMessages(rubric: readonly RubricLevel[], text1: string, text2: string): ChatMessage[] {
  const scale = [...rubric].sort((a, b) => a.score - b.score).map((r) => `${r.score}: ${r.label}`).join('\n');
  return [
    {
      role: 'system',
      content:
        'You rate how similar two texts are, for a dataset of human similarity judgments. ' +
        'Answer with only a JSON object: {"score": <number>, "reason": "<one short sentence>"}. ' +
        'The score must be exactly one of the values of the scale. Write the reason in the language of the texts.',
    },
    {
      role: 'user',
      content: `Scale:\n${scale}\n\nText A:\n${truncateText(text1, PAIR_TEXT_MAX_CHARS)}\n\nText B:\n${truncateText(text2, PAIR_TEXT_MAX_CHARS)}\n\nAnswer with the JSON object {"score", "reason"}.`,
    },
  ];
}

/** The check of an answer: a score of the rubric and a short reason. */
export function pairScoreCheck(rubric: readonly RubricLevel[]): Check<PairScoreAnswer> {
  return object({ score: oneOfNumbers(rubric.map((r) => r.score)), reason: text({ maxChars: PAIR_REASON_MAX_CHARS }) });
}
