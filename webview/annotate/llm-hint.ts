/**
 * The LLM pre-score hint under the pair: only present when the user turned hints on (the host
 * does not even send the score otherwise). The model's reason is untrusted text: textContent only.
 */
import type { PairView } from '../../src/protocol/annotate';
import { h } from '../common/dom';

export function createHintElement(): HTMLElement {
  const el = h('div', { className: 'llm-hint', attrs: { id: 'llm-hint', role: 'note' } });
  el.hidden = true;
  return el;
}

/** Shows the pair's hint, or hides the element when it has none. */
export function renderHint(el: HTMLElement, hint: PairView['hint'], formatScore: (s: number) => string): void {
  el.textContent = '';
  el.hidden = !hint;
  if (!hint) return;
  el.append(
    h('span', { className: 'llm-hint-label', text: `LLM hint (${hint.model}): ` }),
    h('strong', { text: formatScore(hint.score) }),
    ...(hint.reason ? [h('span', { text: ` — ${hint.reason}` })] : []),
  );
}
