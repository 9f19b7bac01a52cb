/**
 * The prompts of LLM assist for clusters, and the checks of their answers. A prompt version is
 * part of every cache key: change the wording or the rules, bump the version, and cached answers
 * of the old prompt are no longer used.
 */
import type { ChatMessage } from './chat-client';
import { integer, list, object, optional, refine, text, type Check } from './schema';
import { wrongLanguage, type Language } from './language';

export const NAME_PROMPT_VERSION = 1;
export const JUDGE_PROMPT_VERSION = 1;

/** Cuts a text to `max` characters at a word boundary when one is near, with an ellipsis. */
export function truncateText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.7 ? cut.slice(0, space) : cut) + '…';
}

function languageRule(language: Language | undefined): string {
  return language ? `Write in ${language.name}, the language of the texts.` : 'Write in the language of the texts.';
}

export interface TopicNameAnswer {
  name: string;
  description: string;
}

export interface NamePromptInput {
  keywords: readonly string[];
  /** Representative texts, already truncated. */
  texts: readonly string[];
  language?: Language;
}

export function topicNamePrompt(input: NamePromptInput): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You name topics found by clustering documents. Given the keywords of one cluster and a few of its most typical texts, ' +
        'give it a short name of 2 to 5 words and a one-sentence description. ' +
        `${languageRule(input.language)} ` +
        'Answer with only a JSON object: {"name": "<2 to 5 words>", "description": "<one sentence>"}.',
    },
    {
      role: 'user',
      content: [`Keywords: ${input.keywords.join(', ')}`, '', 'Typical texts:', ...input.texts.map((t, i) => `${i + 1}. ${t}`)].join('\n'),
    },
  ];
}

export function topicNameCheck(language: Language | undefined): Check<TopicNameAnswer> {
  return refine(object({ name: text({ minWords: 2, maxWords: 5, maxChars: 80 }), description: text({ maxChars: 400 }) }), (v) =>
    wrongLanguage(language, `${v.name}. ${v.description}`),
  );
}

export interface JudgmentAnswer {
  coherence: number;
  reason: string;
  /** 1-based numbers of the sampled texts that do not fit. */
  misfits: number[];
}

export interface JudgePromptInput {
  keywords: readonly string[];
  /** A sample of members, already truncated, numbered from 1 in the prompt. */
  texts: readonly string[];
  language?: Language;
}

export function clusterJudgePrompt(input: JudgePromptInput): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You judge the clusters that an algorithm found in a set of documents. Given the keywords of one cluster and a numbered sample of its texts, ' +
        'rate how coherent it is, from 1 (unrelated texts) to 5 (one clear topic), give the reason in one short line, ' +
        'and list the numbers of the texts that do not fit the cluster (an empty list when all fit). ' +
        `${languageRule(input.language)} ` +
        'Answer with only a JSON object: {"coherence": <1-5>, "reason": "<one line>", "misfits": [<numbers>]}.',
    },
    {
      role: 'user',
      content: [`Keywords: ${input.keywords.join(', ')}`, '', 'Texts:', ...input.texts.map((t, i) => `${i + 1}. ${t}`)].join('\n'),
    },
  ];
}

export function clusterJudgeCheck(sampleSize: number, language: Language | undefined): Check<JudgmentAnswer> {
  const shape = object({ coherence: integer(1, 5), reason: text({ maxChars: 300 }), misfits: optional(list(integer(1, Math.max(1, sampleSize)), sampleSize)) });
  return refine(
    (value, path) => {
      const v = shape(value, path);
      return { coherence: v.coherence, reason: v.reason, misfits: [...new Set(v.misfits ?? [])].sort((a, b) => a - b) };
    },
    (v) => wrongLanguage(language, v.reason),
  );
}
