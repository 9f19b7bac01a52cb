/** Cleaning rules: the public surface. */
export type { CleaningRule, CleaningRuleSpec, CleaningStep, RuleOptionDoc } from './rule';
export { cleaningRules, findCleaningRule, prepareRules } from './registry';
export { applyCleaning, previewCleaning } from './apply';
export type { CleanableRecord, CleaningReport, RuleReport, CleaningExample, RemovedRecord, CleaningOptions } from './apply';
