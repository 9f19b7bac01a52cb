/**
 * Cluster map webview: scatter, cluster names on the map, legend, filters, search, hover text,
 * neighbours, lasso/box labelling (and clearing), a table of the selected or filtered points.
 * The side panel has four tabs: the legend, the filters, the clicked point's neighbours, the
 * search results. Only UI state is persisted (view, colouring, focus, query, mode, label colours,
 * tab, filters, table); the points are refetched.
 */
import type { ColourMode, MapPoints, MapProtocol, Neighbour } from '../../src/protocol/map';
import { createClient, loadUiState, saveUiState } from '../common/vscode-api';
import { h, onThemeChange } from '../common/dom';
import { Scatter, isValidView, type InteractionMode } from './scatter';
import { fillColours, fillShapes } from './colours';
import { assignSlots, slotsByValue, slotsOf, type SlotTable } from './category-slots';
import { andMasks, clusterMask, legendEntries, maskOf, mergeMatches, valuesFor } from './map-state';
import { SideTabs } from './side-tabs';
import { createSelectionBar, createToolbar } from './map-bars';
import { boundsOf, fitView, toScreen, type Bounds, type View } from './view-transform';
import { nameAnchors } from './cluster-name-labels';
import { ClusterNameLayer } from './cluster-name-layer';
import { applyFilterAlpha, fillNumericColours, type Scheme } from './field-colours';
import { renderLegendItems, renderNumericLegend } from './legend-view';
import { showPointTooltip } from './tooltip-view';
import { recordList, renderSearchResults, SEARCH_HINT } from './record-lists';
import { colourOptions, colourValue, keptChoice, parseColourValue, type ColourChoice } from './colour-options';
import { activeFilterCount, filterMask, filtersFrom, indicesOf, keepPassing, type FilterState } from './filters';
import { FiltersPanel } from './filters-panel';
import { SelectionTable } from './selection-table';
import type { TableSort } from './table-rows';

type SideKey = 'legend' | 'filters' | 'neighbours' | 'search';

interface MapUiState {
  /** Undefined until the map has been fitted to a real (non-zero) canvas size. */
  view?: View;
  colourBy: ColourMode;
  runId: string;
  focusClusters: number[];
  query: string;
  mode: InteractionMode;
  /** Label name → colour slot: a label keeps its colour when others are added or grow. */
  labelSlots: SlotTable;
  sideTab: SideKey;
  /** The field coloured by (colourBy 'field'). */
  colourField: string;
  /** Category value → colour slot, per field (stable like the labels'). */
  fieldSlots: Record<string, SlotTable>;
  filters: FilterState;
  showNames: boolean;
  tableOpen: boolean;
  tableSort?: TableSort;
}

const client = createClient<MapProtocol>();
const saved = loadUiState<MapUiState>() ?? {};
const SIDE_KEYS: readonly SideKey[] = ['legend', 'filters', 'neighbours', 'search'];
const savedSort = saved.tableSort;
const ui: MapUiState = {
  view: isValidView(saved.view) ? saved.view : undefined,
  colourBy: saved.colourBy ?? 'cluster',
  runId: saved.runId ?? '',
  focusClusters: saved.focusClusters ?? [],
  query: saved.query ?? '',
  mode: saved.mode ?? 'pan',
  labelSlots: assignSlots([], typeof saved.labelSlots === 'object' && saved.labelSlots !== null ? saved.labelSlots : {}),
  sideTab: saved.sideTab && SIDE_KEYS.includes(saved.sideTab) ? saved.sideTab : 'legend',
  colourField: typeof saved.colourField === 'string' ? saved.colourField : '',
  fieldSlots: typeof saved.fieldSlots === 'object' && saved.fieldSlots !== null ? saved.fieldSlots : {},
  filters: filtersFrom(saved.filters),
  showNames: saved.showNames !== false,
  tableOpen: saved.tableOpen === true,
  ...(savedSort && typeof savedSort.key === 'string' && (savedSort.dir === 'asc' || savedSort.dir === 'desc') ? { tableSort: { key: savedSort.key, dir: savedSort.dir } } : {}),
};
let points: MapPoints | undefined;
let matches: Int32Array | undefined;
/** The last search's counts: text matches and semantic matches. */
let matchCounts: { text: number; semantic: number } | undefined;
let selection: Int32Array = new Int32Array(0);
/** Bounds of the layout (the fitted view's scale sizes the cluster names). */
let pointBounds: Bounds | undefined;
/** 1 = the point passes the filters; undefined = no filter. */
let filter: Uint8Array | undefined;
const focus = new Set<number>(ui.focusClusters);

function persist(): void {
  ui.focusClusters = [...focus];
  saveUiState(ui);
}

// ---- layout ---------------------------------------------------------------------------
const app = document.getElementById('app') ?? document.body;
const { element: toolbar, search, colourSelect, modeButtons, fitButton, namesButton, tableButton, status } = createToolbar((mode) => setMode(mode));
const {
  element: selectionBar, labelInput, labelButton, clearLabelButton, annotateButton, clearButton, selectionCount, selectionHint,
} = createSelectionBar();

const plot = h('div', { className: 'plot', attrs: { id: 'plot' } });
const tooltip = h('div', { className: 'tooltip', attrs: { id: 'tooltip', role: 'tooltip' } });
tooltip.hidden = true;
const legend = h('ul', { className: 'legend', attrs: { id: 'legend', 'aria-label': 'Clusters' } });
const neighbours = h('div', { className: 'neighbours', attrs: { id: 'neighbours', 'aria-live': 'polite' } });
const NEIGHBOURS_HINT = 'Click a point (or press Enter on the map) to list its nearest neighbours in the embedding space; they are ringed on the map.';
neighbours.append(h('p', { className: 'muted', text: NEIGHBOURS_HINT }));
const caption = h('p', { className: 'muted caption', attrs: { id: 'caption' } });
const searchSummary = h('p', { className: 'muted', attrs: { id: 'search-summary' }, text: SEARCH_HINT });
const textMatchesTitle = h('h2', { text: 'Containing the words' });
const textMatches = h('div', { className: 'search-results', attrs: { id: 'text-matches' } });
const searchTitle = h('h2', { text: 'Closest in meaning' });
const searchResults = h('div', { className: 'search-results', attrs: { id: 'search-results' } });
for (const el of [textMatchesTitle, textMatches, searchTitle, searchResults]) el.hidden = true;
const searchEls = { summary: searchSummary, textTitle: textMatchesTitle, text: textMatches, semanticTitle: searchTitle, semantic: searchResults };
const filtersPanel = new FiltersPanel(ui.filters, (state) => {
  ui.filters = state;
  persist();
  applyFilters();
});
const sideTabs = new SideTabs<SideKey>([
  { key: 'legend', label: 'Clusters', panel: h('div', {}, caption, legend) },
  { key: 'filters', label: 'Filters', panel: filtersPanel.element },
  { key: 'neighbours', label: 'Neighbours', panel: h('div', {}, neighbours) },
  { key: 'search', label: 'Search', panel: h('div', { attrs: { 'aria-live': 'polite' } }, searchSummary, searchTitle, searchResults, textMatchesTitle, textMatches) },
], 'Side panel', (key) => {
  if (ui.sideTab === key) return;
  ui.sideTab = key;
  persist();
});
sideTabs.select(ui.sideTab);
const main = h('div', { className: 'map-main' }, plot, sideTabs.element);
const table = new SelectionTable({
  onOpen: (i) => openRow(i),
  onSortChange: (sort) => {
    ui.tableSort = sort;
    persist();
  },
}, ui.tableSort);
app.append(toolbar, selectionBar, main, table.element, tooltip);
const names = new ClusterNameLayer();

const scatter = new Scatter(plot, {
  onHover: (i, x, y) => showPointTooltip(tooltip, points, i, x, y, ui.colourBy === 'label' ? (v) => slotOf(v) : undefined),
  onClick: (i) => void showNeighbours(i),
  onSelect: (indices) => setSelection(indices),
  onViewChange: (v) => {
    ui.view = v;
    persist();
  },
  onDrawOverlay: (ctx, view, w, hh) => {
    names.fitScale = pointBounds ? fitView(pointBounds, w, hh).scale : 0;
    names.draw(ctx, (x, y) => toScreen(view, w, hh, x, y), view.scale, w, hh);
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

function setStatus(text: string): void {
  status.textContent = text;
  status.title = text;
}

function updateStatus(): void {
  if (!points) {
    setStatus('Loading…');
    return;
  }
  const n = points.coords.length >> 1;
  const parts = [`${n.toLocaleString('en-US')} points`, `${points.clusters.length} clusters`];
  if (matchCounts) {
    parts.push(`${matchCounts.text.toLocaleString('en-US')} text match${matchCounts.text === 1 ? '' : 'es'}`);
    if (matchCounts.semantic) parts.push(`${matchCounts.semantic} similar`);
  }
  setStatus(parts.join(' · '));
  status.dataset.matches = matches ? String(matches.length) : '';
  status.dataset.textMatches = matchCounts ? String(matchCounts.text) : '';
}

/** Colour slot per value of the current colouring: labels and field values by name (stable), the rest by value. */
function slotTable(): Int32Array | undefined {
  if (ui.colourBy === 'field') {
    const f = points?.fields?.find((x) => x.name === ui.colourField);
    return f?.kind === 'category' ? slotsByValue(f.names, ui.fieldSlots[f.name] ?? {}) : undefined;
  }
  if (ui.colourBy !== 'label' || !points?.labelNames) return undefined;
  return slotsByValue(points.labelNames, ui.labelSlots);
}

/** The numeric field coloured by, if any. */
function numericColourField() {
  const f = ui.colourBy === 'field' ? points?.fields?.find((x) => x.name === ui.colourField) : undefined;
  return f?.kind === 'number' ? f : undefined;
}

/** The editor background: light and high-contrast light themes, else dark. */
const colourScheme = (): Scheme => (document.body.classList.contains('vscode-light') || document.body.classList.contains('vscode-high-contrast-light') ? 'light' : 'dark');

/** The run id or field name of the current colouring. */
const colourKey = () => (ui.colourBy === 'field' ? ui.colourField : ui.runId);

/** The colour slot of one value of the current colouring. */
function slotOf(value: number, table = slotTable()): number {
  return slotsOf([value], table)[0];
}

let lastRgba: Uint8Array = new Uint8Array(0);
function recolour(): void {
  if (!points) return;
  const n = points.coords.length >> 1;
  const values = valuesFor(points, ui.colourBy, colourKey());
  const slots = slotsOf(values, slotTable());
  const numeric = numericColourField();
  const highlight = andMasks(numeric ? undefined : clusterMask(values, focus), matches ? maskOf(n, matches) : undefined);
  lastRgba = numeric ? fillNumericColours(new Uint8Array(4 * n), numeric.values, highlight, colourScheme()) : fillColours(new Uint8Array(4 * n), slots, highlight);
  applyFilterAlpha(lastRgba, filter, ui.filters.hideOthers);
  scatter.setSelectable(filter);
  scatter.setColours(lastRgba);
  scatter.setShapes(fillShapes(new Uint8Array(n), numeric ? new Int32Array(n) : slots));
  const emphasis = selection.length > 0 ? maskOf(n, selection) : matches ? maskOf(n, matches) : undefined;
  scatter.setEmphasis(emphasis);
  updateStatus();
}

const LEGEND_TITLES: Record<ColourMode, string> = { cluster: 'Clusters', label: 'Labels', annotation: 'Annotation status', run: 'Run clusters', coherence: 'Coherence (LLM-judged)', field: 'Field' };

function renderLegend(): void {
  legend.textContent = '';
  if (!points) return;
  sideTabs.setLabel('legend', ui.colourBy === 'field' ? ui.colourField : LEGEND_TITLES[ui.colourBy]);
  const run = points.runs?.find((r) => r.id === ui.runId);
  caption.textContent = ui.colourBy === 'cluster' ? points.caption ?? '' : ui.colourBy === 'run' && run ? `clusters with ${run.name}` : ui.colourBy === 'field' ? `coloured by ${ui.colourField}` : '';
  caption.hidden = !caption.textContent;
  legend.setAttribute('aria-label', LEGEND_TITLES[ui.colourBy]);
  const numeric = numericColourField();
  if (numeric) {
    renderNumericLegend(legend, numeric, colourScheme());
    sideTabs.setBadge('legend', '');
    return;
  }
  const entries = legendEntries(points, ui.colourBy, colourKey());
  sideTabs.setBadge('legend', String(entries.filter((c) => c.value >= 0).length));
  const table = slotTable();
  renderLegendItems(legend, entries, {
    focus,
    slotOf: (v) => slotOf(v, table),
    onToggle: (value, button) => {
      if (focus.has(value)) focus.delete(value);
      else focus.add(value);
      button.setAttribute('aria-pressed', String(focus.has(value)));
      persist();
      recolour();
    },
  });
}

let neighbourSeq = 0;
async function showNeighbours(i: number): Promise<void> {
  if (!points) return;
  const seq = ++neighbourSeq;
  scatter.mark(i);
  scatter.setRings([]);
  sideTabs.select('neighbours');
  sideTabs.setBadge('neighbours', '');
  neighbours.textContent = '';
  neighbours.append(h('p', { className: 'muted', text: `Neighbours of ${points.ids[i]}…` }));
  try {
    const r = await client.request('neighbours', { index: i, k: 10 });
    if (seq !== neighbourSeq) return;
    renderNeighbours(r.index, r.neighbours);
  } catch (e) {
    if (seq !== neighbourSeq) return;
    neighbours.textContent = '';
    neighbours.append(h('p', { className: 'error', text: e instanceof Error ? e.message : String(e) }));
  }
}

/** Forgets the clicked point: no ring, no neighbour list. */
function clearNeighbours(): void {
  neighbourSeq++;
  scatter.mark(-1);
  scatter.setRings([]);
  sideTabs.setBadge('neighbours', '');
  neighbours.textContent = '';
  neighbours.append(h('p', { className: 'muted', text: NEIGHBOURS_HINT }));
}

/** A record picked in a list: centre it and list its neighbours. */
function pickRecord(index: number): void {
  scatter.mark(index, true);
  void showNeighbours(index);
}
const textOf = (index: number) => points?.texts[index] ?? '';

function renderNeighbours(index: number, list: Neighbour[]): void {
  if (!points) return;
  neighbours.textContent = '';
  neighbours.append(h('p', { className: 'neighbour-source', text: points.texts[index] ?? points.ids[index] }), recordList(list, textOf, pickRecord));
  scatter.setRings(list.map((n) => n.index));
  sideTabs.setBadge('neighbours', String(list.length));
}

function showSearchResults(query: string, text: ArrayLike<number>, semantic: readonly { index: number; similarity: number }[]): void {
  const total = renderSearchResults(searchEls, query, text, semantic, textOf, pickRecord);
  sideTabs.setBadge('search', query.trim() ? total.toLocaleString('en-US') : '');
}

function setSelection(indices: Int32Array): void {
  // Only points that pass the filters can be selected.
  selection = keepPassing(indices, filter);
  const n = selection.length;
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
  renderTable();
}

/** The table lists the selection, else the points that pass the filters (all without filters). */
function renderTable(): void {
  table.element.hidden = !ui.tableOpen;
  setPressed(tableButton, ui.tableOpen);
  if (!points || !ui.tableOpen) return;
  const n = points.coords.length >> 1;
  const rows = selection.length > 0 ? selection : indicesOf(n, filter);
  const count = rows.length.toLocaleString('en-US');
  const caption = selection.length > 0 ? `${count} selected point${rows.length === 1 ? '' : 's'}` : filter ? `${count} of ${n.toLocaleString('en-US')} points pass the filters` : `All ${count} points`;
  table.setData(points, rows, caption);
}

/** A table row: open the record beside the map, centre and ring it here, list its neighbours. */
function openRow(index: number): void {
  client.command('openRecord', { index });
  scatter.mark(index, true);
  void showNeighbours(index);
}

/** The filters changed (or the points): mask, names, selection, counts, colours, table. */
function applyFilters(): void {
  if (!points) return;
  const n = points.coords.length >> 1;
  filter = filterMask(points, ui.filters);
  names.setAnchors(nameAnchors(points.coords, points.clusterLabels, points.clusters, filter));
  const active = activeFilterCount(ui.filters);
  sideTabs.setBadge('filters', active ? String(active) : '');
  filtersPanel.setCounts(filter ? filter.reduce((s, v) => s + v, 0) : n, n);
  // The selection keeps only the points that pass (its message stays when nothing is dropped).
  const kept = keepPassing(selection, filter);
  if (kept.length !== selection.length) setSelection(kept);
  else {
    recolour();
    renderTable();
  }
}

function setPressed(button: HTMLElement, on: boolean): void {
  if (on) button.removeAttribute('secondary');
  else button.setAttribute('secondary', '');
  button.setAttribute('aria-pressed', String(on));
}

function toggleNames(): void {
  ui.showNames = !ui.showNames;
  names.enabled = ui.showNames;
  setPressed(namesButton, ui.showNames);
  persist();
  scatter.requestDraw();
}

function toggleTable(): void {
  ui.tableOpen = !ui.tableOpen;
  persist();
  renderTable();
}

let searchSeq = 0;
/** Runs a search; `showResults` switches the side panel to the Search tab when the answer comes. */
async function runSearch(query: string, showResults = true): Promise<void> {
  ui.query = query;
  persist();
  const seq = ++searchSeq;
  if (!query.trim()) {
    matches = undefined;
    matchCounts = undefined;
    showSearchResults('', [], []);
    recolour();
    return;
  }
  try {
    const r = await client.request('search', { query });
    if (seq !== searchSeq) return;
    matches = mergeMatches(r.indices, r.semantic);
    matchCounts = { text: r.indices.length, semantic: r.semantic?.length ?? 0 };
    showSearchResults(query, r.indices, r.semantic ?? []);
  } catch (e) {
    if (seq !== searchSeq) return;
    matches = new Int32Array(0);
    matchCounts = { text: 0, semantic: 0 };
    showSearchResults(query, [], []);
    searchSummary.textContent = `The search failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (showResults) sideTabs.select('search');
  recolour();
}

/** Empties the search field and takes the search highlight off the map. */
function clearSearch(): void {
  clearTimeout(searchTimer);
  search.value = '';
  void runSearch('', false);
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
  } else if (e.key === 'Escape') {
    e.stopPropagation();
    clearSearch();
  }
});
/** Colour modes: cluster, label (when the data has labels), annotation status, and one per run clustering. */
function renderColourOptions(): void {
  if (!points) return;
  colourSelect.textContent = '';
  for (const o of colourOptions(points)) colourSelect.append(h('option', { text: o.text, attrs: { value: o.value } }));
  setColour(keptChoice(points, { mode: ui.colourBy, key: colourKey() }));
  colourSelect.value = colourValue({ mode: ui.colourBy, key: colourKey() });
}

function setColour(c: ColourChoice): void {
  ui.colourBy = c.mode;
  ui.runId = c.mode === 'run' ? c.key : '';
  ui.colourField = c.mode === 'field' ? c.key : '';
}

colourSelect.addEventListener('change', () => {
  setColour(parseColourValue(colourSelect.value));
  focus.clear();
  persist();
  renderLegend();
  recolour();
});
fitButton.addEventListener('click', () => scatter.fit());
namesButton.addEventListener('click', () => toggleNames());
tableButton.addEventListener('click', () => toggleTable());
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
  else if (key === 'n') toggleNames();
  else if (key === 't') toggleTable();
  else if (key === 'escape') {
    // Escape clears everything transient: the selection, the search and the neighbour rings.
    setSelection(new Int32Array(0));
    if (ui.query || matches) clearSearch();
    clearNeighbours();
  }
  else if (key === '/') {
    e.preventDefault();
    search.focus();
  } else return;
});

/** Same layout extent: a refetch (labels changed) keeps the view; a new layout is fitted. */
function sameExtent(a: Float32Array, b: Float32Array): boolean {
  const p = boundsOf(a), q = boundsOf(b);
  return a.length === b.length && p.minX === q.minX && p.minY === q.minY && p.maxX === q.maxX && p.maxY === q.maxY;
}

async function load(): Promise<void> {
  updateStatus();
  const previous = points;
  let next: MapPoints;
  try {
    next = await client.request('getPoints', {}, 120_000);
  } catch (e) {
    setStatus(`Could not load the map: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  points = next;
  pointBounds = boundsOf(next.coords);
  const keepView = ui.view !== undefined && (!previous || sameExtent(previous.coords, next.coords));
  if (!keepView) ui.view = undefined;
  // Without a view the scatter fits, now or, while hidden (0×0), once it has a size again;
  // the fitted view comes back through onViewChange and is persisted then.
  scatter.setData(next.coords, keepView ? ui.view : undefined);
  if (next.labelNames) {
    const slots = assignSlots(next.labelNames, ui.labelSlots);
    if (Object.keys(slots).length !== Object.keys(ui.labelSlots).length) {
      ui.labelSlots = slots;
      persist();
    }
  }
  for (const f of next.fields ?? []) if (f.kind === 'category') ui.fieldSlots[f.name] = assignSlots(f.names, ui.fieldSlots[f.name] ?? {});
  renderColourOptions();
  renderLegend();
  if (selection.some((i) => i >= (points?.coords.length ?? 0) >> 1)) selection = new Int32Array(0);
  filtersPanel.render(next);
  applyFilters();
  if (ui.query) await runSearch(ui.query);
  else recolour();
  if (pendingFocus >= 0) {
    focusRecord(pendingFocus);
    pendingFocus = -1;
  }
  document.body.dataset.ready = 'true';
}

client.on('dataChanged', () => void load());
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
onThemeChange(() => {
  // A numeric field's scale depends on the background.
  if (numericColourField()) {
    renderLegend();
    recolour();
  }
  scatter.requestDraw();
});

search.value = ui.query;
names.enabled = ui.showNames;
setPressed(namesButton, ui.showNames);
setMode(ui.mode);
setSelection(new Int32Array(0));
client.ready();
void load();

// Test hook: lets the browser tests find a point's screen position and its drawn colour.
(window as unknown as { __map: unknown }).__map = {
  scatter, selection: () => selection, points: () => points, filter: () => filter, table,
  names: () => names.placed,
  colourOf: (i: number) => Array.from(lastRgba.slice(4 * i, 4 * i + 3)),
  alphaOf: (i: number) => lastRgba[4 * i + 3],
};
