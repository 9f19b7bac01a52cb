/**
 * The active loop's line in the annotation panel: "Active loop: Spearman 0.41 → 0.58 (n=60)"
 * (base encoder → latest run, on the held-out annotations), round by round in its tooltip,
 * a spinner while a round trains. Data attributes for tests: state, rounds.
 */
import type { ActiveLoopStatus } from '../../src/protocol/active-loop';
import { activeLoopLine, activeLoopTrend } from '../../src/protocol/active-loop';
import { h } from '../common/dom';

export interface ActiveLoopView {
  element: HTMLElement;
  render(status: ActiveLoopStatus | undefined): void;
}

export function createActiveLoopView(): ActiveLoopView {
  const text = h('span', { className: 'active-loop-text' });
  const element = h('span', { className: 'status active-loop', attrs: { id: 'active-loop', role: 'status', 'aria-live': 'polite' } }, text);
  element.hidden = true;
  return {
    element,
    render(status) {
      element.hidden = !status || (status.state === 'off' && status.rounds.length === 0);
      if (!status) return;
      text.textContent = activeLoopLine(status);
      const trend = activeLoopTrend(status);
      element.title = [
        `A head-mode run trains on your annotations after every ${status.every} new ones; Spearman is measured on held-out annotations it never trains on (base encoder → run).`,
        trend ? `By round: ${trend}` : '',
        status.problem ?? '',
        '"Most uncertain" then suggests the pairs where the run and the base disagree most, or where the run is least sure.',
      ].filter(Boolean).join('\n');
      element.dataset.state = status.state;
      element.dataset.rounds = String(status.rounds.length);
      element.classList.toggle('training', status.state === 'training');
    },
  };
}
