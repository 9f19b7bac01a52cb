import type { BatchEstimate } from './estimate';

/** What a batch will send, as the CLI prints it and the extension's modal asks it. */
export interface PlanFacts extends BatchEstimate {
  endpoint: string;
  model: string;
  clusters: number;
  cached: number;
}

/** "4 requests (up to 8 with retries), about 2,300 prompt tokens + at most 800 answer tokens, to … (model …); 0 of 4 clusters answered before". */
export function describePlan(plan: PlanFacts): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `${plan.requests} request${plan.requests === 1 ? '' : 's'} (up to ${n(2 * plan.requests)} with retries), about ${n(plan.promptTokens)} prompt tokens ` +
    `+ at most ${n(plan.maxAnswerTokens)} answer tokens, to ${plan.endpoint} (model ${plan.model}); ${plan.cached} of ${plan.clusters} clusters answered before`
  );
}
