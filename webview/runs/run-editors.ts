/**
 * In-place editors for a run's name (Enter saves, Escape cancels), tags (chips; Enter adds,
 * × removes) and notes (a textarea; Ctrl+Enter or Save saves, Escape cancels). Each calls
 * `save` with the changed field; the values are checked here as the host will check them.
 */
import { ce, h } from '../common/dom';
import { MAX_NOTES_LENGTH, MAX_RUN_NAME_LENGTH, MAX_TAG_LENGTH, notesProblem, runNameProblem, tagsProblem } from '../../src/protocol/run-meta';
import type { RunSummary } from '../../src/protocol/runs';

export type SaveMeta = (patch: { name?: string; tags?: string[]; notes?: string }) => Promise<void>;

/** The run's name as a button; clicking it (or F2 on it) turns it into a text field. */
export function nameEditor(run: RunSummary, save: SaveMeta, onError: (m: string) => void): HTMLElement {
  const wrap = h('span', { className: 'run-name-edit' });
  const show = () => {
    wrap.textContent = '';
    const label = h('button', {
      className: `run-name-text${run.named ? '' : ' default-name'}`,
      text: run.name,
      attrs: { type: 'button', title: `${run.name}\n(id ${run.id}) — click to rename`, 'aria-label': `Rename run ${run.name}` },
    });
    label.addEventListener('click', edit);
    wrap.append(label);
  };
  const edit = () => {
    wrap.textContent = '';
    const input = h('input', {
      className: 'run-name-input',
      attrs: { type: 'text', maxlength: String(MAX_RUN_NAME_LENGTH), 'aria-label': 'Run name (Enter saves, Escape cancels; empty restores the default)', placeholder: run.defaultName },
    });
    input.value = run.named ? run.name : '';
    let settled = false;
    const finish = async (commit: boolean) => {
      if (settled) return;
      settled = true;
      const value = input.value.trim();
      if (commit && value !== (run.named ? run.name : '')) {
        const problem = runNameProblem(value);
        if (problem) {
          onError(problem);
          settled = false;
          return;
        }
        try {
          await save({ name: value });
          return; // the caller re-renders with the saved name
        } catch (e) {
          onError(`Could not rename: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      show();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        void finish(true);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        void finish(false);
      }
    });
    input.addEventListener('blur', () => void finish(false));
    wrap.append(input);
    input.focus();
    input.select();
  };
  show();
  return wrap;
}

/** Tag chips with a remove button each, and a small field that adds a tag on Enter. */
export function tagsEditor(run: RunSummary, save: SaveMeta, onError: (m: string) => void): HTMLElement {
  const wrap = h('span', { className: 'tags' });
  const saveTags = async (tags: string[]) => {
    const problem = tagsProblem(tags);
    if (problem) {
      onError(problem);
      return;
    }
    try {
      await save({ tags });
    } catch (e) {
      onError(`Could not save the tags: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (const tag of run.tags) {
    const remove = h('button', { className: 'chip-remove', text: '×', attrs: { type: 'button', 'aria-label': `Remove tag ${tag}`, title: 'Remove tag' } });
    remove.addEventListener('click', () => void saveTags(run.tags.filter((t) => t !== tag)));
    wrap.append(h('span', { className: 'chip', attrs: { 'data-tag': tag } }, h('span', { className: 'chip-text', text: tag }), remove));
  }
  const add = h('input', { className: 'tag-input', attrs: { type: 'text', maxlength: String(MAX_TAG_LENGTH), placeholder: '+ tag', 'aria-label': `Add a tag to ${run.name}` } });
  add.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && add.value.trim()) {
      e.preventDefault();
      void saveTags([...run.tags, add.value.trim()]);
    } else if (e.key === 'Escape') {
      add.value = '';
      add.blur();
    }
  });
  wrap.append(add);
  return wrap;
}

/** The notes of a run: a textarea with Save and Cancel. */
export function notesEditor(run: RunSummary, save: SaveMeta, close: () => void, onError: (m: string) => void): HTMLElement {
  const area = h('textarea', { className: 'notes-input', attrs: { rows: '4', maxlength: String(MAX_NOTES_LENGTH), 'aria-label': `Notes for ${run.name} (Ctrl+Enter saves, Escape cancels)`, placeholder: 'What did this run try? What did you learn?' } });
  area.value = run.notes;
  const saveButton = ce('vscode-button', { class: 'notes-save' }, 'Save notes');
  const cancelButton = ce('vscode-button', { class: 'notes-cancel', secondary: '' }, 'Cancel');
  const commit = async () => {
    const problem = notesProblem(area.value);
    if (problem) {
      onError(problem);
      return;
    }
    try {
      await save({ notes: area.value });
    } catch (e) {
      onError(`Could not save the notes: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  saveButton.addEventListener('click', () => void commit());
  cancelButton.addEventListener('click', close);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void commit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  queueMicrotask(() => area.focus());
  return h('div', { className: 'notes-editor' }, area, h('div', { className: 'notes-actions' }, saveButton, cancelButton));
}
