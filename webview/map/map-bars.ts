/**
 * The map's two bars (DOM): the toolbar (search, colour by, pointer mode, Fit, Names, Table and a
 * status that never moves the buttons) and the selection bar (count, hint, label field and the
 * actions on the selection). The wiring lives in main.ts.
 */
import { ce, h } from '../common/dom';
import type { InteractionMode } from './scatter';

export type TextField = HTMLElement & { value: string };

export function createToolbar(onMode: (mode: InteractionMode) => void) {
  const search = ce('vscode-textfield', { id: 'search', placeholder: 'Search: words or meaning (/)', 'aria-label': 'Search texts by words or meaning' }) as TextField;
  const colourSelect = h('select', { className: 'select', attrs: { id: 'colour-by', 'aria-label': 'Colour by' } });
  const modeButtons = new Map<InteractionMode, HTMLElement>();
  const modeBar = h('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Pointer mode' } });
  for (const [mode, label, key] of [['pan', 'Pan', 'P'], ['lasso', 'Lasso', 'L'], ['box', 'Box', 'B']] as const) {
    const b = ce('vscode-button', { id: `mode-${mode}`, secondary: '', title: `${label} (${key})` }, label);
    b.addEventListener('click', () => onMode(mode));
    modeButtons.set(mode, b);
    modeBar.append(b);
  }
  const fitButton = ce('vscode-button', { id: 'fit', secondary: '', title: 'Fit all points (0)' }, 'Fit');
  const namesButton = ce('vscode-button', { id: 'toggle-names', secondary: '', title: 'Cluster names on the map (N)' }, 'Names');
  const tableButton = ce('vscode-button', { id: 'toggle-table', secondary: '', title: 'Table of the selected or filtered points (T)' }, 'Table');
  // Fixed slot for the status (ellipsis, full text in the title): a long text never moves the buttons.
  const status = h('span', { className: 'status toolbar-status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
  const element = h('div', { className: 'toolbar' }, search, colourSelect, modeBar, fitButton, namesButton, tableButton, status);
  return { element, search, colourSelect, modeButtons, fitButton, namesButton, tableButton, status };
}

export function createSelectionBar() {
  const labelInput = ce('vscode-textfield', { id: 'label-input', placeholder: 'Label for selection', 'aria-label': 'Label for the selection' }) as TextField;
  const labelButton = ce('vscode-button', { id: 'label-selection', disabled: '' }, 'Label selection');
  const clearLabelButton = ce('vscode-button', {
    id: 'clear-label', secondary: '', disabled: '',
    title: 'Take back the labels given on the map to the selection: the records fall back to their own labels from the data',
  }, 'Clear label');
  const annotateButton = ce('vscode-button', { id: 'annotate-selection', secondary: '', disabled: '' }, 'Annotate selection');
  const clearButton = ce('vscode-button', { id: 'clear-selection', secondary: '', disabled: '', title: 'Deselect (Esc)' }, 'Deselect');
  const selectionCount = h('span', { className: 'status', attrs: { id: 'selection-count', 'aria-live': 'polite' }, text: 'No selection' });
  const selectionHint = h('span', { className: 'hint', text: '— select points with Lasso (L) or Box (B) to label them or send them to annotation' });
  const element = h('div', { className: 'toolbar selection-bar' }, selectionCount, selectionHint, labelInput, labelButton, clearLabelButton, annotateButton, clearButton);
  return { element, labelInput, labelButton, clearLabelButton, annotateButton, clearButton, selectionCount, selectionHint };
}
