/**
 * The Clean Data panel: one row per rule with a switch and its count, paged before → after
 * examples with the removed spans highlighted, and an Apply button. Each change of the
 * switches re-runs the preview in the engine process; a newer preview cancels the older one.
 */
import type * as vscode from 'vscode';
import { cleanGuards, type ApplyResult, type CleanProtocol, type CleanRuleState, type PreviewResult } from '../../../protocol/clean';
import { BasePanel } from '../common/base-panel';
import { PanelRegistry } from '../common/panel-registry';
import type { CleanSource } from './clean-source';
import { cleanJobRules, cleanRuleInfos, initialRuleStates } from './clean-rules';
import { PreviewStore } from './preview-store';

export const CLEAN_VIEW_TYPE = 'embeddingLab.cleanDataPanel';

/** Examples kept per rule for paging. */
export const EXAMPLES_PER_RULE = 500;

export class CleanPanel extends BasePanel<CleanProtocol> {
  private static readonly panels = new PanelRegistry<CleanPanel, CleanSource>({
    viewType: CLEAN_VIEW_TYPE,
    titlePrefix: 'Clean Data',
    create: (panel, extensionUri, source, log) => new CleanPanel(panel, extensionUri, source, log),
  });

  private running?: AbortController;

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: CleanSource, log?: (m: string) => void) {
    const store = new PreviewStore();
    const preview = async (states: CleanRuleState[]): Promise<PreviewResult> => {
      this.running?.abort();
      const controller = new AbortController();
      this.running = controller;
      const id = store.next();
      const { rules, measureOnly } = cleanJobRules(states, true);
      try {
        const result = await source.preview(rules, measureOnly, EXAMPLES_PER_RULE, controller.signal);
        if (!result || controller.signal.aborted) return { status: 'cancelled' };
        return { status: 'done', summary: store.keep(id, result) };
      } finally {
        if (this.running === controller) this.running = undefined;
      }
    };
    const apply = async (states: CleanRuleState[]): Promise<ApplyResult> => {
      const { rules } = cleanJobRules(states, false);
      if (rules.length === 0) throw new Error('switch on at least one rule to apply');
      const names = rules.map((r) => r.rule).join(', ');
      const ok = await source.confirm(
        `Apply ${rules.length} cleaning rule${rules.length === 1 ? '' : 's'} (${names}) to "${source.dataset}"? The dataset file is rewritten; texts changed and records removed cannot be restored from the project.`,
        'Apply',
      );
      if (!ok) return { status: 'declined' };
      this.running?.abort();
      const result = await source.apply(rules);
      if (!result) return { status: 'cancelled' };
      return {
        status: 'applied',
        input: result.input,
        output: result.output,
        changed: result.rules.reduce((s, r) => s + r.changed, 0),
        removedBy: result.rules.filter((r) => r.removed > 0).map((r) => ({ rule: r.rule, removed: r.removed })),
      };
    };
    super(panel, {
      extensionUri,
      bundle: 'clean',
      title: source.title,
      restoreKey: source.restoreKey,
      guards: cleanGuards,
      log,
      requests: {
        getSession: async () => {
          const { records, lastApplied } = await source.describe();
          return { dataset: source.dataset, records, rules: cleanRuleInfos(), initial: initialRuleStates(lastApplied) };
        },
        preview: ({ rules }) => preview(rules),
        examples: ({ previewId, rule, offset, limit }) => store.page(previewId, rule, offset, limit),
        apply: ({ rules }) => apply(rules),
      },
      commands: {},
    });
    this._register({ dispose: () => this.running?.abort() });
    this._register(CleanPanel.panels.track(source.restoreKey, this));
  }

  static show(extensionUri: vscode.Uri, source: CleanSource, log?: (m: string) => void): CleanPanel {
    return CleanPanel.panels.show(extensionUri, source, log);
  }

  static get(restoreKey: string): CleanPanel | undefined {
    return CleanPanel.panels.get(restoreKey);
  }

  static registerSerializer(
    extensionUri: vscode.Uri,
    sourceFor: (restoreKey: string) => Promise<CleanSource | undefined>,
    log?: (m: string) => void,
  ): vscode.Disposable {
    return CleanPanel.panels.registerSerializer(extensionUri, sourceFor, log);
  }
}
