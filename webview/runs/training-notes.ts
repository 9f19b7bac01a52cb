/**
 * What the engine chose and warned about when it trained a run, under the run's name: a small
 * evaluation set as a warning that stays in view (its metrics mean little), the rest (the loss
 * and why, the pairs kept, the epochs, an early stop) folded under "How it trained".
 */
import { h } from '../common/dom';

/** Notes that make the run's metrics doubtful ("not enough annotations yet (n < 30): …"). */
export function isWarningNote(note: string): boolean {
  return /^not enough\b/i.test(note);
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function trainingNotesView(notes: readonly string[]): HTMLElement[] {
  const out: HTMLElement[] = notes.filter(isWarningNote).map((n) => h('div', { className: 'split-note warning small-eval', text: sentence(n) }));
  const rest = notes.filter((n) => !isWarningNote(n));
  if (rest.length > 0) {
    out.push(h('details', { className: 'training-notes' },
      h('summary', { text: `How it trained (${rest.length})` }),
      h('ul', {}, ...rest.map((n) => h('li', { text: sentence(n) })))));
  }
  return out;
}
