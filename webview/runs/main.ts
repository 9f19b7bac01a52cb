/** Run comparison webview: table with config diffs, metric bars, overlaid curves, two maps, export. */
import type { MapPoints } from '../../src/protocol/map';
import type { ExportFormat, RunSummary, RunsProtocol } from '../../src/protocol/runs';
import { mapPanes } from './map-panes';
import { METRICS } from '../../src/protocol/runs';
import { createClient, loadUiState, saveUiState } from '../common/vscode-api';
import { ce, h } from '../common/dom';
import { Scatter } from '../map/scatter';
import { cssColour, fillColours } from '../map/colours';
import { buildRunsTable, configKeys, differingConfigKeys, formatDelta, formatDuration, presentMetrics, toCsv, toMarkdown } from './table';
import { curvePath, curvesExtent } from './curves';

interface RunsUiState {
  chosen: string[];
  curve: string;
}

const SVG = 'http://www.w3.org/2000/svg';
const client = createClient<RunsProtocol>();
const saved = loadUiState<RunsUiState>() ?? {};
let runs: RunSummary[] = [];
let chosen: string[] = saved.chosen ?? [];
let curveName = saved.curve ?? 'loss';

const app = document.getElementById('app') ?? document.body;
const csvButton = ce('vscode-button', { id: 'export-csv', secondary: '' }, 'Export CSV');
const mdButton = ce('vscode-button', { id: 'export-md', secondary: '' }, 'Export Markdown');
const status = h('span', { className: 'status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
const toolbar = h('div', { className: 'toolbar' }, csvButton, mdButton, status);
const tableWrap = h('div', { className: 'table-wrap', attrs: { id: 'runs-table' } });
const bars = h('div', { className: 'metric-bars', attrs: { id: 'metric-bars' } });
const curveSelect = h('select', { className: 'select', attrs: { id: 'curve', 'aria-label': 'Curve' } });
const curvesBox = h('div', { className: 'curves', attrs: { id: 'curves' } });
const mapsBox = h('div', { className: 'maps', attrs: { id: 'maps' } });
app.append(
  toolbar,
  h('h2', { text: 'Runs' }), tableWrap,
  h('div', { className: 'runs-grid' },
    h('section', {}, h('h2', { text: 'Metrics (tick: before training)' }), bars),
    h('section', {}, h('div', { className: 'section-head' }, h('h2', { text: 'Curves' }), curveSelect), curvesBox)),
  h('h2', { text: 'Cluster maps' }), mapsBox,
);

function persist(): void {
  saveUiState<RunsUiState>({ chosen, curve: curveName });
}

function runColour(k: number): string {
  return cssColour(k);
}

function renderTable(): void {
  tableWrap.textContent = '';
  if (runs.length === 0) {
    tableWrap.append(h('p', { className: 'muted', text: 'No runs yet. Run Fine-tune… or Cluster to create one.' }));
    return;
  }
  const diff = new Set(differingConfigKeys(runs));
  const keys = configKeys(runs);
  const metrics = presentMetrics(runs);
  const best = new Map(metrics.map((m) => [m, Math.max(...runs.map((r) => r.metrics[m] ?? -Infinity))]));
  const table = h('table', { className: 'runs' });
  const head = h('tr');
  head.append(h('th', { text: 'Map', attrs: { scope: 'col' } }), h('th', { text: 'Run', attrs: { scope: 'col' } }), h('th', { text: 'Status', attrs: { scope: 'col' } }), h('th', { text: 'Duration', attrs: { scope: 'col' } }));
  // differing config first (the point of the comparison), then metrics, then the shared config
  const diffKeys = keys.filter((k) => diff.has(k));
  const sameKeys = keys.filter((k) => !diff.has(k));
  const configHeader = (k: string) => h('th', { className: diff.has(k) ? 'diff' : '', text: k, attrs: { scope: 'col', title: diff.has(k) ? 'Differs between runs' : 'Same in every run' } });
  for (const k of diffKeys) head.append(configHeader(k));
  for (const m of metrics) head.append(h('th', { className: 'num', text: METRICS.find((x) => x.id === m)?.label ?? m, attrs: { scope: 'col' } }));
  for (const k of sameKeys) head.append(configHeader(k));
  table.append(h('thead', {}, head));
  const body = h('tbody');
  runs.forEach((r, k) => {
    const tr = h('tr', { attrs: { 'data-run': r.id } });
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
    const open = h('button', { className: 'link', text: r.name, attrs: { type: 'button', title: 'Open the run' } });
    open.addEventListener('click', () => client.command('openRun', { runId: r.id }));
    name.append(sw, open);
    tr.append(h('td', {}, box), name, h('td', { className: `status-${r.status}`, text: r.status }), h('td', { className: 'num', text: formatDuration(r.durationMs) }));
    const configCell = (key: string) => {
      const v = r.config[key];
      return h('td', { className: diff.has(key) ? 'diff' : 'same', text: v === undefined || v === null ? '' : String(v) });
    };
    for (const key of diffKeys) tr.append(configCell(key));
    for (const m of metrics) {
      const v = r.metrics[m];
      const b = r.before?.[m];
      const td = h('td', { className: `num${v !== undefined && v === best.get(m) && runs.length > 1 ? ' best' : ''}`, text: v === undefined ? '' : v.toFixed(3) });
      const delta = formatDelta(v, b);
      if (delta) {
        td.append(h('span', { className: `delta ${delta.startsWith('+') ? 'up' : delta.startsWith('−') ? 'down' : ''}`, text: ` ${delta}` }));
        td.title = `before training ${b!.toFixed(3)}, after ${v!.toFixed(3)}`;
      }
      tr.append(td);
    }
    for (const key of sameKeys) tr.append(configCell(key));
    body.append(tr);
  });
  table.append(body);
  tableWrap.append(table);
}

function renderBars(): void {
  bars.textContent = '';
  for (const m of presentMetrics(runs)) {
    const values = runs.map((r) => r.metrics[m]);
    const max = Math.max(1e-9, ...values.map((v) => Math.abs(v ?? 0)), ...runs.map((r) => Math.abs(r.before?.[m] ?? 0)));
    const group = h('div', { className: 'bar-group' }, h('div', { className: 'bar-title', text: METRICS.find((x) => x.id === m)?.label ?? m }));
    runs.forEach((r, k) => {
      const v = r.metrics[m];
      const b = r.before?.[m];
      const fill = h('div', { className: 'bar-fill' });
      fill.style.width = `${v === undefined ? 0 : (Math.abs(v) / max) * 100}%`;
      fill.style.background = runColour(k);
      const track = h('div', { className: 'bar-track' }, fill);
      if (b !== undefined) {
        // A tick where the base encoder stood before training.
        const tick = h('div', { className: 'bar-before', attrs: { title: `before training: ${b.toFixed(3)}` } });
        tick.style.left = `${Math.min(100, (Math.abs(b) / max) * 100)}%`;
        track.append(tick);
      }
      group.append(h('div', { className: 'bar-row', attrs: { title: `${r.name}: ${v ?? '—'}${b !== undefined ? ` (before: ${b.toFixed(3)})` : ''}` } },
        h('span', { className: 'bar-label', text: r.name }), track, h('span', { className: 'bar-value num', text: v === undefined ? '—' : v.toFixed(3) })));
    });
    bars.append(group);
  }
}

function renderCurves(): void {
  const names = [...new Set(runs.flatMap((r) => r.curves.map((c) => c.name)))];
  curveSelect.textContent = '';
  for (const n of names) curveSelect.append(h('option', { text: n, attrs: { value: n } }));
  if (!names.includes(curveName) && names.length > 0) curveName = names[0];
  curveSelect.value = curveName;
  curvesBox.textContent = '';
  const series = runs.map((r, k) => ({ k, run: r, curve: r.curves.find((c) => c.name === curveName) })).filter((s) => s.curve && s.curve.points.length > 0);
  if (series.length === 0) {
    curvesBox.append(h('p', { className: 'muted', text: 'No curves recorded.' }));
    return;
  }
  const box = { width: 560, height: 200, pad: 40 };
  const extent = curvesExtent(series.map((s) => s.curve!));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${curveName} per step for ${series.length} runs`);
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
  text(box.pad - 4, box.pad + 4, extent.maxY.toPrecision(3), 'end');
  text(box.pad - 4, box.height - box.pad, extent.minY.toPrecision(3), 'end');
  text(box.pad, box.height - 8, String(extent.minX), 'start');
  text(box.width - box.pad, box.height - 8, `${extent.maxX} steps`, 'end');
  for (const s of series) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', curvePath(s.curve!, extent, box));
    p.classList.add('curve');
    p.style.stroke = runColour(s.k);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = s.run.name;
    p.append(title);
    svg.append(p);
  }
  const legend = h('div', { className: 'curve-legend' });
  for (const s of series) {
    const sw = h('span', { className: 'swatch' });
    sw.style.background = runColour(s.k);
    legend.append(h('span', { className: 'curve-legend-item' }, sw, s.run.name));
  }
  curvesBox.append(svg, legend);
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
      pane.scatter.setColours(fillColours(new Uint8Array(4 * n), points.clusterLabels));
      pane.caption.textContent = [`${points.clusters.length} clusters`, `${n.toLocaleString('en-US')} points`, points.caption ?? ''].filter(Boolean).join(' · ');
      pane.cell.dataset.ready = 'true';
    } catch (e) {
      pane.caption.textContent = '';
      pane.cell.append(h('p', { className: 'error', text: e instanceof Error ? e.message : String(e) }));
    }
  }
}

async function exportAs(format: ExportFormat): Promise<void> {
  const table = buildRunsTable(runs);
  const content = format === 'csv' ? toCsv(table) : toMarkdown(table);
  try {
    const r = await client.request('saveExport', { format, content }, 300_000);
    status.textContent = r.saved ? `Saved ${r.path ?? ''}` : 'Export cancelled.';
  } catch (e) {
    status.textContent = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

csvButton.addEventListener('click', () => void exportAs('csv'));
mdButton.addEventListener('click', () => void exportAs('markdown'));
curveSelect.addEventListener('change', () => {
  curveName = curveSelect.value;
  persist();
  renderCurves();
});

function renderAll(withMaps: boolean): void {
  status.textContent = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  renderTable();
  renderBars();
  renderCurves();
  if (withMaps) void renderMaps();
}

async function load(): Promise<void> {
  status.textContent = 'Loading…';
  try {
    runs = (await client.request('getRuns', {})).runs;
  } catch (e) {
    status.textContent = `Could not load runs: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  if (chosen.length === 0) chosen = runs.filter((r) => r.status === 'completed').slice(-2).map((r) => r.id);
  renderAll(true);
  document.body.dataset.ready = 'true';
}

client.on('runsChanged', () => void load());
client.on('runUpdated', ({ run }) => {
  const k = runs.findIndex((r) => r.id === run.id);
  if (k >= 0) runs[k] = run;
  else runs.push(run);
  renderAll(false);
});

client.ready();
void load();
