import type { ChatMessage } from './chat-client';

/**
 * Token estimates for the "this batch will send N requests, about T tokens" question asked before
 * a batch. No tokenizer of the remote model is at hand: about 4 characters per token (OpenAI's
 * rule of thumb for English; French and code run a little higher), plus a few tokens per message.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + 4 + estimateTokens(m.content), 3);
}

/** The estimate of a batch: requests, prompt tokens, and the answer tokens at most. */
export interface BatchEstimate {
  requests: number;
  promptTokens: number;
  maxAnswerTokens: number;
}

export function estimateBatch(prompts: ReadonlyArray<readonly ChatMessage[]>, maxAnswerTokens: number): BatchEstimate {
  return {
    requests: prompts.length,
    promptTokens: prompts.reduce((sum, p) => sum + estimatePromptTokens(p), 0),
    maxAnswerTokens: prompts.length * maxAnswerTokens,
  };
}
