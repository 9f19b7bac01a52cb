/** Clean Data panel protocol (`webview/clean` ↔ `src/host/panels/clean`). Pure types + guards. */
import {
  isEmpty, isIndex, isRecord, isShape, isString,
  type Guard, type ProtocolGuards,
} from './ipc';

/** [start, end) in JavaScript string offsets (UTF-16 code units) of the text it belongs to. */
export type Span = [number, number];

export type CleanOptionValue = boolean | number | string[];

/** An option the panel lets the user set (the others keep their defaults). */
export interface CleanOptionInfo {
  name: string;
  type: 'boolean' | 'number' | 'string[]';
  label: string;
  description: string;
  default: CleanOptionValue;
  min?: number;
  max?: number;
}

export interface CleanRuleInfo {
  id: string;
  label: string;
  description: string;
  defaultOn: boolean;
  /** transform: changes texts; filter and dedupe: remove records. */
  kind: 'transform' | 'filter' | 'dedupe';
  options: CleanOptionInfo[];
}

/** A rule as the user set it: switched on or off, and its options. */
export interface CleanRuleState {
  id: string;
  on: boolean;
  options: Record<string, CleanOptionValue>;
}

export interface CleanSession {
  dataset: string;
  records: number;
  /** In the order they run. */
  rules: CleanRuleInfo[];
  /** The rules last applied to the dataset, else each rule's default. */
  initial: CleanRuleState[];
}

export interface RuleCount {
  rule: string;
  /** Texts changed (transforms) and records removed (filters, dedupe). */
  changed: number;
  removed: number;
  /** The rule is off: what it would do at its place, not applied to the texts after it. */
  measured: boolean;
  /** Examples kept for paging (at most the host's cap). */
  examples: number;
}

export interface PreviewSummary {
  previewId: number;
  input: number;
  output: number;
  rules: RuleCount[];
}

export type PreviewResult = { status: 'done'; summary: PreviewSummary } | { status: 'cancelled' };

export interface ExampleView {
  rule: string;
  id: string;
  before: string;
  /** null: the record is removed (`reason` says why). */
  after: string | null;
  reason?: string;
  removed: Span[];
  inserted: Span[];
  beforeGaps: Span[];
  afterGaps: Span[];
}

export type ApplyResult =
  | { status: 'applied'; input: number; output: number; changed: number; removedBy: { rule: string; removed: number }[] }
  | { status: 'declined' }
  | { status: 'cancelled' };

export type CleanCommands = Record<string, never>;

export type CleanRequests = {
  getSession: { params: Record<string, never>; result: CleanSession };
  /** Re-runs the preview for these rule settings; a newer preview cancels an older one. */
  preview: { params: { rules: CleanRuleState[] }; result: PreviewResult };
  /** A page of the examples of a preview, of one rule or (rule null) of every rule in order. */
  examples: {
    params: { previewId: number; rule: string | null; offset: number; limit: number };
    result: { previewId: number; total: number; items: ExampleView[] };
  };
  /** Asks the user to confirm, then applies the rules that are on. */
  apply: { params: { rules: CleanRuleState[] }; result: ApplyResult };
};

export type CleanNotifications = {
  /** The dataset changed on disk (applied elsewhere, re-imported): preview again. */
  datasetChanged: { records: number };
};

export type CleanProtocol = {
  commands: CleanCommands;
  requests: CleanRequests;
  notifications: CleanNotifications;
};

const isOptionValue: Guard<CleanOptionValue> = (v: unknown): v is CleanOptionValue =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.length <= 100 && v.every((s) => typeof s === 'string' && s.length <= 1000));

export const isCleanRuleState: Guard<CleanRuleState> = (v: unknown): v is CleanRuleState =>
  isShape<CleanRuleState>({
    id: isString,
    on: (x: unknown): x is boolean => typeof x === 'boolean',
    options: (x: unknown): x is Record<string, CleanOptionValue> => isRecord(x) && Object.values(x).every(isOptionValue),
  })(v);

const isRuleStates: Guard<CleanRuleState[]> = (v: unknown): v is CleanRuleState[] => Array.isArray(v) && v.length <= 50 && v.every(isCleanRuleState);

export const cleanGuards: ProtocolGuards<CleanProtocol> = {
  commands: {},
  requests: {
    getSession: isEmpty,
    preview: isShape<CleanRequests['preview']['params']>({ rules: isRuleStates }),
    examples: isShape<CleanRequests['examples']['params']>({
      previewId: isIndex,
      rule: (v: unknown): v is string | null => v === null || isString(v),
      offset: isIndex,
      limit: isIndex,
    }),
    apply: isShape<CleanRequests['apply']['params']>({ rules: isRuleStates }),
  },
};

/** Why a pattern cannot be used, or undefined when it is a valid JavaScript regex that matches something. */
export function patternProblem(pattern: string, ignoreCase = false): string | undefined {
  if (!pattern) return 'the pattern is empty';
  try {
    const re = new RegExp(pattern, ignoreCase ? 'giu' : 'gu');
    if (re.test('')) return 'it matches the empty string, so it would remove nothing useful';
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}
