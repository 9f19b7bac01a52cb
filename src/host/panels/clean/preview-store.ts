/**
 * The last preview of a Clean Data panel: counts per rule and every kept example, served a
 * page at a time (of one rule, or of every rule in order). No vscode here.
 */
import type { CleanJobResult } from '../../../engine/jobs/clean-job';
import type { ExampleView, PreviewSummary } from '../../../protocol/clean';

export class PreviewStore {
  private id = 0;
  private examples: ExampleView[] = [];

  /** Id for the next preview; requests for older ids get an empty page. */
  next(): number {
    return ++this.id;
  }

  get current(): number {
    return this.id;
  }

  /** Keeps `result` as preview `id` (ignored when a newer preview started) and returns its summary. */
  keep(id: number, result: CleanJobResult): PreviewSummary {
    const summary: PreviewSummary = {
      previewId: id,
      input: result.input,
      output: result.output,
      rules: result.rules.map((r) => ({ rule: r.rule, changed: r.changed, removed: r.removed, measured: r.measured === true, examples: r.examples.length })),
    };
    if (id === this.id)
      this.examples = result.rules.flatMap((r) =>
        r.examples.map((e) => ({
          rule: r.rule,
          id: e.id,
          before: e.before,
          after: e.after,
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
          removed: e.removed ?? [],
          inserted: e.inserted ?? [],
          beforeGaps: e.beforeGaps ?? [],
          afterGaps: e.afterGaps ?? [],
        })),
      );
    return summary;
  }

  page(previewId: number, rule: string | null, offset: number, limit: number): { previewId: number; total: number; items: ExampleView[] } {
    if (previewId !== this.id) return { previewId, total: 0, items: [] };
    const list = rule === null ? this.examples : this.examples.filter((e) => e.rule === rule);
    return { previewId, total: list.length, items: list.slice(offset, offset + Math.min(limit, 100)) };
  }
}
