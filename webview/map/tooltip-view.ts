/**
 * The hover text of a point (DOM): its id and cluster (name, else keywords), its label (with the
 * label's swatch when the map is coloured by label) and its text, placed beside the pointer and
 * kept inside the window. Text only through textContent.
 */
import type { MapPoints } from '../../src/protocol/map';
import { h } from '../common/dom';
import { clusterDisplayName } from './cluster-name-labels';
import { cssColour, shapeOf } from './colours';

/** Shows point i's hover text at (x, y), or hides it (i < 0). `labelSlot` gives the label's swatch. */
export function showPointTooltip(tooltip: HTMLElement, points: MapPoints | undefined, i: number, x: number, y: number, labelSlot?: (value: number) => number): void {
  if (!points || i < 0) {
    tooltip.hidden = true;
    return;
  }
  tooltip.textContent = '';
  const cluster = points.clusterLabels[i];
  const info = points.clusters.find((c) => c.id === cluster);
  const clusterName = cluster < 0 ? 'outlier' : `cluster #${cluster}${info ? ` ${clusterDisplayName(info)}` : ''}`;
  tooltip.append(h('div', { className: 'tooltip-head', text: `${points.ids[i]} · ${clusterName}` }));
  if (points.labels) {
    const v = points.labels[i];
    const name = v >= 0 ? points.labelNames?.[v] ?? String(v) : undefined;
    const label = h('div', { className: 'tooltip-label' }, h('span', { className: 'muted', text: 'Label: ' }), h('span', { className: 'tooltip-label-name', text: name ?? 'none' }));
    if (name !== undefined && labelSlot) {
      const slot = labelSlot(v);
      const swatch = h('span', { className: `swatch shape-${shapeOf(slot)}` });
      swatch.style.background = cssColour(slot);
      label.prepend(swatch);
    }
    tooltip.append(label);
  }
  tooltip.append(h('div', { className: 'tooltip-text', text: points.texts[i] ?? '' }));
  tooltip.dataset.index = String(i);
  tooltip.hidden = false;
  const pad = 14;
  const w = tooltip.offsetWidth, hh = tooltip.offsetHeight;
  const left = x + pad + w > window.innerWidth ? x - pad - w : x + pad;
  const top = y + pad + hh > window.innerHeight ? y - pad - hh : y + pad;
  tooltip.style.left = `${Math.max(0, left)}px`;
  tooltip.style.top = `${Math.max(0, top)}px`;
}
