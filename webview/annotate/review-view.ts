/**
 * Review mode (R): the annotated pairs, newest first, with every annotator's standing score,
 * filtered by annotator, score range, dates and words, a page at a time. Editing a pair sends
 * a new score (the host appends it to the log; the latest entry per pair and annotator wins, the
 * earlier one stays in the log) and the list is fetched again once the host has saved it.
 */
import type { RubricAnchor } from '../../src/protocol/annotate';
import type { ReviewPage, ReviewQuery, ReviewRow } from '../../src/protocol/annotate-review';
import { ce, h } from '../common/dom';

const PAGE = 25;

export interface ReviewDeps {
  fetch(query: ReviewQuery): Promise<ReviewPage>;
  /** Sends the new score; `ReviewView.saved` is called when the host has appended it. */
  edit(id1: string, id2: string, score: number, note: string | undefined): void;
  rubric(): RubricAnchor[];
  annotator(): string;
}

const rowKey = (r: { id1: string; id2: string }) => `${r.id1}|${r.id2}`;

export function formatScore(s: number): string {
  return s === 0 || s === 1 ? String(s) : s.toFixed(2).replace(/^0/, '');
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export class ReviewView {
  readonly el: HTMLElement;
  private query: ReviewQuery = { offset: 0, limit: PAGE };
  private page: ReviewPage | undefined;
  private editing: string | undefined;
  private pendingEdit: string | undefined;
  private textTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly annotatorSelect = h('select', { className: 'select', attrs: { id: 'review-annotator', 'aria-label': 'Annotator' } });
  private readonly minSelect = h('select', { className: 'select', attrs: { id: 'review-min', 'aria-label': 'Lowest score' } });
  private readonly maxSelect = h('select', { className: 'select', attrs: { id: 'review-max', 'aria-label': 'Highest score' } });
  private readonly fromInput = h('input', { className: 'input', attrs: { id: 'review-from', type: 'date', 'aria-label': 'From date' } });
  private readonly toInput = h('input', { className: 'input', attrs: { id: 'review-to', type: 'date', 'aria-label': 'To date' } });
  private readonly textInput = h('input', { className: 'input review-text', attrs: { id: 'review-text', type: 'search', placeholder: 'Words in the texts, ids or notes', 'aria-label': 'Search the pairs' } });
  private readonly count = h('span', { className: 'status', attrs: { id: 'review-count', role: 'status' } });
  private readonly body = h('tbody');
  private readonly pageText = h('span', { className: 'status', attrs: { id: 'review-page' } });
  private readonly prev = ce('vscode-button', { id: 'review-prev', secondary: '' }, 'Previous');
  private readonly next = ce('vscode-button', { id: 'review-next', secondary: '' }, 'Next');
  private readonly note = h('div', { className: 'message', attrs: { id: 'review-message', role: 'status', 'aria-live': 'polite' } });

  constructor(private readonly deps: ReviewDeps) {
    const clear = ce('vscode-button', { id: 'review-clear', secondary: '' }, 'Clear filters');
    const filters = h('div', { className: 'toolbar review-filters' },
      this.annotatorSelect,
      h('label', { className: 'field-label', text: 'Score', attrs: { for: 'review-min' } }), this.minSelect,
      h('span', { className: 'field-label', text: 'to' }), this.maxSelect,
      h('label', { className: 'field-label', text: 'From', attrs: { for: 'review-from' } }), this.fromInput,
      h('label', { className: 'field-label', text: 'to', attrs: { for: 'review-to' } }), this.toInput,
      this.textInput, clear, this.count);
    const table = h('table', { className: 'review-table', attrs: { id: 'review-table' } },
      h('thead', {}, h('tr', {}, h('th', { text: 'Pair' }), h('th', { text: 'Scores (latest per annotator)' }), h('th', { text: '' }))),
      this.body);
    const pager = h('div', { className: 'toolbar' }, this.prev, this.next, this.pageText);
    this.el = h('section', { className: 'review', attrs: { id: 'review', 'aria-label': 'Review annotated pairs' } },
      h('h2', { className: 'review-title', text: 'Review annotated pairs' }), filters, this.note, h('div', { className: 'review-scroll' }, table), pager);
    for (const s of [this.annotatorSelect, this.minSelect, this.maxSelect]) s.addEventListener('change', () => this.filtersChanged());
    for (const i of [this.fromInput, this.toInput]) i.addEventListener('change', () => this.filtersChanged());
    this.textInput.addEventListener('input', () => {
      clearTimeout(this.textTimer);
      this.textTimer = setTimeout(() => this.filtersChanged(), 250);
    });
    clear.addEventListener('click', () => this.clearFilters());
    this.prev.addEventListener('click', () => this.turn(-1));
    this.next.addEventListener('click', () => this.turn(1));
  }

  /** Rebuilds the score choices from the rubric (the project's own). */
  private fillScoreChoices(): void {
    for (const [select, any] of [[this.minSelect, 'any'], [this.maxSelect, 'any']] as const) {
      const value = select.value;
      select.textContent = '';
      select.append(h('option', { text: any, attrs: { value: '' } }));
      for (const a of this.deps.rubric()) select.append(h('option', { text: `${formatScore(a.score)} ${a.label}`, attrs: { value: String(a.score) } }));
      select.value = value;
    }
  }

  private fillAnnotators(names: string[]): void {
    const value = this.annotatorSelect.value;
    this.annotatorSelect.textContent = '';
    this.annotatorSelect.append(h('option', { text: 'All annotators', attrs: { value: '' } }));
    for (const n of names) this.annotatorSelect.append(h('option', { text: n === this.deps.annotator() ? `${n} (you)` : n, attrs: { value: n } }));
    this.annotatorSelect.value = names.includes(value) ? value : '';
  }

  private filtersChanged(): void {
    const num = (v: string) => (v === '' ? undefined : Number(v));
    const opt = (v: string) => (v === '' ? undefined : v);
    this.query = {
      offset: 0,
      limit: PAGE,
      annotator: opt(this.annotatorSelect.value),
      minScore: num(this.minSelect.value),
      maxScore: num(this.maxSelect.value),
      from: opt(this.fromInput.value),
      to: opt(this.toInput.value),
      text: opt(this.textInput.value.trim()),
    };
    void this.refresh();
  }

  private clearFilters(): void {
    for (const s of [this.annotatorSelect, this.minSelect, this.maxSelect]) s.value = '';
    for (const i of [this.fromInput, this.toInput, this.textInput]) i.value = '';
    this.filtersChanged();
  }

  private turn(step: number): void {
    if (!this.page) return;
    const offset = this.query.offset + step * PAGE;
    if (offset < 0 || offset >= this.page.total) return;
    this.query = { ...this.query, offset };
    void this.refresh();
  }

  /** Fetches the page for the current filters and shows it. */
  async refresh(): Promise<void> {
    this.fillScoreChoices();
    document.body.dataset.reviewLoading = 'true';
    try {
      this.page = await this.deps.fetch(this.query);
    } catch (e) {
      this.note.classList.add('error');
      this.note.textContent = `Could not load the annotated pairs: ${e instanceof Error ? e.message : String(e)}`;
      return;
    } finally {
      document.body.dataset.reviewLoading = 'false';
    }
    this.fillAnnotators(this.page.annotators);
    this.render();
  }

  /** The host appended a score: if it is the edited pair, show the list again. */
  saved(id1: string, id2: string): void {
    if (this.pendingEdit !== rowKey({ id1, id2 })) return;
    this.pendingEdit = undefined;
    void this.refresh();
  }

  private render(): void {
    const p = this.page!;
    this.body.textContent = '';
    const filtered = p.total !== p.all;
    this.count.textContent = filtered ? `${p.total.toLocaleString('en-US')} of ${p.all.toLocaleString('en-US')} annotated pairs` : `${p.all.toLocaleString('en-US')} annotated pairs`;
    this.count.dataset.total = String(p.total);
    if (!p.rows.length) {
      this.body.append(h('tr', {}, h('td', { className: 'muted', text: p.all ? 'No annotated pair matches these filters.' : 'No pair has been scored yet.', attrs: { colspan: '3' } })));
    }
    for (const r of p.rows) {
      this.body.append(this.rowNode(r));
      if (this.editing === rowKey(r)) this.body.append(this.editorNode(r));
    }
    const from = p.total ? this.query.offset + 1 : 0;
    this.pageText.textContent = `${from}–${this.query.offset + p.rows.length} of ${p.total}`;
    this.prev.toggleAttribute('disabled', this.query.offset === 0);
    this.next.toggleAttribute('disabled', this.query.offset + p.rows.length >= p.total);
  }

  private rowNode(r: ReviewRow): HTMLElement {
    const me = this.deps.annotator();
    const texts = h('td', { className: 'review-texts' },
      h('div', { className: 'review-ids', text: `${r.id1} · ${r.id2}` }),
      h('div', { className: 'review-snippet', text: r.left }),
      h('div', { className: 'review-snippet', text: r.right }));
    const scores = h('td', { className: 'review-scores' });
    for (const s of r.scores) {
      scores.append(h('div', { className: `review-score${s.annotator === me ? ' mine' : ''}`, attrs: { 'data-annotator': s.annotator } },
        h('span', { className: 'review-score-value', text: formatScore(s.score) }),
        h('span', { text: ` ${s.annotator}${s.annotator === me ? ' (you)' : ''} · ${formatTime(s.time)}` }),
        ...(s.note ? [h('div', { className: 'review-note', text: s.note })] : [])));
    }
    const edit = ce('vscode-button', { secondary: '', class: 'review-edit', title: 'Give your score again (appended to the log)' }, this.editing === rowKey(r) ? 'Close' : 'Edit');
    edit.addEventListener('click', () => {
      this.editing = this.editing === rowKey(r) ? undefined : rowKey(r);
      this.render();
    });
    return h('tr', { className: 'review-row', attrs: { 'data-pair': rowKey(r) } }, texts, scores, h('td', { className: 'review-actions' }, edit));
  }

  private editorNode(r: ReviewRow): HTMLElement {
    const me = this.deps.annotator();
    const mine = r.scores.find((s) => s.annotator === me);
    let chosen = mine?.score;
    const buttons = this.deps.rubric().map((a) => {
      const b = h('button', { className: 'anchor review-anchor', text: `${formatScore(a.score)} ${a.label}`, attrs: { type: 'button', 'data-score': String(a.score) } });
      b.addEventListener('click', () => {
        chosen = a.score;
        mark();
      });
      return b;
    });
    const mark = () => {
      for (const b of buttons) {
        const on = chosen !== undefined && Number(b.dataset.score) === chosen;
        b.classList.toggle('chosen', on);
        b.setAttribute('aria-pressed', String(on));
      }
    };
    mark();
    const note = h('input', { className: 'input review-note-input', attrs: { type: 'text', placeholder: 'Note (optional)', 'aria-label': 'Note' } });
    note.value = mine?.note ?? '';
    const save = ce('vscode-button', { class: 'review-save' }, 'Save');
    const cancel = ce('vscode-button', { secondary: '' }, 'Cancel');
    save.addEventListener('click', () => {
      if (chosen === undefined) {
        this.note.classList.add('error');
        this.note.textContent = 'Choose a score first.';
        return;
      }
      this.note.classList.remove('error');
      const text = note.value.trim();
      this.pendingEdit = rowKey(r);
      this.editing = undefined;
      this.deps.edit(r.id1, r.id2, chosen, text || undefined);
      this.note.textContent = `Saved ${formatScore(chosen)} for ${r.id1} · ${r.id2} as a new entry; the earlier ones stay in the log.`;
    });
    cancel.addEventListener('click', () => {
      this.editing = undefined;
      this.render();
    });
    return h('tr', { className: 'review-editor', attrs: { 'data-pair': rowKey(r) } },
      h('td', { attrs: { colspan: '3' } },
        h('div', { className: 'review-editor-label', text: `Your score for ${r.id1} · ${r.id2} (${me})${mine ? `, now ${formatScore(mine.score)}` : ''}:` }),
        h('div', { className: 'review-anchors' }, ...buttons), h('div', { className: 'toolbar' }, note, save, cancel)));
  }
}
