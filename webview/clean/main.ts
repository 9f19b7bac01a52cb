/**
 * Clean Data webview: one row per rule (switch, count of changed texts or removed records,
 * options, your patterns), the before → after examples of the last preview with the removed
 * spans highlighted, paged and filtered by rule, and an Apply button that stays. Each change
 * re-runs the preview in the host (debounced; answers to older previews are ignored).
 */
import type {
  ApplyResult, CleanOptionInfo, CleanProtocol, CleanRuleInfo, CleanRuleState, CleanSession, ExampleView, PreviewSummary,
} from '../../src/protocol/clean';
import { patternProblem } from '../../src/protocol/clean';
import { createClient, loadUiState, saveUiState } from '../common/vscode-api';
import { h } from '../common/dom';
import { gapMarks, insertedMarks, removedMarks, renderMarked } from './highlight';
import { adoptStyles } from './styles';

interface CleanUiState {
  rules: CleanRuleState[];
  filter: string;
  page: number;
}

const PAGE = 20;
const DEBOUNCE_MS = 250;
const client = createClient<CleanProtocol>();
const savedUi = loadUiState<CleanUiState>() ?? {};
let session: CleanSession | undefined;
let states: CleanRuleState[] = [];
let summary: PreviewSummary | undefined;
let filter = savedUi.filter ?? '';
let page = savedUi.page ?? 0;
/** Number of the latest preview asked for; answers to older ones are dropped. */
let previewSeq = 0;
let computing = false;
let applying = false;
let debounce: ReturnType<typeof setTimeout> | undefined;

const fmt = (n: number) => n.toLocaleString('en-US');
const saveUi = () => saveUiState<CleanUiState>({ rules: states, filter, page });

// ---- layout ---------------------------------------------------------------------------
adoptStyles();
const app = document.getElementById('app') ?? document.body;
const title = h('h1', { className: 'clean-title', attrs: { id: 'title' } });
const status = h('span', { className: 'status clean-status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
const applyButton = h('button', { className: 'button', text: 'Apply…', attrs: { id: 'apply', type: 'button', title: 'Apply the rules that are on to the dataset' } });
const header = h('div', { className: 'toolbar clean-header' }, title, status, h('span', { className: 'spacer' }), applyButton);
const result = h('div', { className: 'clean-result', attrs: { id: 'result', role: 'status' } });
result.hidden = true;
const errorBox = h('div', { className: 'message error', attrs: { id: 'error', role: 'alert' } });
const rulesList = h('div', { className: 'rules', attrs: { id: 'rules', role: 'list', 'aria-label': 'Cleaning rules' } });
const filterSelect = h('select', { className: 'select', attrs: { id: 'filter', 'aria-label': 'Examples of' } });
const prevButton = h('button', { className: 'button secondary', text: '← Previous', attrs: { id: 'prev', type: 'button' } });
const nextButton = h('button', { className: 'button secondary', text: 'Next →', attrs: { id: 'next', type: 'button' } });
const pageText = h('span', { className: 'status', attrs: { id: 'page' } });
const examplesBar = h('div', { className: 'toolbar' }, h('label', { className: 'field-label', text: 'Examples of', attrs: { for: 'filter' } }), filterSelect, prevButton, pageText, nextButton);
const examplesList = h('div', { className: 'examples', attrs: { id: 'examples' } });
const examplesPane = h('section', { className: 'examples-pane', attrs: { 'aria-label': 'Before and after examples' } }, examplesBar, examplesList);
const rulesPane = h('section', { className: 'rules-pane', attrs: { 'aria-label': 'Rules' } }, rulesList);
app.append(header, result, errorBox, h('div', { className: 'clean-body' }, rulesPane, examplesPane));
// The examples bar sticks right under the header, whatever height the header has.
new ResizeObserver(() => {
  document.documentElement.style.setProperty('--clean-header-height', `${header.offsetHeight}px`);
  document.documentElement.style.setProperty('--clean-bar-height', `${examplesBar.offsetHeight}px`);
}).observe(header);

function setComputing(on: boolean): void {
  computing = on;
  document.body.dataset.computing = String(on);
  updateApply();
}

function updateApply(): void {
  const anyOn = states.some((s) => s.on && usable(s));
  applyButton.disabled = computing || applying || !anyOn;
  applyButton.title = computing ? 'Wait for the preview' : !anyOn ? 'Switch on at least one rule' : 'Apply the rules that are on to the dataset';
}

function usable(s: CleanRuleState): boolean {
  const p = s.options.patterns;
  return s.id !== 'patterns' || (Array.isArray(p) && p.length > 0);
}

// ---- rules ----------------------------------------------------------------------------
function countText(info: CleanRuleInfo, s: CleanRuleState): string {
  const c = summary?.rules.find((r) => r.rule === info.id);
  if (!usable(s)) return 'add a pattern';
  if (!c) return computing ? '…' : '';
  const n = info.kind === 'transform' ? `${fmt(c.changed)} changed` : `${fmt(c.removed)} removed`;
  return c.measured ? `${n} if on` : n;
}

function optionControl(info: CleanRuleInfo, s: CleanRuleState, o: CleanOptionInfo): HTMLElement {
  const id = `opt-${info.id}-${o.name}`;
  if (o.type === 'boolean') {
    const box = h('input', { attrs: { type: 'checkbox', id, title: o.description } });
    box.checked = s.options[o.name] === true;
    box.addEventListener('change', () => {
      s.options[o.name] = box.checked;
      changed();
    });
    return h('label', { className: 'option', attrs: { for: id, title: o.description } }, box, ` ${o.label}`);
  }
  if (o.type === 'number') {
    const input = h('input', { className: 'number', attrs: { type: 'number', id, step: 'any', title: o.description } });
    if (o.min !== undefined) input.min = String(o.min);
    if (o.max !== undefined) input.max = String(o.max);
    input.value = String(s.options[o.name]);
    input.addEventListener('change', () => {
      const v = Number(input.value);
      const bad = input.value.trim() === '' || !Number.isFinite(v) || (o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max);
      input.setAttribute('aria-invalid', String(bad));
      if (bad) return showError(`${info.label}: ${o.label} must be a number${o.min !== undefined ? ` from ${o.min}` : ''}${o.max !== undefined ? ` to ${o.max}` : ''}.`);
      s.options[o.name] = v;
      changed();
    });
    return h('label', { className: 'option', attrs: { for: id, title: o.description } }, `${o.label} `, input);
  }
  return patternEditor(info, s, o);
}

function patternEditor(info: CleanRuleInfo, s: CleanRuleState, o: CleanOptionInfo): HTMLElement {
  const list = (s.options[o.name] as string[] | undefined) ?? [];
  const chips = h('ul', { className: 'patterns', attrs: { 'aria-label': 'Your patterns' } });
  list.forEach((p, i) => {
    const remove = h('button', { className: 'icon-button', text: '×', attrs: { type: 'button', title: `Remove /${p}/`, 'aria-label': `Remove pattern ${p}` } });
    remove.addEventListener('click', () => {
      s.options[o.name] = list.filter((_, j) => j !== i);
      if (!usable(s)) s.on = false;
      renderRules();
      changed();
    });
    chips.append(h('li', { className: 'pattern' }, h('code', { text: `/${p}/` }), remove));
  });
  const input = h('input', { className: 'text', attrs: { type: 'text', id: `pattern-input`, placeholder: 'e.g. \\b[SDF]\\d{1,2}\\b', 'aria-label': 'New pattern (JavaScript regular expression)', spellcheck: 'false' } });
  const add = h('button', { className: 'button secondary', text: 'Add pattern', attrs: { id: 'add-pattern', type: 'button' } });
  const problem = h('div', { className: 'message error', attrs: { id: 'pattern-error', role: 'alert' } });
  const addPattern = () => {
    const p = input.value;
    const why = patternProblem(p, s.options.ignoreCase === true);
    if (why) {
      problem.textContent = `Invalid pattern /${p}/: ${why}.`;
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    if (list.includes(p)) {
      problem.textContent = `/${p}/ is already in the list.`;
      return;
    }
    s.options[o.name] = [...list, p];
    s.on = true;
    renderRules();
    changed();
    document.getElementById('pattern-input')?.focus();
  };
  add.addEventListener('click', addPattern);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') addPattern();
  });
  input.addEventListener('input', () => {
    problem.textContent = '';
    input.removeAttribute('aria-invalid');
  });
  return h('div', { className: 'pattern-editor' }, chips, h('div', { className: 'toolbar' }, input, add), problem);
}

function renderRules(): void {
  if (!session) return;
  rulesList.replaceChildren();
  for (const info of session.rules) {
    const s = states.find((x) => x.id === info.id);
    if (!s) continue;
    const box = h('input', { attrs: { type: 'checkbox', id: `rule-${info.id}`, 'aria-describedby': `desc-${info.id}` } });
    box.checked = s.on;
    box.disabled = !usable(s);
    box.addEventListener('change', () => {
      s.on = box.checked;
      row.classList.toggle('off', !s.on);
      changed();
    });
    const count = h('span', { className: 'count', text: countText(info, s), attrs: { 'data-count': info.id } });
    const head = h('div', { className: 'rule-head' }, box, h('label', { className: 'rule-label', text: info.label, attrs: { for: `rule-${info.id}` } }), count);
    const desc = h('div', { className: 'rule-desc', text: info.description, attrs: { id: `desc-${info.id}` } });
    const options = h('div', { className: 'rule-options' }, ...info.options.map((o) => optionControl(info, s, o)));
    const row = h('div', { className: `rule${s.on ? '' : ' off'}`, attrs: { role: 'listitem', 'data-rule': info.id } }, head, desc, options);
    rulesList.append(row);
  }
  updateApply();
}

function renderCounts(): void {
  if (!session) return;
  for (const info of session.rules) {
    const s = states.find((x) => x.id === info.id);
    const el = rulesList.querySelector<HTMLElement>(`[data-count="${info.id}"]`);
    if (s && el) el.textContent = countText(info, s);
  }
  renderFilter();
  const on = summary ? `${fmt(summary.input)} records → ${fmt(summary.output)}` : '';
  status.textContent = computing ? `Computing the preview…${on ? ` (was ${on})` : ''}` : on;
}

// ---- examples -------------------------------------------------------------------------
function renderFilter(): void {
  if (!session) return;
  const options: [string, string][] = [['', `All rules${summary ? ` (${fmt(summary.rules.reduce((n, r) => n + r.examples, 0))})` : ''}`]];
  for (const info of session.rules) {
    const c = summary?.rules.find((r) => r.rule === info.id);
    if (c) options.push([info.id, `${info.label} (${fmt(c.examples)})${c.measured ? ' · off' : ''}`]);
  }
  if (!options.some(([v]) => v === filter)) filter = '';
  filterSelect.replaceChildren(...options.map(([value, text]) => h('option', { text, attrs: { value } })));
  filterSelect.value = filter;
}

function labelOf(rule: string): string {
  return session?.rules.find((r) => r.id === rule)?.label ?? rule;
}

function exampleCard(e: ExampleView): HTMLElement {
  const measured = summary?.rules.find((r) => r.rule === e.rule)?.measured === true;
  const head = h('div', { className: 'example-head' }, h('span', { className: 'badge', text: labelOf(e.rule) }), h('span', { className: 'status', text: e.id }));
  if (measured) head.append(h('span', { className: 'status', text: '(rule off: not applied)' }));
  const before = h('div', { className: 'text before', attrs: { 'aria-label': 'Before' } });
  before.append(renderMarked(e.before, [...removedMarks(e.removed), ...gapMarks(e.beforeGaps)]));
  const card = h('article', { className: 'example', attrs: { 'data-rule': e.rule, 'data-id': e.id } }, head, h('div', { className: 'side-label', text: 'Before' }), before);
  if (e.after === null) {
    card.classList.add('dropped');
    card.append(h('div', { className: 'side-label', text: 'After' }), h('div', { className: 'text after removed-record', text: `Record removed: ${e.reason ?? ''}` }));
  } else {
    const after = h('div', { className: 'text after', attrs: { 'aria-label': 'After' } });
    after.append(renderMarked(e.after, [...insertedMarks(e.inserted), ...gapMarks(e.afterGaps)]));
    card.append(h('div', { className: 'side-label', text: 'After' }), after);
  }
  return card;
}

/** Set by the user's paging and filtering: the new page is shown from its first example. */
let toListStart = false;

/** Scrolls up to the first example when the list starts above the view (under the sticky bars). */
function showListStart(): void {
  const bars = header.offsetHeight + examplesBar.offsetHeight;
  if (examplesList.getBoundingClientRect().top < bars) examplesList.scrollIntoView({ block: 'start' });
}

async function loadExamples(): Promise<void> {
  if (!summary) return;
  const id = summary.previewId;
  const res = await client.request('examples', { previewId: id, rule: filter || null, offset: page * PAGE, limit: PAGE });
  if (!summary || res.previewId !== summary.previewId) return;
  const pages = Math.max(1, Math.ceil(res.total / PAGE));
  if (page >= pages && res.total > 0) {
    page = pages - 1;
    return loadExamples();
  }
  examplesList.replaceChildren(...res.items.map(exampleCard));
  if (res.total === 0) examplesList.append(h('p', { className: 'empty', text: 'No text changed: nothing to show.' }));
  const from = res.total ? page * PAGE + 1 : 0;
  pageText.textContent = res.total ? `${fmt(from)}–${fmt(Math.min(res.total, (page + 1) * PAGE))} of ${fmt(res.total)}` : 'no examples';
  prevButton.disabled = page === 0;
  nextButton.disabled = (page + 1) * PAGE >= res.total;
  if (toListStart) showListStart();
  toListStart = false;
  saveUi();
}

// ---- preview and apply ------------------------------------------------------------------
function showError(text: string): void {
  errorBox.textContent = text;
}

function changed(): void {
  saveUi();
  showError('');
  setComputing(true);
  renderCounts();
  if (debounce) clearTimeout(debounce);
  debounce = setTimeout(() => void runPreview(), DEBOUNCE_MS);
}

async function runPreview(): Promise<void> {
  const seq = ++previewSeq;
  setComputing(true);
  renderCounts();
  try {
    const res = await client.request('preview', { rules: states }, 300_000);
    if (seq !== previewSeq) return;
    if (res.status === 'cancelled') return;
    summary = res.summary;
    setComputing(false);
    renderCounts();
    await loadExamples();
  } catch (e) {
    if (seq !== previewSeq) return;
    setComputing(false);
    renderCounts();
    showError(`The preview failed: ${(e as Error).message}`);
  } finally {
    if (seq === previewSeq) document.body.dataset.ready = 'true';
  }
}

function showResult(r: ApplyResult): void {
  if (r.status !== 'applied') return;
  const dropped = r.removedBy.length ? r.removedBy.map((x) => `${labelOf(x.rule)} ${fmt(x.removed)}`).join(', ') : 'none';
  result.replaceChildren(
    h('strong', { text: 'Applied. ' }),
    `${fmt(r.input)} records → ${fmt(r.output)}; ${fmt(r.changed)} texts changed; records removed: ${dropped}.`,
  );
  result.hidden = false;
}

applyButton.addEventListener('click', async () => {
  if (applyButton.disabled) return;
  applying = true;
  updateApply();
  showError('');
  try {
    const r = await client.request('apply', { rules: states }, 3_600_000);
    showResult(r);
    if (r.status === 'applied') {
      session = await client.request('getSession', {});
      title.textContent = `Clean "${session.dataset}" · ${fmt(session.records)} records`;
      changed();
    }
  } catch (e) {
    showError(`Apply failed: ${(e as Error).message}`);
  } finally {
    applying = false;
    updateApply();
  }
});

filterSelect.addEventListener('change', () => {
  filter = filterSelect.value;
  page = 0;
  toListStart = true;
  void loadExamples();
});
prevButton.addEventListener('click', () => {
  if (page > 0) {
    page--;
    toListStart = true;
    void loadExamples();
  }
});
nextButton.addEventListener('click', () => {
  page++;
  toListStart = true;
  void loadExamples();
});

client.on('datasetChanged', () => changed());

async function start(): Promise<void> {
  client.ready();
  try {
    session = await client.request('getSession', {});
  } catch (e) {
    showError(`Could not load the dataset: ${(e as Error).message}`);
    document.body.dataset.ready = 'true';
    return;
  }
  title.textContent = `Clean "${session.dataset}" · ${fmt(session.records)} records`;
  const saved = savedUi.rules ?? [];
  states = session.initial.map((s) => {
    const kept = saved.find((x) => x.id === s.id);
    return kept ? { id: s.id, on: kept.on, options: { ...s.options, ...kept.options } } : { ...s, options: { ...s.options } };
  });
  renderRules();
  renderFilter();
  await runPreview();
}

void start();
