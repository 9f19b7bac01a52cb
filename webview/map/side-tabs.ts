/**
 * ARIA tabs for the map's side panel (WAI-ARIA tabs pattern, automatic activation): one tab
 * button per panel, roving tabindex, Left/Right/Home/End move between tabs, each panel scrolls
 * on its own. Text only through textContent.
 */
import { h } from '../common/dom';

export interface SideTab<K extends string> {
  key: K;
  label: string;
  panel: HTMLElement;
}

export class SideTabs<K extends string> {
  readonly element: HTMLElement;
  private readonly buttons = new Map<K, HTMLButtonElement>();
  private readonly labels = new Map<K, HTMLElement>();
  private readonly badges = new Map<K, HTMLElement>();
  private readonly panels = new Map<K, HTMLElement>();
  private current: K;

  constructor(tabs: readonly SideTab<K>[], label: string, private readonly onSelect?: (key: K) => void) {
    const list = h('div', { className: 'side-tablist', attrs: { role: 'tablist', 'aria-label': label } });
    const body = h('div', { className: 'side-panels' });
    for (const t of tabs) {
      const text = h('span', { className: 'side-tab-label', text: t.label });
      const badge = h('span', { className: 'side-tab-badge' });
      badge.hidden = true;
      const b = h('button', {
        className: 'side-tab',
        attrs: { type: 'button', role: 'tab', id: `tab-${t.key}`, 'aria-controls': `panel-${t.key}`, 'aria-selected': 'false', tabindex: '-1' },
      }, text, badge);
      b.addEventListener('click', () => this.select(t.key));
      b.addEventListener('keydown', (e) => this.onKey(e, t.key));
      t.panel.classList.add('side-panel');
      t.panel.id = `panel-${t.key}`;
      t.panel.setAttribute('role', 'tabpanel');
      t.panel.setAttribute('aria-labelledby', `tab-${t.key}`);
      t.panel.tabIndex = 0;
      t.panel.hidden = true;
      this.buttons.set(t.key, b);
      this.labels.set(t.key, text);
      this.badges.set(t.key, badge);
      this.panels.set(t.key, t.panel);
      list.append(b);
      body.append(t.panel);
    }
    this.element = h('aside', { className: 'side' }, list, body);
    this.current = tabs[0].key;
    this.select(this.current);
  }

  get selected(): K {
    return this.current;
  }

  /** Shows one panel; `focus` moves the keyboard focus to its tab. */
  select(key: K, focus = false): void {
    this.current = key;
    for (const [k, b] of this.buttons) {
      const on = k === key;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      const panel = this.panels.get(k);
      if (panel) panel.hidden = !on;
    }
    if (focus) this.buttons.get(key)?.focus();
    this.onSelect?.(key);
  }

  setLabel(key: K, label: string): void {
    const el = this.labels.get(key);
    if (el) el.textContent = label;
  }

  /** A short count next to the tab's name ('' hides it). */
  setBadge(key: K, text: string): void {
    const el = this.badges.get(key);
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  private onKey(e: KeyboardEvent, key: K): void {
    const keys = [...this.buttons.keys()];
    const i = keys.indexOf(key);
    let next: number;
    if (e.key === 'ArrowRight') next = (i + 1) % keys.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + keys.length) % keys.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = keys.length - 1;
    else return;
    e.preventDefault();
    e.stopPropagation();
    this.select(keys[next], true);
  }
}
