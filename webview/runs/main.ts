/**
 * Run comparison webview: runs table (editable names, tags, notes; metrics before → after),
 * a collapsible config diff, metric bars, curves (smoothing, per-run normalisation, colour by
 * a config key), two maps, export. "Group by" a config key draws each group as its mean curve
 * with a min–max band (its runs on demand) and puts a collapsible group row (count, mean ± sd)
 * above its runs in the table and in the export.
 */
import type { MapPoints } from '../../src/protocol/map';
import type { ExportFormat, RunSummary, RunsProtocol } from '../../src/protocol/runs';
import { isBetter, metricInfo, formatMetricValue } from '../../src/protocol/metric-names';
import { configLabel, configValue } from '../../src/protocol/config-labels';
import { mapPanes } from './map-panes';
import { createClient, loadUiState, saveUiState } from '../common/vscode-api';
import { ce, h } from '../common/dom';
import { Scatter } from '../map/scatter';
import { cssColour, fillColours } from '../map/colours';
import { buildRunsTable, configDiffRows, differingConfigKeys, configKeys, formatDelta, formatDuration, presentMetrics, toCsv, toMarkdown } from './table';
import { colourGroups, curvePath, curvesExtent, normalisePoints, scalesDiffer, smoothPoints } from './curves';
import { groupId, groupRuns, type RunGroup } from './groups';
import { drawGroupCurves, groupRowView } from './group-view';
import { nameEditor, notesEditor, tagsEditor, type SaveMeta } from './run-editors';
import { trainingNotesView } from './training-notes';

interface RunsUiState {
  chosen: string[];
  curve: string;
  smoothing: number;
  normalise: boolean;
  colourBy: string;
  groupBy: string;
  /** Group ids folded in the table (for the current group key). */
  collapsedGroups: string[];
  showMembers: boolean;
  showAllConfig: boolean;
  diffOpen: boolean;
}

const SVG = 'http://www.w3.org/2000/svg';
const client = createClient<RunsProtocol>();
const saved: Partial<RunsUiState> = loadUiState<RunsUiState>() ?? {};
let runs: RunSummary[] = [];
let chosen: string[] = saved.chosen ?? [];
let curveName = saved.curve ?? 'loss';
let smoothing = typeof saved.smoothing === 'number' ? saved.smoothing : 0;
let normalise = saved.normalise ?? false;
let colourBy = saved.colourBy ?? '';
let groupBy = saved.groupBy ?? '';
const collapsedGroups = new Set<string>(saved.collapsedGroups ?? []);
let showMembers = saved.showMembers ?? false;
let showAllConfig = saved.showAllConfig ?? false;
const notesOpen = new Set<string>();

const app = document.getElementById('app') ?? document.body;
const csvButton = ce('vscode-button', { id: 'export-csv', secondary: '' }, 'Export CSV');
const mdButton = ce('vscode-button', { id: 'export-md', secondary: '' }, 'Export Markdown');
const status = h('span', { className: 'status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
const groupSelect = h('select', { className: 'select', attrs: { id: 'group-by', 'aria-label': 'Group runs by a setting' } });
const toolbar = h('div', { className: 'toolbar' }, h('label', { className: 'inline-check' }, 'Group by ', groupSelect), csvButton, mdButton, status);
const tableWrap = h('div', { className: 'table-wrap', attrs: { id: 'runs-table' } });
const diffSummary = h('summary', { attrs: { id: 'config-diff-summary' } });
const showAllBox = h('input', { attrs: { type: 'checkbox', id: 'config-show-all' } });
showAllBox.checked = showAllConfig;
const diffBody = h('div', { className: 'table-wrap', attrs: { id: 'config-diff-body' } });
const diffSection = h('details', { className: 'config-diff', attrs: { id: 'config-diff' } },
  diffSummary,
  h('label', { className: 'inline-check' }, showAllBox, ' Show all settings'),
  diffBody);
(diffSection as HTMLDetailsElement).open = saved.diffOpen ?? true;
const bars = h('div', { className: 'metric-bars', attrs: { id: 'metric-bars' } });
const curveSelect = h('select', { className: 'select', attrs: { id: 'curve', 'aria-label': 'Curve' } });
const smoothInput = h('input', { attrs: { type: 'range', id: 'smoothing', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing (exponential moving average)' } });
smoothInput.value = String(smoothing);
const smoothValue = h('output', { className: 'num', attrs: { id: 'smoothing-value', for: 'smoothing' } });
const normaliseBox = h('input', { attrs: { type: 'checkbox', id: 'normalise' } });
normaliseBox.checked = normalise;
const colourSelect = h('select', { className: 'select', attrs: { id: 'colour-by', 'aria-label': 'Colour runs by' } });
const membersBox = h('input', { attrs: { type: 'checkbox', id: 'show-members' } });
membersBox.checked = showMembers;
const membersLabel = h('label', { className: 'inline-check', attrs: { id: 'show-members-label' } }, membersBox, ' Show the runs of each group');
const curveHint = h('p', { className: 'muted hint', attrs: { id: 'curve-hint' } });
const curvesBox = h('div', { className: 'curves', attrs: { id: 'curves' } });
const mapsBox = h('div', { className: 'maps', attrs: { id: 'maps' } });
app.append(
  toolbar,
  h('h2', { text: 'Runs' }), tableWrap,
  diffSection,
  h('div', { className: 'runs-grid' },
    h('section', {},
      h('h2', { text: 'Metrics — before → after training', attrs: { id: 'metrics-heading' } }),
      h('p', { className: 'muted hint', text: 'Measured on each run’s held-out evaluation data. Bar: after training; tick: the base encoder before training.' }),
      bars),
    h('section', {},
      h('div', { className: 'section-head' }, h('h2', { text: 'Curves' }), curveSelect),
      h('div', { className: 'curve-controls' },
        h('label', { className: 'inline-check' }, 'Smoothing ', smoothInput, smoothValue),
        h('label', { className: 'inline-check' }, normaliseBox, ' Normalise per run'),
        h('label', { className: 'inline-check' }, 'Colour by ', colourSelect),
        membersLabel),
      curveHint,
      curvesBox)),
  h('h2', { text: 'Cluster maps' }), mapsBox,
);

function persist(): void {
  saveUiState<RunsUiState>({
    chosen, curve: curveName, smoothing, normalise, colourBy, groupBy, collapsedGroups: [...collapsedGroups], showMembers,
    showAllConfig, diffOpen: (diffSection as HTMLDetailsElement).open,
  });
}

/** The runs' groups by the group key (none when not grouping). */
function currentGroups(): RunGroup[] {
  return groupBy ? groupRuns(runs, groupBy) : [];
}

/** The colour index of each run: its group when grouping, its value when colouring by a config key, else its position. */
function colourIndex(): { index: number[]; labels?: string[] } {
  if (groupBy) {
    const groups = currentGroups();
    const slot = new Map(groups.map((g, i) => [g.id, i]));
    return { index: runs.map((r) => slot.get(groupId(r, groupBy)) ?? 0), labels: groups.map((g) => g.label) };
  }
  if (!colourBy) return { index: runs.map((_, k) => k) };
  const g = colourGroups(runs.map((r) => r.config[colourBy]));
  return { index: g.index, labels: g.labels.map((l) => configValue(colourBy, l === '—' ? undefined : runs.find((r) => String(r.config[colourBy]) === l)?.config[colourBy])) };
}

function runColour(k: number): string {
  return cssColour(colourIndex().index[k] ?? k);
}

function setStatus(text: string): void {
  status.textContent = text;
}

/** Saves a run's name, tags or notes through the host and updates the run in place. */
function saverFor(run: RunSummary): SaveMeta {
  return async (patch) => {
    const r = await client.request('setRunMeta', { runId: run.id, ...patch });
    Object.assign(run, r);
    setStatus(patch.name !== undefined ? `Renamed to “${r.name}”` : patch.tags !== undefined ? 'Tags saved' : 'Notes saved');
    if (patch.notes !== undefined) notesOpen.delete(run.id);
    renderAll(false);
  };
}

function renderTable(): void {
  tableWrap.textContent = '';
  if (runs.length === 0) {
    tableWrap.append(h('p', { className: 'muted', text: 'No runs yet. Run Fine-tune… or Cluster to create one.' }));
    return;
  }
  const metrics = presentMetrics(runs);
  const best = new Map(metrics.map((m) => {
    const values = runs.map((r) => r.metrics[m]).filter((v): v is number => typeof v === 'number');
    return [m, values.reduce((a, b) => (isBetter(m, b, a) ? b : a), values[0])];
  }));
  const table = h('table', { className: 'runs' });
  const head = h('tr');
  const th = (text: string, className = '', title = '') => h('th', { className, text, attrs: { scope: 'col', ...(title ? { title } : {}) } });
  head.append(th('Map', '', 'Tick one run (before/after) or two runs to compare their maps'), th('Run'), th('Tags'), th('Status'), th('Duration', 'num'));
  for (const m of metrics) {
    const info = metricInfo(m);
    head.append(th(info.short, 'num', `${info.label}: ${info.description} (${info.direction} is better; after training, change from before)`));
  }
  head.append(th('Notes'));
  table.append(h('thead', {}, head));
  const body = h('tbody');
  const rowsOf = (r: RunSummary, k: number, member: boolean) => runRows(r, k, metrics, best, member);
  if (groupBy) {
    currentGroups().forEach((g, slot) => {
      body.append(groupRowView(g, slot, metrics, runs, !collapsedGroups.has(g.id), () => {
        if (collapsedGroups.has(g.id)) collapsedGroups.delete(g.id);
        else collapsedGroups.add(g.id);
        persist();
        renderTable();
      }));
      if (!collapsedGroups.has(g.id)) for (const k of g.members) body.append(...rowsOf(runs[k], k, true));
    });
  } else runs.forEach((r, k) => body.append(...rowsOf(r, k, false)));
  table.append(body);
  tableWrap.append(table);
}

/** A run's row (and its notes editor under it when open); `member` indents it under its group. */
function runRows(r: RunSummary, k: number, metrics: readonly string[], best: ReadonlyMap<string, number>, member: boolean): HTMLElement[] {
  const out: HTMLElement[] = [];
  const onError = (m: string) => setStatus(m);
  const tr = h('tr', { className: member ? 'group-member' : '', attrs: { 'data-run': r.id } });
  const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `Show ${r.name} as a map` } });
  box.checked = chosen.includes(r.id);
  box.addEventListener('change', () => {
    chosen = box.checked ? [...chosen.filter((c) => c !== r.id), r.id].slice(-2) : chosen.filter((c) => c !== r.id);
    persist();
    renderTable();
    void renderMaps();
  });
  const name = h('th', { className: 'run-name', attrs: { scope: 'row' } });
  const sw = h('span', { className: 'swatch' });
  sw.style.background = runColour(k);
  const open = h('button', { className: 'link open-run', text: '↗', attrs: { type: 'button', title: `Open the run’s summary (${r.id})`, 'aria-label': `Open run ${r.id}` } });
  open.addEventListener('click', () => client.command('openRun', { runId: r.id }));
  // swatch, name and ↗ on one line: the name (a button, so an atomic box) wraps inside its own column
  name.append(h('div', { className: 'run-title' }, sw, nameEditor(r, saverFor(r), onError), open), h('div', { className: 'run-id muted', text: r.id }));
  if (r.evalOverlap)
    name.append(h('div', { className: 'split-note warning', text: `Not held out: ${r.evalOverlap.toLocaleString('en-US')} evaluation examples are training examples` }));
  if (r.trainingNotes?.length) name.append(...trainingNotesView(r.trainingNotes));
  tr.append(h('td', {}, box), name, h('td', { className: 'tags-cell' }, tagsEditor(r, saverFor(r), onError)), h('td', { className: `status-${r.status}`, text: r.status }), h('td', { className: 'num', text: formatDuration(r.durationMs) }));
  for (const m of metrics) {
    const v = r.metrics[m];
    const b = r.before?.[m];
    const td = h('td', { className: `num${v !== undefined && v === best.get(m) && runs.length > 1 ? ' best' : ''}`, text: v === undefined ? '' : formatMetricValue(m, v) });
    const delta = formatDelta(v, b);
    if (delta) {
      const good = delta.startsWith('±') ? '' : (delta.startsWith('+') === (metricInfo(m).direction === 'higher') ? 'up' : 'down');
      td.append(h('span', { className: `delta ${good}`, text: ` ${delta}` }));
      td.title = `${metricInfo(m).label}: before training ${formatMetricValue(m, b)} → after ${formatMetricValue(m, v)}`;
    }
    if (m === 'llmCoherence' && v !== undefined) {
      td.append(h('span', { className: 'muted llm-judged', text: ' LLM-judged' }));
      td.title = `LLM-judged by ${r.coherenceJudgedBy ?? 'a language model'}: a model's opinion, not a measurement`;
    }
    tr.append(td);
  }
  const notesButton = h('button', {
    className: `link notes-toggle${r.notes ? ' has-notes' : ''}`,
    text: r.notes ? `${r.notes.split('\n')[0].slice(0, 40)}${r.notes.length > 40 || r.notes.includes('\n') ? '…' : ''}` : 'Add notes',
    attrs: { type: 'button', 'aria-expanded': String(notesOpen.has(r.id)), title: r.notes || 'Add notes to this run' },
  });
  notesButton.addEventListener('click', () => {
    if (notesOpen.has(r.id)) notesOpen.delete(r.id);
    else notesOpen.add(r.id);
    renderTable();
  });
  tr.append(h('td', { className: 'notes-cell' }, notesButton));
  out.push(tr);
  if (notesOpen.has(r.id)) {
    const cols = 5 + metrics.length + 1;
    const close = () => {
      notesOpen.delete(r.id);
      renderTable();
    };
    out.push(h('tr', { className: 'notes-row', attrs: { 'data-notes-for': r.id } }, h('td', { attrs: { colspan: String(cols) } }, notesEditor(r, saverFor(r), close, onError))));
  }
  return out;
}

function renderDiff(): void {
  diffBody.textContent = '';
  const differing = differingConfigKeys(runs).length;
  const total = configKeys(runs).length;
  diffSummary.textContent = runs.length < 2
    ? `Config (${total} settings)`
    : `Config — ${differing} of ${total} settings differ`;
  const rows = configDiffRows(runs, showAllConfig || runs.length < 2);
  if (rows.length === 0) {
    diffBody.append(h('p', { className: 'muted', text: runs.length ? 'Every setting is the same in these runs.' : 'No runs.' }));
    return;
  }
  const table = h('table', { className: 'runs config-diff-table' });
  const head = h('tr', {}, h('th', { text: 'Setting', attrs: { scope: 'col' } }));
  runs.forEach((r, k) => {
    const sw = h('span', { className: 'swatch' });
    sw.style.background = runColour(k);
    head.append(h('th', { className: 'run-col', attrs: { scope: 'col', title: `${r.name} (${r.id})` } }, sw, r.name));
  });
  table.append(h('thead', {}, head));
  const body = h('tbody');
  for (const row of rows) {
    const tr = h('tr', { className: row.differs ? 'differs' : 'same', attrs: { 'data-key': row.key } }, h('th', { text: row.label, attrs: { scope: 'row', title: row.key } }));
    for (const v of row.values) tr.append(h('td', { className: row.differs ? 'diff' : 'same', text: v, attrs: { title: v } }));
    body.append(tr);
  }
  table.append(body);
  diffBody.append(table);
}

function renderBars(): void {
  bars.textContent = '';
  for (const m of presentMetrics(runs)) {
    const info = metricInfo(m);
    const values = runs.map((r) => r.metrics[m]);
    const max = Math.max(1e-9, ...values.map((v) => Math.abs(v ?? 0)), ...runs.map((r) => Math.abs(r.before?.[m] ?? 0)));
    const group = h('div', { className: 'bar-group', attrs: { 'data-metric': m } }, h('div', { className: 'bar-title', text: info.label, attrs: { title: `${info.description} (${info.direction} is better)` } }));
    // grouped: the runs in their groups' order
    for (const k of groupBy ? currentGroups().flatMap((g) => g.members) : runs.map((_, i) => i)) {
      const r = runs[k];
      const v = r.metrics[m];
      const b = r.before?.[m];
      const fill = h('div', { className: 'bar-fill' });
      fill.style.width = `${v === undefined ? 0 : (Math.abs(v) / max) * 100}%`;
      fill.style.background = runColour(k);
      const track = h('div', { className: 'bar-track' }, fill);
      if (b !== undefined) {
        const tick = h('div', { className: 'bar-before', attrs: { title: `before training: ${formatMetricValue(m, b)}` } });
        tick.style.left = `${Math.min(100, (Math.abs(b) / max) * 100)}%`;
        track.append(tick);
      }
      group.append(h('div', { className: 'bar-row', attrs: { title: `${r.name}: ${b !== undefined ? `${formatMetricValue(m, b)} → ` : ''}${formatMetricValue(m, v)}` } },
        h('span', { className: 'bar-label', text: r.name }), track, h('span', { className: 'bar-value num', text: formatMetricValue(m, v) })));
    }
    bars.append(group);
  }
}

function renderColourSelect(): void {
  const keys = configKeys(runs);
  if (colourBy && !keys.includes(colourBy)) colourBy = '';
  colourSelect.textContent = '';
  colourSelect.append(h('option', { text: 'Run', attrs: { value: '' } }));
  for (const k of keys) colourSelect.append(h('option', { text: configLabel(k), attrs: { value: k } }));
  colourSelect.value = colourBy;
}

function renderGroupSelect(): void {
  const keys = configKeys(runs);
  if (groupBy && !keys.includes(groupBy)) groupBy = '';
  groupSelect.textContent = '';
  groupSelect.append(h('option', { text: 'None', attrs: { value: '' } }));
  for (const k of keys) groupSelect.append(h('option', { text: configLabel(k), attrs: { value: k } }));
  groupSelect.value = groupBy;
  // A group has one colour: "Colour by" waits until the runs are ungrouped.
  (colourSelect as HTMLSelectElement).disabled = groupBy !== '';
  colourSelect.title = groupBy ? 'Runs are coloured by their group while grouped' : '';
  membersLabel.style.display = groupBy ? '' : 'none';
}

function renderCurves(): void {
  const names = [...new Set(runs.flatMap((r) => r.curves.map((c) => c.name)))];
  curveSelect.textContent = '';
  for (const n of names) curveSelect.append(h('option', { text: curveLabel(n), attrs: { value: n } }));
  // The user's pick when the runs have that curve, else the loss, else the first. The pick is kept:
  // a live run's first lines may hold only its "before" evaluation, and its loss comes later.
  const shown = names.includes(curveName) ? curveName : names.includes('loss') ? 'loss' : (names[0] ?? curveName);
  curveSelect.value = shown;
  smoothValue.textContent = smoothing.toFixed(2);
  curvesBox.textContent = '';
  const series = runs.map((r, k) => ({ k, run: r, curve: r.curves.find((c) => c.name === shown) })).filter((s) => s.curve && s.curve.points.length > 0);
  if (series.length === 0) {
    curveHint.textContent = '';
    curvesBox.append(h('p', { className: 'muted', text: 'No curves recorded.' }));
    return;
  }
  const differ = scalesDiffer(series.map((s) => s.curve!));
  curveHint.textContent = differ && !normalise ? 'The runs’ scales differ a lot: “Normalise per run” shows each on its own 0–1 range.' : normalise ? 'Each run is scaled to its own minimum (0) and maximum (1).' : '';
  const raw = series.map((s) => ({ ...s.curve!, points: normalise ? normalisePoints(s.curve!.points) : s.curve!.points }));
  const smooth = raw.map((c) => ({ ...c, points: smoothPoints(c.points, smoothing) }));
  const box = { width: 560, height: 220, pad: 44 };
  const extent = curvesExtent(raw);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${curveLabel(shown)} per step for ${series.length} runs${normalise ? ', normalised per run' : ''}`);
  svg.classList.add('curve-chart');
  const text = (x: number, y: number, s: string, anchor: string) => {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x)); t.setAttribute('y', String(y)); t.setAttribute('text-anchor', anchor);
    t.textContent = s;
    svg.append(t);
  };
  const axis = document.createElementNS(SVG, 'path');
  axis.setAttribute('d', `M${box.pad} ${box.pad} V${box.height - box.pad} H${box.width - box.pad}`);
  axis.classList.add('axis');
  svg.append(axis);
  text(box.pad - 4, box.pad + 4, normalise ? 'max' : extent.maxY.toPrecision(3), 'end');
  text(box.pad - 4, box.height - box.pad, normalise ? 'min' : extent.minY.toPrecision(3), 'end');
  text(box.pad, box.height - 8, String(extent.minX), 'start');
  text(box.width - box.pad, box.height - 8, `${extent.maxX} steps`, 'end');
  const legend = h('div', { className: 'curve-legend' });
  if (groupBy) {
    drawGroupCurves(svg, currentGroups(), runs, series.map((s, i) => ({ k: s.k, curve: smooth[i] })), extent, box, legend, showMembers);
    curvesBox.append(svg, legend);
    return;
  }
  series.forEach((s, i) => {
    const colour = runColour(s.k);
    if (smoothing > 0) {
      const faint = document.createElementNS(SVG, 'path');
      faint.setAttribute('d', curvePath(raw[i], extent, box));
      faint.classList.add('curve-raw');
      faint.style.stroke = colour;
      svg.append(faint);
    }
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', curvePath(smooth[i], extent, box));
    p.classList.add('curve');
    p.dataset.run = s.run.id;
    p.style.stroke = colour;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = s.run.name;
    p.append(title);
    svg.append(p);
  });
  const groups = colourIndex();
  if (groups.labels) {
    groups.labels.forEach((label, g) => {
      const sw = h('span', { className: 'swatch' });
      sw.style.background = cssColour(g);
      legend.append(h('span', { className: 'curve-legend-item' }, sw, `${configLabel(colourBy)} = ${label}`));
    });
  } else {
    for (const s of series) {
      const sw = h('span', { className: 'swatch' });
      sw.style.background = runColour(s.k);
      legend.append(h('span', { className: 'curve-legend-item', attrs: { title: s.run.name } }, sw, s.run.name));
    }
  }
  curvesBox.append(svg, legend);
}

/** "Training loss", "Spearman correlation (held-out)". */
function curveLabel(name: string): string {
  if (name === 'loss') return metricInfo('loss').label;
  if (name.startsWith('eval ')) return `${metricInfo(name.slice(5)).label} (held-out)`;
  return name;
}

const scatters: Scatter[] = [];
let mapsSeq = 0;
async function renderMaps(): Promise<void> {
  const seq = ++mapsSeq;
  mapsBox.textContent = '';
  scatters.length = 0;
  const ids = chosen.filter((id) => runs.some((r) => r.id === id));
  const usable = ids.filter((id) => runs.find((r) => r.id === id)?.status === 'completed');
  if (usable.length === 0) {
    mapsBox.append(h('p', { className: 'muted', text: ids.length ? 'Only completed runs have a model to draw a map with.' : 'Tick one run (before/after) or two runs in the table to compare their cluster maps.' }));
    return;
  }
  const panes = mapPanes(usable).map(({ runId, stage }) => {
    const run = runs.find((r) => r.id === runId)!;
    const title = stage === 'before' ? `Before: base encoder (${String(run.config.encoder ?? 'builtin')})` : `${usable.length === 1 ? 'After: ' : ''}${run.name}`;
    const plot = h('div', { className: 'plot small' });
    const caption = h('figcaption', { text: `${title} · loading…` });
    const cell = h('figure', { className: 'map-cell', attrs: { 'data-run': runId, 'data-stage': stage } }, h('div', { className: 'map-title', text: title }), plot, caption);
    mapsBox.append(cell);
    const scatter = new Scatter(plot);
    scatters.push(scatter);
    return { runId, stage, cell, caption, scatter };
  });
  // One after the other: each may embed and cluster the dataset in the engine.
  for (const pane of panes) {
    if (seq !== mapsSeq) return;
    try {
      const points: MapPoints = await client.request('getRunMap', { runId: pane.runId, stage: pane.stage }, 300_000);
      if (seq !== mapsSeq) return;
      pane.scatter.setData(points.coords);
      const n = points.coords.length >> 1;
      // A run trained on labels: its training records are drawn faded, the held-out ones score it.
      pane.scatter.setColours(fillColours(new Uint8Array(4 * n), points.clusterLabels, points.heldOut));
      pane.caption.textContent = [`${points.clusters.length} clusters`, `${n.toLocaleString('en-US')} points`, points.caption ?? ''].filter(Boolean).join(' · ');
      const scope = splitNote(points);
      if (scope) pane.cell.append(h('p', { className: scope.warn ? 'split-note warning' : 'split-note muted', text: scope.text }));
      if (points.metricsScope) pane.cell.dataset.scope = points.metricsScope;
      pane.cell.dataset.ready = 'true';
    } catch (e) {
      pane.caption.textContent = '';
      pane.cell.append(h('p', { className: 'error', text: e instanceof Error ? e.message : String(e) }));
    }
  }
}

/** What a run map's label metrics are measured on, said under the map (nothing for a plain map). */
function splitNote(points: MapPoints): { text: string; warn: boolean } | undefined {
  if (points.metricsScope === 'held-out') {
    const held = points.heldOut ? points.heldOut.reduce((a, b) => a + b, 0) : 0;
    return { text: `Measured on the ${held.toLocaleString('en-US')} held-out records; faded points are the records the run trained on.`, warn: false };
  }
  if (points.metricsScope === 'training')
    return { text: 'Not a held-out result: measured on records whose labels the run trained on.', warn: true };
  return undefined;
}

async function exportAs(format: ExportFormat): Promise<void> {
  const table = buildRunsTable(runs, groupBy);
  const content = format === 'csv' ? toCsv(table) : toMarkdown(table);
  try {
    const r = await client.request('saveExport', { format, content }, 300_000);
    setStatus(r.saved ? `Saved ${r.path ?? ''}` : 'Export cancelled.');
  } catch (e) {
    setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

csvButton.addEventListener('click', () => void exportAs('csv'));
mdButton.addEventListener('click', () => void exportAs('markdown'));
curveSelect.addEventListener('change', () => {
  curveName = curveSelect.value;
  persist();
  renderCurves();
});
smoothInput.addEventListener('input', () => {
  smoothing = Math.min(0.99, Math.max(0, Number(smoothInput.value) || 0));
  persist();
  renderCurves();
});
normaliseBox.addEventListener('change', () => {
  normalise = normaliseBox.checked;
  persist();
  renderCurves();
});
colourSelect.addEventListener('change', () => {
  colourBy = colourSelect.value;
  persist();
  renderAll(false);
});
groupSelect.addEventListener('change', () => {
  groupBy = groupSelect.value;
  collapsedGroups.clear();
  persist();
  renderAll(false);
});
membersBox.addEventListener('change', () => {
  showMembers = membersBox.checked;
  persist();
  renderCurves();
});
showAllBox.addEventListener('change', () => {
  showAllConfig = showAllBox.checked;
  persist();
  renderDiff();
});
diffSection.addEventListener('toggle', persist);

function renderAll(withMaps: boolean): void {
  if (!status.textContent || /^\d+ runs?$/.test(status.textContent)) setStatus(`${runs.length} run${runs.length === 1 ? '' : 's'}`);
  renderColourSelect();
  renderGroupSelect();
  renderTable();
  renderDiff();
  renderBars();
  renderCurves();
  if (withMaps) void renderMaps();
}

async function load(): Promise<void> {
  setStatus('Loading…');
  try {
    runs = (await client.request('getRuns', {})).runs;
  } catch (e) {
    setStatus(`Could not load runs: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (chosen.length === 0) chosen = runs.filter((r) => r.status === 'completed').slice(-2).map((r) => r.id);
  setStatus('');
  renderAll(true);
  document.body.dataset.ready = 'true';
}

client.on('runsChanged', () => void load());
/** True while the user types in the table (a name, a tag, notes): live updates then leave the table alone. */
function editingTable(): boolean {
  const a = document.activeElement;
  return a instanceof HTMLTextAreaElement || (a instanceof HTMLInputElement && a.type === 'text' && tableWrap.contains(a));
}

client.on('runUpdated', ({ run }) => {
  const k = runs.findIndex((r) => r.id === run.id);
  if (k >= 0) runs[k] = run;
  else runs.push(run);
  if (editingTable()) {
    renderBars();
    renderCurves();
  } else renderAll(false);
});

client.ready();
void load();
