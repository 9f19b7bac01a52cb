/** Cluster map webview: scatter, legend, search, hover text, neighbours, lasso/box labelling (and clearing). */
import type { ColourMode, MapPoints, MapProtocol, Neighbour } from '../../src/protocol/map';
import { createClient, loadUiState, saveUiState } from '../common/vscode-api';
import { ce, h, onThemeChange } from '../common/dom';
import { Scatter, type InteractionMode } from './scatter';
import { cssColour, fillColours } from './colours';
import { andMasks, clusterMask, legendEntries, maskOf, mergeMatches, valuesFor } from './map-state';
import type { View } from './view-transform';

interface MapUiState {
  view: View;
  colourBy: ColourMode;
  runId: string;
  focusClusters: number[];
  query: string;
  mode: InteractionMode;
}

const client = createClient<MapProtocol>();
const saved = loadUiState<MapUiState>() ?? {};
const ui: MapUiState = {
  view: saved.view ?? { cx: 0, cy: 0, scale: 1 },
  colourBy: saved.colourBy ?? 'cluster',
  runId: saved.runId ?? '',
  focusClusters: saved.focusClusters ?? [],
  query: saved.query ?? '',
  mode: saved.mode ?? 'pan',
};
let points: MapPoints | undefined;
let matches: Int32Array | undefined;
/** The last search's counts: text matches and semantic matches. */
let matchCounts: { text: number; semantic: number } | undefined;
let selection: Int32Array = new Int32Array(0);
const focus = new Set<number>(ui.focusClusters);

function persist(): void {
  ui.focusClusters = [...focus];
  saveUiState(ui);
}

// ---- layout ---------------------------------------------------------------------------
const app = document.getElementById('app') ?? document.body;
const search = ce('vscode-textfield', { id: 'search', placeholder: 'Search: words or meaning (/)', 'aria-label': 'Search texts by words or meaning' }) as HTMLElement & { value: string };
const colourSelect = h('select', { className: 'select', attrs: { id: 'colour-by', 'aria-label': 'Colour by' } });
const modeButtons = new Map<InteractionMode, HTMLElement>();
const modeBar = h('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Pointer mode' } });
for (const [mode, label, key] of [['pan', 'Pan', 'P'], ['lasso', 'Lasso', 'L'], ['box', 'Box', 'B']] as const) {
  const b = ce('vscode-button', { id: `mode-${mode}`, secondary: '', title: `${label} (${key})` }, label);
  b.addEventListener('click', () => setMode(mode));
  modeButtons.set(mode, b);
  modeBar.append(b);
}
const fitButton = ce('vscode-button', { id: 'fit', secondary: '', title: 'Fit all points (0)' }, 'Fit');
const status = h('span', { className: 'status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
const toolbar = h('div', { className: 'toolbar' }, search, colourSelect, modeBar, fitButton, status);

const labelInput = ce('vscode-textfield', { id: 'label-input', placeholder: 'Label for selection', 'aria-label': 'Label for the selection' }) as HTMLElement & { value: string };
const labelButton = ce('vscode-button', { id: 'label-selection', disabled: '' }, 'Label selection');
const clearLabelButton = ce('vscode-button', {
  id: 'clear-label', secondary: '', disabled: '',
  title: 'Take back the labels given on the map to the selection: the records fall back to their own labels from the data',
}, 'Clear label');
const annotateButton = ce('vscode-button', { id: 'annotate-selection', secondary: '', disabled: '' }, 'Annotate selection');
const clearButton = ce('vscode-button', { id: 'clear-selection', secondary: '', disabled: '', title: 'Deselect (Esc)' }, 'Deselect');
const selectionCount = h('span', { className: 'status', attrs: { id: 'selection-count', 'aria-live': 'polite' }, text: 'No selection' });
const selectionHint = h('span', { className: 'hint', text: '— select points with Lasso (L) or Box (B) to label them or send them to annotation' });
const selectionBar = h('div', { className: 'toolbar selection-bar' }, selectionCount, selectionHint, labelInput, labelButton, clearLabelButton, annotateButton, clearButton);

const plot = h('div', { className: 'plot', attrs: { id: 'plot' } });
const tooltip = h('div', { className: 'tooltip', attrs: { id: 'tooltip', role: 'tooltip' } });
tooltip.hidden = true;
const legend = h('ul', { className: 'legend', attrs: { id: 'legend', 'aria-label': 'Clusters' } });
const neighbours = h('div', { className: 'neighbours', attrs: { id: 'neighbours', 'aria-live': 'polite' } });
neighbours.append(h('p', { className: 'muted', text: 'Click a point to list its nearest neighbours in the embedding space.' }));
const legendTitle = h('h2', { text: 'Clusters' });
const caption = h('p', { className: 'muted caption', attrs: { id: 'caption' } });
const searchTitle = h('h2', { text: 'Closest in meaning' });
const searchResults = h('div', { className: 'search-results', attrs: { id: 'search-results', 'aria-live': 'polite' } });
searchTitle.hidden = true;
searchResults.hidden = true;
const side = h('aside', { className: 'side' }, legendTitle, caption, legend, searchTitle, searchResults, h('h2', { text: 'Nearest neighbours' }), neighbours);
const main = h('div', { className: 'map-main' }, plot, side);
app.append(toolbar, selectionBar, main, tooltip);

const scatter = new Scatter(plot, {
  onHover: (i, x, y) => showTooltip(i, x, y),
  onClick: (i) => void showNeighbours(i),
  onSelect: (indices) => setSelection(indices),
  onViewChange: (v) => {
    ui.view = v;
    persist();
  },
});

// ---- behaviour ------------------------------------------------------------------------
function setMode(mode: InteractionMode): void {
  ui.mode = mode;
  scatter.mode = mode;
  for (const [m, b] of modeButtons) {
    if (m === mode) b.removeAttribute('secondary');
    else b.setAttribute('secondary', '');
    b.setAttribute('aria-pressed', String(m === mode));
  }
  persist();
}

function updateStatus(): void {
  if (!points) {
    status.textContent = 'Loading…';
    return;
  }
  const n = points.coords.length >> 1;
  const parts = [`${n.toLocaleString('en-US')} points`, `${points.clusters.length} clusters`];
  if (matchCounts) {
    parts.push(`${matchCounts.text.toLocaleString('en-US')} text match${matchCounts.text === 1 ? '' : 'es'}`);
    if (matchCounts.semantic) parts.push(`${matchCounts.semantic} similar`);
  }
  status.textContent = parts.join(' · ');
  status.dataset.matches = matches ? String(matches.length) : '';
  status.dataset.textMatches = matchCounts ? String(matchCounts.text) : '';
}

function recolour(): void {
  if (!points) return;
  const n = points.coords.length >> 1;
  const values = valuesFor(points, ui.colourBy, ui.runId);
  const highlight = andMasks(clusterMask(values, focus), matches ? maskOf(n, matches) : undefined);
  scatter.setColours(fillColours(new Uint8Array(4 * n), values, highlight));
  const emphasis = selection.length > 0 ? maskOf(n, selection) : matches ? maskOf(n, matches) : undefined;
  scatter.setEmphasis(emphasis);
  updateStatus();
}

const LEGEND_TITLES: Record<ColourMode, string> = { cluster: 'Clusters', label: 'Labels', annotation: 'Annotation status', run: 'Run clusters' };

function renderLegend(): void {
  legend.textContent = '';
  if (!points) return;
  legendTitle.textContent = LEGEND_TITLES[ui.colourBy];
  const run = points.runs?.find((r) => r.id === ui.runId);
  caption.textContent = ui.colourBy === 'cluster' ? points.caption ?? '' : ui.colourBy === 'run' && run ? `clusters with ${run.name}` : '';
  caption.hidden = !caption.textContent;
  legend.setAttribute('aria-label', LEGEND_TITLES[ui.colourBy]);
  for (const c of legendEntries(points, ui.colourBy, ui.runId)) {
    const button = h('button', { className: 'legend-item', attrs: { type: 'button', 'aria-pressed': String(focus.has(c.value)), 'data-cluster': String(c.value) } });
    const swatch = h('span', { className: 'swatch' });
    swatch.style.background = cssColour(c.value);
    button.append(swatch);
    if (c.tag) button.append(h('span', { className: 'legend-id', text: c.tag }));
    button.append(h('span', { className: 'legend-keywords', text: c.text }), h('span', { className: 'legend-size', text: c.size.toLocaleString('en-US') }));
    button.title = `Highlight ${c.tag ? `${c.tag} ` : ''}${c.text} (${c.size})`;
    button.addEventListener('click', () => {
      if (focus.has(c.value)) focus.delete(c.value);
      else focus.add(c.value);
      button.setAttribute('aria-pressed', String(focus.has(c.value)));
      persist();
      recolour();
    });
    legend.append(h('li', {}, button));
  }
}

function showTooltip(i: number, x: number, y: number): void {
  if (!points || i < 0) {
    tooltip.hidden = true;
    return;
  }
  tooltip.textContent = '';
  const cluster = points.clusterLabels[i];
  tooltip.append(
    h('div', { className: 'tooltip-head', text: `${points.ids[i]} · ${cluster < 0 ? 'outlier' : `cluster ${cluster}`}` }),
    h('div', { className: 'tooltip-text', text: points.texts[i] ?? '' }),
  );
  tooltip.dataset.index = String(i);
  tooltip.hidden = false;
  const pad = 14;
  const w = tooltip.offsetWidth, hh = tooltip.offsetHeight;
  const left = x + pad + w > window.innerWidth ? x - pad - w : x + pad;
  const top = y + pad + hh > window.innerHeight ? y - pad - hh : y + pad;
  tooltip.style.left = `${Math.max(0, left)}px`;
  tooltip.style.top = `${Math.max(0, top)}px`;
}

async function showNeighbours(i: number): Promise<void> {
  if (!points) return;
  scatter.mark(i);
  neighbours.textContent = '';
  neighbours.append(h('p', { className: 'muted', text: `Neighbours of ${points.ids[i]}…` }));
  try {
    const r = await client.request('neighbours', { index: i, k: 10 });
    renderNeighbours(r.index, r.neighbours);
  } catch (e) {
    neighbours.textContent = '';
    neighbours.append(h('p', { className: 'error', text: e instanceof Error ? e.message : String(e) }));
  }
}

/** A clickable list of records with their similarity; a click centres the record and lists its neighbours. */
function recordList(list: readonly { index: number; similarity: number; text?: string }[]): HTMLElement {
  const ol = h('ol', { className: 'neighbour-list' });
  for (const n of list) {
    const b = h('button', { className: 'neighbour', attrs: { type: 'button', 'data-index': String(n.index) } },
      h('span', { className: 'similarity', text: n.similarity.toFixed(2) }), h('span', { className: 'neighbour-text', text: n.text ?? points?.texts[n.index] ?? '' }));
    b.addEventListener('click', () => {
      scatter.mark(n.index, true);
      void showNeighbours(n.index);
    });
    ol.append(h('li', {}, b));
  }
  return ol;
}

function renderNeighbours(index: number, list: Neighbour[]): void {
  if (!points) return;
  neighbours.textContent = '';
  neighbours.append(h('p', { className: 'neighbour-source', text: points.texts[index] ?? points.ids[index] }), recordList(list));
}

function renderSearchResults(semantic: readonly { index: number; similarity: number }[]): void {
  searchResults.textContent = '';
  const show = semantic.length > 0;
  searchTitle.hidden = !show;
  searchResults.hidden = !show;
  if (show) searchResults.append(recordList(semantic.slice(0, 10)));
}

function setSelection(indices: Int32Array): void {
  selection = indices;
  const n = indices.length;
  selectionCount.textContent = n === 0 ? 'No selection' : `${n.toLocaleString('en-US')} selected`;
  selectionCount.dataset.count = String(n);
  for (const b of [labelButton, clearLabelButton, annotateButton, clearButton]) {
    if (n === 0) b.setAttribute('disabled', '');
    else b.removeAttribute('disabled');
  }
  // The label field and the actions show once there is something to act on.
  selectionHint.hidden = n > 0;
  for (const el of [labelInput, labelButton, clearLabelButton, annotateButton, clearButton]) el.hidden = n === 0;
  recolour();
}

let searchSeq = 0;
async function runSearch(query: string): Promise<void> {
  ui.query = query;
  persist();
  const seq = ++searchSeq;
  if (!query.trim()) {
    matches = undefined;
    matchCounts = undefined;
    renderSearchResults([]);
    recolour();
    return;
  }
  try {
    const r = await client.request('search', { query });
    if (seq !== searchSeq) return;
    matches = mergeMatches(r.indices, r.semantic);
    matchCounts = { text: r.indices.length, semantic: r.semantic?.length ?? 0 };
    renderSearchResults(r.semantic ?? []);
  } catch {
    if (seq !== searchSeq) return;
    matches = new Int32Array(0);
    matchCounts = { text: 0, semantic: 0 };
    renderSearchResults([]);
  }
  recolour();
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void runSearch(search.value ?? ''), 150);
});
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    clearTimeout(searchTimer);
    void runSearch(search.value ?? '');
  }
});
/** Colour modes: cluster, label (when the data has labels), annotation status, and one per run clustering. */
function renderColourOptions(): void {
  if (!points) return;
  colourSelect.textContent = '';
  colourSelect.append(h('option', { text: 'Colour: cluster', attrs: { value: 'cluster' } }));
  if (points.labels) colourSelect.append(h('option', { text: 'Colour: label', attrs: { value: 'label' } }));
  colourSelect.append(h('option', { text: 'Colour: annotation status', attrs: { value: 'annotation' } }));
  for (const r of points.runs ?? []) colourSelect.append(h('option', { text: `Colour: clusters with ${r.name}`, attrs: { value: `run:${r.id}` } }));
  const current = ui.colourBy === 'run' ? `run:${ui.runId}` : ui.colourBy;
  const values = [...colourSelect.querySelectorAll('option')].map((o) => o.value);
  if (!values.includes(current)) {
    ui.colourBy = 'cluster';
    ui.runId = '';
  }
  colourSelect.value = values.includes(current) ? current : 'cluster';
}

colourSelect.addEventListener('change', () => {
  const v = colourSelect.value;
  if (v.startsWith('run:')) {
    ui.colourBy = 'run';
    ui.runId = v.slice(4);
  } else {
    ui.colourBy = v as ColourMode;
    ui.runId = '';
  }
  focus.clear();
  persist();
  renderLegend();
  recolour();
});
fitButton.addEventListener('click', () => scatter.fit());
labelButton.addEventListener('click', () => {
  const label = (labelInput.value ?? '').trim();
  if (!label || selection.length === 0) {
    labelInput.focus();
    return;
  }
  client.command('labelRecords', { indices: Array.from(selection), label });
  // The selection stays, so "Clear label" takes the labels back.
  selectionCount.textContent = `Labelled ${selection.length.toLocaleString('en-US')} as “${label}” — Clear label takes it back`;
});
clearLabelButton.addEventListener('click', () => void clearLabels());

/** Takes back the map labels of the selection; the host answers with the count and makes the map refetch. */
async function clearLabels(): Promise<void> {
  if (selection.length === 0) return;
  const n = selection.length;
  clearLabelButton.setAttribute('disabled', '');
  try {
    const { cleared } = await client.request('clearLabels', { indices: Array.from(selection) });
    selectionCount.textContent = cleared > 0
      ? `Cleared the map labels of ${cleared.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} selected`
      : `None of the ${n.toLocaleString('en-US')} selected has a label given on the map`;
  } catch (e) {
    selectionCount.textContent = `The labels were not cleared: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    if (selection.length > 0) clearLabelButton.removeAttribute('disabled');
  }
}
annotateButton.addEventListener('click', () => {
  if (selection.length > 0) client.command('annotateSelection', { indices: Array.from(selection) });
});
clearButton.addEventListener('click', () => setSelection(new Int32Array(0)));

document.addEventListener('keydown', (e) => {
  const t = e.composedPath()[0];
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const key = e.key.toLowerCase();
  if (key === 'l') setMode('lasso');
  else if (key === 'b') setMode('box');
  else if (key === 'p') setMode('pan');
  else if (key === 'escape') setSelection(new Int32Array(0));
  else if (key === '/') {
    e.preventDefault();
    search.focus();
  } else return;
});

async function load(keepView: boolean): Promise<void> {
  updateStatus();
  try {
    points = await client.request('getPoints', {}, 120_000);
  } catch (e) {
    status.textContent = `Could not load the map: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  const hasView = keepView && saved.view !== undefined;
  scatter.setData(points.coords, hasView ? ui.view : undefined);
  if (!hasView) ui.view = scatter.currentView;
  renderColourOptions();
  renderLegend();
  if (selection.some((i) => i >= (points?.coords.length ?? 0) >> 1)) selection = new Int32Array(0);
  if (ui.query) await runSearch(ui.query);
  else recolour();
  if (pendingFocus >= 0) {
    focusRecord(pendingFocus);
    pendingFocus = -1;
  }
  document.body.dataset.ready = 'true';
}

client.on('dataChanged', () => void load(true));
client.on('annotationsChanged', ({ annotated }) => {
  if (!points) return;
  points.annotated = annotated;
  recolour();
});
let pendingFocus = -1;
function focusRecord(index: number): void {
  if (!points) {
    pendingFocus = index;
    return;
  }
  if (index < 0 || index >= points.coords.length >> 1) return;
  scatter.mark(index, true);
  void showNeighbours(index);
}
client.on('focusRecord', ({ index }) => focusRecord(index));
onThemeChange(() => scatter.requestDraw());

search.value = ui.query;
setMode(ui.mode);
setSelection(new Int32Array(0));
client.ready();
void load(true);

// Test hook: lets the browser tests find a point's screen position.
(window as unknown as { __map: unknown }).__map = { scatter, selection: () => selection, points: () => points };
