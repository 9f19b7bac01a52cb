/**
 * The grouped views of Compare Runs (DOM): a group's table row (fold button, count, each
 * metric's mean ± sample sd) and each group's curve (its mean over the min–max band of its
 * runs, the runs themselves thin on demand). The numbers come from `groups.ts`.
 */
import type { Curve, RunSummary } from '../../src/protocol/runs';
import { formatMetricValue, metricInfo } from '../../src/protocol/metric-names';
import { h } from '../common/dom';
import { cssColour } from '../map/colours';
import { curvePath, type CurveBox, type Extent } from './curves';
import { bandPath, formatStats, groupCurve, type RunGroup } from './groups';

const SVG = 'http://www.w3.org/2000/svg';

/** A group's row: `open` says whether its runs show under it; `onToggle` folds or unfolds them. */
export function groupRowView(g: RunGroup, slot: number, metrics: readonly string[], runs: readonly RunSummary[], open: boolean, onToggle: () => void): HTMLElement {
  const tr = h('tr', { className: 'group-row', attrs: { 'data-group': g.id } });
  const sw = h('span', { className: 'swatch' });
  sw.style.background = cssColour(slot);
  const toggle = h('button', {
    className: 'link group-toggle',
    attrs: { type: 'button', 'aria-expanded': String(open), title: `${open ? 'Hide' : 'Show'} the runs of this group` },
  }, h('span', { className: 'caret', text: open ? '▾' : '▸', attrs: { 'aria-hidden': 'true' } }), sw, h('span', { className: 'group-label', text: g.label }));
  toggle.addEventListener('click', onToggle);
  const count = g.members.length;
  const statuses = new Map<string, number>();
  for (const k of g.members) statuses.set(runs[k].status, (statuses.get(runs[k].status) ?? 0) + 1);
  tr.append(
    h('td'),
    h('th', { className: 'run-name', attrs: { scope: 'row' } }, toggle, h('div', { className: 'group-count muted', text: `${count} run${count === 1 ? '' : 's'} · mean ± sd` })),
    h('td'),
    h('td', { className: 'group-status', text: [...statuses].map(([st, n]) => `${n} ${st}`).join(', ') }),
    h('td'),
  );
  for (const m of metrics) {
    const st = g.metrics[m];
    const td = h('td', { className: 'num group-stat', text: formatStats(st, (v) => formatMetricValue(m, v)) });
    if (st) td.title = `${metricInfo(m).label}: mean${st.sd === undefined ? '' : ' ± sample standard deviation'} over ${st.n} run${st.n === 1 ? '' : 's'} (min ${formatMetricValue(m, st.min)}, max ${formatMetricValue(m, st.max)})`;
    tr.append(td);
  }
  tr.append(h('td'));
  return tr;
}

function svgPath(d: string, className: string[], title: string): SVGPathElement {
  const p = document.createElementNS(SVG, 'path');
  p.setAttribute('d', d);
  p.classList.add(...className);
  const t = document.createElementNS(SVG, 'title');
  t.textContent = title;
  p.append(t);
  return p;
}

/**
 * Each group as its mean curve over the min–max band of its runs' curves, as shown (normalised
 * and smoothed); with `showMembers`, each run thin in its group's colour. `series[i]` is the
 * curve drawn for run index `series[i].k`. Adds a legend item per group.
 */
export function drawGroupCurves(svg: SVGSVGElement, groups: readonly RunGroup[], runs: readonly RunSummary[], series: readonly { k: number; curve: Curve }[],
  extent: Extent, box: CurveBox, legend: HTMLElement, showMembers: boolean): void {
  groups.forEach((g, slot) => {
    const mine = series.filter((s) => g.members.includes(s.k));
    if (mine.length === 0) return;
    const colour = cssColour(slot);
    const band = groupCurve(mine.map((s) => s.curve));
    const summary = `${g.label}: mean of ${mine.length} run${mine.length === 1 ? '' : 's'}; the band spans their minimum and maximum`;
    const area = svgPath(bandPath(band, extent, box), ['curve-band'], summary);
    area.dataset.group = g.id;
    area.style.fill = colour;
    svg.append(area);
    if (showMembers) {
      for (const s of mine) {
        const member = svgPath(curvePath(s.curve, extent, box), ['curve-member'], runs[s.k].name);
        member.dataset.run = runs[s.k].id;
        member.style.stroke = colour;
        svg.append(member);
      }
    }
    const mean = svgPath(curvePath({ name: g.label, points: band.map((p) => ({ step: p.step, value: p.mean })) }, extent, box), ['curve', 'curve-group'], summary);
    mean.dataset.group = g.id;
    mean.style.stroke = colour;
    svg.append(mean);
    const sw = h('span', { className: 'swatch' });
    sw.style.background = colour;
    legend.append(h('span', { className: 'curve-legend-item', attrs: { title: summary, 'data-group': g.id } }, sw, `${g.label} (${mine.length})`));
  });
}
