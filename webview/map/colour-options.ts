/**
 * The "Colour by" choices of a map (pure): cluster, label (when the data has labels), annotation
 * status, the LLM-judged coherence of the clusters (when judged), each run's clusters, and each field of the records with categories or numbers (free
 * text has too many values to colour by). A choice is a string value of the select element.
 */
import type { ColourMode, MapPoints } from '../../src/protocol/map';
import { hasCoherence } from './map-state';

export interface ColourChoice {
  mode: ColourMode;
  /** The run id ('run') or field name ('field'); '' otherwise. */
  key: string;
}

export interface ColourOption {
  value: string;
  text: string;
}

export function colourValue(c: ColourChoice): string {
  return c.mode === 'run' ? `run:${c.key}` : c.mode === 'field' ? `field:${c.key}` : c.mode;
}

export function parseColourValue(value: string): ColourChoice {
  if (value.startsWith('run:')) return { mode: 'run', key: value.slice(4) };
  if (value.startsWith('field:')) return { mode: 'field', key: value.slice(6) };
  if (value === 'label' || value === 'annotation' || value === 'coherence') return { mode: value, key: '' };
  return { mode: 'cluster', key: '' };
}

export function colourOptions(points: MapPoints): ColourOption[] {
  const out: ColourOption[] = [{ value: 'cluster', text: 'Colour: cluster' }];
  if (points.labels) out.push({ value: 'label', text: 'Colour: label' });
  out.push({ value: 'annotation', text: 'Colour: annotation status' });
  if (hasCoherence(points)) out.push({ value: 'coherence', text: 'Colour: coherence (LLM-judged)' });
  for (const r of points.runs ?? []) out.push({ value: `run:${r.id}`, text: `Colour: clusters with ${r.name}` });
  for (const f of points.fields ?? []) {
    if (f.kind !== 'text') out.push({ value: `field:${f.name}`, text: `Colour: ${f.name}${f.kind === 'number' ? ' (scale)' : ''}` });
  }
  return out;
}

/** The choice kept when the points change: the current one if still offered, else cluster. */
export function keptChoice(points: MapPoints, current: ColourChoice): ColourChoice {
  const value = colourValue(current);
  return colourOptions(points).some((o) => o.value === value) ? current : { mode: 'cluster', key: '' };
}
